//! Canned responses: every member of staff reads the team's shared texts and keeps personal
//! ones; supervisors and admins write the shared ones. The app fills the placeholders
//! (`shared::canned::expand`) when an agent inserts one into a reply.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::{CannedResponse, CannedResponseList, NewCannedResponse};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db::{self, canned as c, entity::canned_response};
use crate::error::{Error, FieldErrors, Json, Result};
use crate::state::AppState;
use crate::validate::{MAX_CANNED_TITLE, MAX_COMMENT};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_canned_responses, create_canned_response))
        .routes(routes!(delete_canned_response))
}

fn to_wire(model: canned_response::Model) -> CannedResponse {
    CannedResponse {
        id: model.id,
        title: model.title,
        body: model.body,
        owner_id: model.owner_id,
        created_at: model.created_at,
    }
}

/// `GET /api/canned-responses`: the shared ones and the caller's own, by title.
#[utoipa::path(
    get,
    path = "/canned-responses",
    tag = "canned",
    summary = "the shared canned responses and the caller's own (staff)",
    responses(
        (status = 200, description = "the texts", body = shared::api::CannedResponseList),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_canned_responses(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<CannedResponseList>> {
    user.require_staff()?;
    let rows = c::list(&state.db, user.id).await?;
    Ok(Json(CannedResponseList {
        canned_responses: rows.into_iter().map(to_wire).collect(),
    }))
}

/// `POST /api/canned-responses`.
#[utoipa::path(
    post,
    path = "/canned-responses",
    tag = "canned",
    summary = "a personal canned response, or a shared one (managers)",
    request_body = shared::api::NewCannedResponse,
    responses(
        (status = 201, description = "created", body = shared::api::CannedResponse),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn create_canned_response(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<NewCannedResponse>,
) -> Result<Response> {
    user.require_staff()?;
    if input.shared {
        user.require_manager()?;
    }
    let mut errors = FieldErrors::new();
    if input.title.trim().is_empty() || input.title.chars().count() > MAX_CANNED_TITLE {
        errors.insert(
            "title".into(),
            format!("between 1 and {MAX_CANNED_TITLE} characters"),
        );
    }
    if input.body.trim().is_empty() || input.body.chars().count() > MAX_COMMENT {
        errors.insert(
            "body".into(),
            format!("between 1 and {MAX_COMMENT} characters"),
        );
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let now = state.clock.now();
    let txn = crate::db::begin(&state.db).await?;
    let owner_id = (!input.shared).then_some(user.id);
    let title = input.title.trim().to_owned();
    let created = c::insert(&txn, title, input.body, owner_id, now).await?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "canned_response.create",
        "canned_response",
        created.id,
        serde_json::json!({ "title": created.title, "shared": input.shared }),
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(to_wire(created))).into_response())
}

/// `DELETE /api/canned-responses/{id}`: one's own, or a shared one by a manager. Another agent's
/// personal text is 404: it is not theirs to see.
#[utoipa::path(
    delete,
    path = "/canned-responses/{id}",
    tag = "canned",
    summary = "one's own canned response, or a shared one (managers)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    responses(
        (status = 204, description = "removed"),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn delete_canned_response(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    user.require_staff()?;
    let txn = crate::db::begin(&state.db).await?;
    let found = c::find(&txn, id).await?.ok_or(Error::NotFound)?;
    match found.owner_id {
        Some(owner) if owner != user.id => return Err(Error::NotFound),
        None => user.require_manager()?,
        Some(_) => {}
    }
    c::delete(&txn, id).await?;
    db::audit(
        &txn,
        state.clock.now(),
        Some(user.id),
        "canned_response.delete",
        "canned_response",
        id,
        serde_json::json!({ "title": found.title }),
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
