//! A forgotten password: `POST /api/auth/password-reset` mails a link that works once, within an
//! hour; `POST /api/auth/password-reset/confirm` sets the new password and ends every session.
//!
//! The link is a signed token bound to a fingerprint of the password hash it was issued for, so
//! it stops working as soon as the password changes (by this link or otherwise).

use std::time::Duration as StdDuration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use chrono::{Duration, Utc};
use sha2::{Digest, Sha256};
use shared::api::{PasswordReset, PasswordResetRequest};
use shared::i18n::Locale;

use crate::auth;
use crate::db;
use crate::error::{Error, Json, Result};
use crate::limits::ClientIp;
use crate::outbox::{self, RowHeaders};
use crate::state::AppState;
use crate::templates::Template;

const PURPOSE: &str = "reset";
const WINDOW: StdDuration = StdDuration::from_secs(15 * 60);

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/password-reset", post(create_password_reset))
        .route("/auth/password-reset/confirm", post(confirm_password_reset))
}

/// A number that changes whenever the password hash does.
fn fingerprint(password_hash: &str) -> i32 {
    let digest = Sha256::digest(password_hash.as_bytes());
    i32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// `POST /api/auth/password-reset`: 202 whether or not the address has an account, so the
/// answer tells nobody which addresses do; at most 5 links an address and 20 a client per
/// 15 minutes.
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
