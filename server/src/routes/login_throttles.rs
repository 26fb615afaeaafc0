//! `GET /api/admin/login-throttles` and `DELETE /api/admin/login-throttles/{email}`: an admin
//! sees which accounts' sign-ins are being slowed down and lets one sign in at once.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use shared::api::LoginThrottleList;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db;
use crate::error::{Error, Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_login_throttles))
        .routes(routes!(delete_login_throttle))
}

/// `GET /api/admin/login-throttles`.
#[utoipa::path(
    get,
    path = "/admin/login-throttles",
    tag = "login-throttles",
    summary = "accounts slowed down after failed sign-ins (admins)",
    responses(
        (status = 200, description = "the throttles", body = shared::api::LoginThrottleList),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_login_throttles(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<LoginThrottleList>> {
    user.require_admin()?;
    Ok(Json(LoginThrottleList {
        throttles: state.throttle.list(),
    }))
}

/// `DELETE /api/admin/login-throttles/{email}`: 204, or 404 when the account is not slowed.
#[utoipa::path(
    delete,
    path = "/admin/login-throttles/{email}",
    tag = "login-throttles",
    summary = "lift the slow-down of an account (admins)",
    params(
        ("email" = String, Path, description = "the account's e-mail address")
    ),
    responses(
        (status = 204, description = "lifted"),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn delete_login_throttle(
    State(state): State<AppState>,
    user: AuthUser,
    Path(email): Path<String>,
) -> Result<StatusCode> {
    user.require_admin()?;
    let email = email.trim().to_lowercase();
    if !state.throttle.clear(&email) {
        return Err(Error::NotFound);
    }
    let txn = db::begin(&state.db).await?;
    db::audit(
        &txn,
        Utc::now(),
        Some(user.id),
        "login_throttle.clear",
        "user",
        &email,
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
