//! `GET /api/admin/login-throttles` and `DELETE /api/admin/login-throttles/{email}`: an admin
//! sees which accounts' sign-ins are being slowed down and lets one sign in at once.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use chrono::Utc;
use shared::api::LoginThrottleList;

use crate::auth::AuthUser;
use crate::db;
use crate::error::{Error, Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/login-throttles", get(list_login_throttles))
        .route(
            "/admin/login-throttles/{email}",
            delete(delete_login_throttle),
        )
}

/// `GET /api/admin/login-throttles`.
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
