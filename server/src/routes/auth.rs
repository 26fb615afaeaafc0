use std::time::Duration as StdDuration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Duration;
use shared::api::{LoginRequest, LoginResponse, Me};

use crate::auth::{self, AuthUser};
use crate::db;
use crate::error::{Error, Json, Result};
use crate::limits::ClientIp;
use crate::state::AppState;

const FAILURE_WINDOW: StdDuration = StdDuration::from_secs(15 * 60);
/// Failed sign-ins one client address may make in [`FAILURE_WINDOW`].
const FAILURES_PER_ADDRESS: u32 = 60;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(create_session))
        .route("/auth/logout", post(delete_session))
        .route("/me", get(find_me))
}

/// `POST /api/auth/login`: the same 401 for an unknown address and a wrong password; for an
/// account with a second factor, 401 `second_factor_required` without `code` and
/// `second_factor_invalid` with a wrong or used one (no session either way); an
/// account's repeated failures make its next attempt wait (429 with `Retry-After`, see
/// [`crate::throttle`]), and an address's many failures are refused for a while.
async fn create_session(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: axum::http::HeaderMap,
    Json(request): Json<LoginRequest>,
) -> Result<Response> {
    let email = request.email.trim().to_lowercase();
    if email.is_empty() {
        return Err(Error::field("email", "enter your e-mail address"));
    }
    if request.password.is_empty() {
        return Err(Error::field("password", "enter your password"));
    }
    if request.password.len() > 1024 || email.len() > 320 {
        return Err(Error::BadRequest("the credentials are too long".into()));
    }
    // Only failures count: colleagues behind one address sign in as often as they need.
    let address_key = format!("login-fail-ip:{ip}");
    if state.limiter.count(&address_key, FAILURE_WINDOW) >= FAILURES_PER_ADDRESS {
        state
            .limiter
            .hit(&address_key, FAILURES_PER_ADDRESS, FAILURE_WINDOW)?;
    }
    state.throttle.check(&email)?;

    let user = db::find_user_by_email(&state.db, &email).await?;
    let password = request.password;
    let (hash, user) = match user {
        Some(user) if user.active => (user.password_hash.clone(), Some(user)),
        _ => (auth::dummy_hash().to_owned(), None),
    };
    let verified = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(|error| Error::Internal(error.into()))?;
    let failed = |error: Error| {
        let _ = state
            .limiter
            .hit(&address_key, FAILURES_PER_ADDRESS, FAILURE_WINDOW);
        state.throttle.failed(&email);
        Err(error)
    };
    let Some(user) = user.filter(|_| verified) else {
        return failed(Error::BadCredentials);
    };
    if user.totp_secret.is_some() {
        // No session without the second factor; a wrong code counts as a failed sign-in.
        let code = request.code.as_deref().map(str::trim).unwrap_or_default();
        if code.is_empty() {
            return Err(Error::SecondFactor("second_factor_required"));
        }
        if code.len() > 64
            || crate::second_factor::check(&state, &user, code)
                .await?
                .is_none()
        {
            return failed(Error::SecondFactor("second_factor_invalid"));
        }
    }
    state.throttle.clear(&email);

    let lifetime = Duration::minutes(state.config.session_minutes);
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok());
    let (token, expires_at) = crate::sessions::start(&state, user.id, user_agent, Some(ip)).await?;
    let body = LoginResponse {
        token: token.clone(),
        expires_at,
        user: describe(&state, AuthUser::try_from(user)?).await?,
    };
    let secure = state.config.public_url.starts_with("https://");
    let cookie = auth::session_cookie(&token, lifetime, secure);
    let mut response = (StatusCode::OK, Json(body)).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|error| Error::Internal(error.into()))?,
    );
    Ok(response)
}

/// `POST /api/auth/logout`: ends the session on the server and clears the session cookie.
async fn delete_session(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    if let Some((user_id, session_id)) = auth::session_of(&state.keys, &parts)
        && let Err(error) = crate::sessions::end(&state, user_id, Some(&session_id), None).await
    {
        return error.into_response();
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Ok(value) = HeaderValue::from_str(&auth::clear_cookie()) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// `GET /api/me`: who is signed in.
async fn find_me(State(state): State<AppState>, user: AuthUser) -> Result<Json<Me>> {
    Ok(Json(describe(&state, user).await?))
}

pub(crate) async fn describe(state: &AppState, user: AuthUser) -> Result<Me> {
    let must_enrol_totp =
        user.is_staff() && !user.totp_enabled && crate::second_factor::required(state).await?;
    let organisation_name = match user.organisation_id {
        Some(id) => db::find_organisation(&state.db, id)
            .await?
            .map(|org| org.name),
        None => None,
    };
    Ok(Me {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        organisation_id: user.organisation_id,
        organisation_name,
        locale: user.locale,
        time_zone: user.time_zone,
        must_change_password: user.must_change_password,
        totp_enabled: user.totp_enabled,
        must_enrol_totp,
    })
}
