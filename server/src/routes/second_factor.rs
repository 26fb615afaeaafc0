//! The caller's second factor — `POST /api/me/totp` (start an enrolment),
//! `POST /api/me/totp/confirm` (turn it on, answered with recovery codes), `DELETE /api/me/totp`
//! (turn it off) — and the admin settings, `GET`/`PUT /api/admin/settings`.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use shared::api::{AdminSettings, RecoveryCodes, TotpConfirm, TotpEnrolment, TotpRemoval};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{self, AuthUser};
use crate::db;
use crate::error::{Error, Json, Result};
use crate::second_factor as factor;
use crate::state::AppState;

/// Wrong codes or passwords one account may send here in [`WINDOW`].
const ATTEMPTS: u32 = 10;
const WINDOW: Duration = Duration::from_secs(15 * 60);

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start_enrolment, remove_second_factor))
        .routes(routes!(confirm_enrolment))
        .routes(routes!(find_settings, update_settings))
}

async fn stored(state: &AppState, user: &AuthUser) -> Result<db::entity::user::Model> {
    db::find_user(&state.db, user.id)
        .await?
        .ok_or(Error::Unauthorized)
}

/// `POST /api/me/totp`: a new secret, pending until confirmed; 409 while one is on.
#[utoipa::path(
    post,
    path = "/me/totp",
    tag = "second-factor",
    summary = "start setting up a TOTP second factor",
    responses(
        (status = 200, description = "the pending secret, its otpauth URI and QR code", body = shared::api::TotpEnrolment),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 409, description = "conflict: a stale If-Match version or a state that changed; `current` holds the resource as it is now", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn start_enrolment(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<TotpEnrolment>> {
    if user.totp_enabled {
        return Err(Error::conflict(
            "a second factor is on; turn it off before setting up another",
        ));
    }
    let secret = factor::new_secret();
    let enrolment = factor::enrolment(&secret, &user.email)?;
    db::second_factor::set_pending(&state.db, user.id, &secret).await?;
    Ok(Json(enrolment))
}

/// `POST /api/me/totp/confirm`: a code of the pending secret turns it on; the answer holds the
/// recovery codes, shown only this once.
#[utoipa::path(
    post,
    path = "/me/totp/confirm",
    tag = "second-factor",
    summary = "turn the second factor on with a code",
    request_body = shared::api::TotpConfirm,
    responses(
        (status = 200, description = "the recovery codes, shown once", body = shared::api::RecoveryCodes),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 409, description = "conflict: a stale If-Match version or a state that changed; `current` holds the resource as it is now", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn confirm_enrolment(
    State(state): State<AppState>,
    user: AuthUser,
    Json(request): Json<TotpConfirm>,
) -> Result<Json<RecoveryCodes>> {
    state
        .limiter
        .hit(&format!("totp:{}", user.id), ATTEMPTS, WINDOW)?;
    let stored = stored(&state, &user).await?;
    let Some(secret) = stored.totp_pending.filter(|_| stored.totp_secret.is_none()) else {
        return Err(Error::conflict(
            "start the set-up first (POST /api/me/totp)",
        ));
    };
    let now = Utc::now();
    let step = factor::matching_step(&secret, &request.code, now)
        .ok_or_else(|| Error::field("code", "the code is wrong or out of date"))?;
    let (codes, hashes) = factor::new_recovery_codes();
    let txn = db::begin(&state.db).await?;
    db::second_factor::confirm(&txn, user.id, &secret, step, &hashes).await?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "user.enable_totp",
        "user",
        user.id,
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(RecoveryCodes {
        recovery_codes: codes,
    }))
}

/// `DELETE /api/me/totp`: with a current code, a recovery code or the password; 403 while an
/// admin requires a second factor of staff.
#[utoipa::path(
    delete,
    path = "/me/totp",
    tag = "second-factor",
    summary = "turn the second factor off with a code, a recovery code or the password",
    request_body = shared::api::TotpRemoval,
    responses(
        (status = 204, description = "removed"),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn remove_second_factor(
    State(state): State<AppState>,
    user: AuthUser,
    Json(request): Json<TotpRemoval>,
) -> Result<StatusCode> {
    if user.is_staff() && factor::required(&state).await? {
        return Err(Error::Forbidden(
            "an admin requires a second factor of every member of staff".into(),
        ));
    }
    let stored = stored(&state, &user).await?;
    if stored.totp_secret.is_none() {
        return Err(Error::conflict("no second factor is on"));
    }
    state
        .limiter
        .hit(&format!("totp:{}", user.id), ATTEMPTS, WINDOW)?;
    let proven = match (request.code, request.password) {
        (Some(code), _) if code.len() <= 64 => {
            factor::check(&state, &stored, &code).await?.is_some()
        }
        (None, Some(password)) if password.len() <= 1024 => {
            let hash = stored.password_hash.clone();
            tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
                .await
                .map_err(|error| Error::Internal(error.into()))?
        }
        _ => false,
    };
    if !proven {
        return Err(Error::field(
            "code",
            "give a current code, a recovery code or your password",
        ));
    }
    let now = Utc::now();
    let txn = db::begin(&state.db).await?;
    db::second_factor::remove(&txn, user.id).await?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "user.disable_totp",
        "user",
        user.id,
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/admin/settings` (admins).
#[utoipa::path(
    get,
    path = "/admin/settings",
    tag = "second-factor",
    summary = "product-wide settings (admins)",
    responses(
        (status = 200, description = "the settings", body = shared::api::AdminSettings),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn find_settings(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<AdminSettings>> {
    user.require_admin()?;
    Ok(Json(AdminSettings {
        require_staff_totp: factor::required(&state).await?,
    }))
}

/// `PUT /api/admin/settings` (admins): audited as `settings.update`.
#[utoipa::path(
    put,
    path = "/admin/settings",
    tag = "second-factor",
    summary = "change the product-wide settings (admins)",
    request_body = shared::api::AdminSettings,
    responses(
        (status = 200, description = "the settings", body = shared::api::AdminSettings),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn update_settings(
    State(state): State<AppState>,
    user: AuthUser,
    Json(settings): Json<AdminSettings>,
) -> Result<Json<AdminSettings>> {
    user.require_admin()?;
    let value = if settings.require_staff_totp {
        "true"
    } else {
        "false"
    };
    let txn = db::begin(&state.db).await?;
    db::second_factor::set_setting(&txn, factor::REQUIRE_STAFF_TOTP, value).await?;
    db::audit(
        &txn,
        Utc::now(),
        Some(user.id),
        "settings.update",
        "settings",
        0,
        serde_json::json!({ "require_staff_totp": settings.require_staff_totp }),
    )
    .await?;
    txn.commit().await?;
    state.directory.forget();
    Ok(Json(settings))
}
