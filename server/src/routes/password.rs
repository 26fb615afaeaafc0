//! A forgotten password: `POST /api/auth/password-reset` mails a link that works once, within an
//! hour; `POST /api/auth/password-reset/confirm` sets the new password and ends every session.
//!
//! The link is a signed token bound to a fingerprint of the password hash it was issued for, so
//! it stops working as soon as the password changes (by this link or otherwise).

use std::time::Duration as StdDuration;

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use sha2::{Digest, Sha256};
use shared::api::{PasswordReset, PasswordResetRequest};
use shared::i18n::Locale;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth;
use crate::db;
use crate::error::{Error, Json, Result};
use crate::limits::ClientIp;
use crate::outbox::{self, RowHeaders};
use crate::state::AppState;
use crate::templates::Template;

const PURPOSE: &str = "reset";
const WINDOW: StdDuration = StdDuration::from_secs(15 * 60);

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_password_reset))
        .routes(routes!(confirm_password_reset))
}

/// A number that changes whenever the password hash does.
fn fingerprint(password_hash: &str) -> i32 {
    let digest = Sha256::digest(password_hash.as_bytes());
    i32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// `POST /api/auth/password-reset`: 202 whether or not the address has an account, so the
/// answer tells nobody which addresses do; at most 5 links an address and 20 a client per
/// 15 minutes.
#[utoipa::path(
    post,
    path = "/auth/password-reset",
    tag = "password",
    summary = "mail a reset link (202 whether or not the address has an account)",
    request_body = shared::api::PasswordResetRequest,
    responses(
        (status = 202, description = "accepted"),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = 429, description = "rate_limited: too many requests; Retry-After says when to try again", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
    security(()),
)]
async fn create_password_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(request): Json<PasswordResetRequest>,
) -> Result<StatusCode> {
    let email = request.email.trim().to_lowercase();
    if let Some(message) = crate::validate::email(&email) {
        return Err(Error::field("email", message));
    }
    state.limiter.hit(&format!("reset-ip:{ip}"), 20, WINDOW)?;
    state.limiter.hit(&format!("reset:{email}"), 5, WINDOW)?;
    let Some(user) = db::find_user_by_email(&state.db, &email)
        .await?
        .filter(|user| user.active)
    else {
        return Ok(StatusCode::ACCEPTED);
    };
    let now = Utc::now();
    let token = auth::issue_link_token(
        &state.keys,
        PURPOSE,
        0,
        user.id,
        fingerprint(&user.password_hash),
        now + Duration::hours(1),
    )?;
    let url = format!("{}/reset-password?token={token}", state.config.public_url);
    let mail = Template::PasswordReset { url: &url }.render(Locale::from_code(&user.locale));
    let txn = db::begin(&state.db).await?;
    outbox::enqueue(&txn, &user.email, &mail, None, &RowHeaders::default(), now).await?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "user.request_password_reset",
        "user",
        user.id,
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::ACCEPTED)
}

/// `POST /api/auth/password-reset/confirm`: 204; 410 for a link that was used, is out of date
/// or was never issued.
#[utoipa::path(
    post,
    path = "/auth/password-reset/confirm",
    tag = "password",
    summary = "set a new password with a reset link",
    request_body = shared::api::PasswordReset,
    responses(
        (status = 204, description = "changed"),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 410, description = "gone: the link was used or is out of date", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
    security(()),
)]
async fn confirm_password_reset(
    State(state): State<AppState>,
    Json(request): Json<PasswordReset>,
) -> Result<StatusCode> {
    let gone = || Error::Gone("the link was used or is out of date; ask for a new one".into());
    let (_, user_id, issued_for) =
        auth::verify_link_token(&state.keys, PURPOSE, &request.token).ok_or_else(gone)?;
    crate::routes::sessions::check_new_password("new_password", &request.new_password)?;
    let user = db::find_user(&state.db, user_id)
        .await?
        .filter(|user| user.active && fingerprint(&user.password_hash) == issued_for)
        .ok_or_else(gone)?;
    let password = request.new_password;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|error| Error::Internal(error.into()))??;
    crate::sessions::replace_password(&state, user.id, &hash, "user.reset_own_password", None)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
