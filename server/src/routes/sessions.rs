//! The caller's own sessions and password: `GET /api/me/sessions`,
//! `DELETE /api/me/sessions/{id}`, `POST /api/me/sessions/end-all` ("sign out everywhere") and
//! `POST /api/me/password`.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use shared::api::{PasswordChange, Session, SessionList};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{self, AuthUser, SessionId};
use crate::db;
use crate::error::{Error, Json, Result};
use crate::state::AppState;

/// The shortest password a person may choose.
pub(crate) const MIN_PASSWORD: usize = 8;
/// The longest password accepted (in bytes).
pub(crate) const MAX_PASSWORD: usize = 1024;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sessions))
        .routes(routes!(delete_session))
        .routes(routes!(end_all_sessions))
        .routes(routes!(change_password))
}

/// `GET /api/me/sessions`.
#[utoipa::path(
    get,
    path = "/me/sessions",
    tag = "sessions",
    summary = "the caller's open sessions",
    responses(
        (status = 200, description = "the sessions", body = shared::api::SessionList),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_sessions(
    State(state): State<AppState>,
    user: AuthUser,
    axum::Extension(SessionId(current)): axum::Extension<SessionId>,
) -> Result<Json<SessionList>> {
    let rows = db::sessions::list_active(&state.db, user.id, Utc::now()).await?;
    Ok(Json(SessionList {
        sessions: rows
            .into_iter()
            .map(|row| Session {
                current: row.id == current,
                id: row.id,
                created_at: row.created_at,
                expires_at: row.expires_at,
                user_agent: row.user_agent,
                ip: row.ip,
            })
            .collect(),
    }))
}

/// `DELETE /api/me/sessions/{id}`: 204, or 404 for a session that is not the caller's or has
/// ended.
#[utoipa::path(
    delete,
    path = "/me/sessions/{id}",
    tag = "sessions",
    operation_id = "delete_my_session",
    summary = "end one of the caller's sessions",
    params(
        ("id" = String, Path, description = "the id")
    ),
    responses(
        (status = 204, description = "ended"),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn delete_session(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    if crate::sessions::end(&state, user.id, Some(&id), None).await? == 0 {
        return Err(Error::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/me/sessions/end-all`: ends every session of the caller, this one included.
#[utoipa::path(
    post,
    path = "/me/sessions/end-all",
    tag = "sessions",
    summary = "end every session of the caller, this one included",
    responses(
        (status = 204, description = "ended", headers(("Set-Cookie" = String, description = "clears the session cookie"))),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn end_all_sessions(State(state): State<AppState>, user: AuthUser) -> Result<Response> {
    crate::sessions::end(&state, user.id, None, None).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Ok(value) = HeaderValue::from_str(&auth::clear_cookie()) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// Checks a new password's length.
///
/// # Errors
/// 422 naming `field`.
pub(crate) fn check_new_password(field: &str, password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(Error::field(
            field,
            format!("choose a password of at least {MIN_PASSWORD} characters"),
        ));
    }
    if password.len() > MAX_PASSWORD {
        return Err(Error::field(
            field,
            format!("a password may have at most {MAX_PASSWORD} bytes"),
        ));
    }
    Ok(())
}

/// `POST /api/me/password`: with the current password; every other session ends.
#[utoipa::path(
    post,
    path = "/me/password",
    tag = "sessions",
    summary = "change the password; every other session ends",
    request_body = shared::api::PasswordChange,
    responses(
        (status = 204, description = "changed"),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn change_password(
    State(state): State<AppState>,
    user: AuthUser,
    axum::Extension(SessionId(current)): axum::Extension<SessionId>,
    Json(request): Json<PasswordChange>,
) -> Result<StatusCode> {
    check_new_password("new_password", &request.new_password)?;
    let stored = db::find_user(&state.db, user.id)
        .await?
        .ok_or(Error::Unauthorized)?;
    let (current_password, new_password) = (request.current_password, request.new_password);
    let hash = tokio::task::spawn_blocking(move || {
        if auth::verify_password(&current_password, &stored.password_hash) {
            auth::hash_password(&new_password).map(Some)
        } else {
            Ok(None)
        }
    })
    .await
    .map_err(|error| Error::Internal(error.into()))??
    .ok_or_else(|| Error::field("current_password", "the current password is wrong"))?;
    crate::sessions::replace_password(
        &state,
        user.id,
        &hash,
        "user.change_password",
        Some(&current),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
