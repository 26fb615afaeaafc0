//! `POST /api/inbound/email`: raw RFC 822 messages from the mail gateway.
//!
//! The gateway authenticates with `Authorization: Bearer <RG_INBOUND_TOKEN>`; without a
//! configured token the endpoint does not exist (404). What happens to a message is decided in
//! [`crate::intake`], which `reglament ingest-mail` shares.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use chrono::Utc;
use sha2::{Digest, Sha256};
use shared::api::{IngestOutcome, Ingested};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{Error, Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_inbound_email))
}

/// Whether the request carries the gateway token, compared in constant time (of the hashes).
fn authorised(headers: &HeaderMap, expected: &str) -> bool {
    let Some(presented) = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
    else {
        return false;
    };
    let presented = Sha256::digest(presented.trim().as_bytes());
    let expected = Sha256::digest(expected.as_bytes());
    presented
        .iter()
        .zip(expected.iter())
        .fold(0u8, |difference, (a, b)| difference | (a ^ b))
        == 0
}

/// `POST /api/inbound/email`: the body is the message as received.
#[utoipa::path(
    post,
    path = "/inbound/email",
    tag = "inbound",
    summary = "a raw RFC 822 message from the mail gateway",
    request_body(content = String, content_type = "message/rfc822"),
    responses(
        (status = 201, description = "a ticket was created or a message threaded", body = shared::api::Ingested),
        (status = 200, description = "ingested otherwise: a duplicate or a refusal", body = shared::api::Ingested),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
    security(("inbound_token" = [])),
)]
async fn create_inbound_email(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Ingested>)> {
    let Some(token) = state.config.inbound_token.as_deref() else {
        return Err(Error::NotFound);
    };
    if !authorised(&headers, token) {
        return Err(Error::Unauthorized);
    }
    // The body limit's rejection becomes the envelope like every other error.
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::PayloadTooLarge
        } else {
            Error::BadRequest(format!("cannot read the message: {rejection}"))
        }
    })?;
    if body.is_empty() {
        return Err(Error::field("message", "send the raw message as the body"));
    }
    let ingested = crate::intake::ingest(&state, &body, Utc::now()).await?;
    // 201 when something was stored; 200 when the message was refused, ignored or seen before.
    let status = match ingested.outcome {
        IngestOutcome::Created | IngestOutcome::Threaded => StatusCode::CREATED,
        _ => StatusCode::OK,
    };
    Ok((status, Json(ingested)))
}
