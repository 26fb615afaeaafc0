//! Who is calling: session tokens (JWT, HS256) in a cookie or a Bearer header, argon2id
//! password hashes, and the `AuthUser` extractor. Whether a caller *may* do something is decided
//! by explicit `require_*` calls in the handlers.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use shared::ticket::Role;

use crate::db;
use crate::error::Error;
use crate::state::AppState;

/// The name of the session cookie.
pub const COOKIE: &str = "rg_session";

pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl Keys {
    pub fn new(secret: &[u8]) -> Keys {
        Keys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    /// The server-side session (`sessions.id`) the token belongs to.
    #[serde(default)]
    sid: String,
    iat: i64,
    exp: i64,
}

/// Signs a token of session `session_id` for `user_id` valid until `expires_at`.
///
/// # Errors
/// Only if signing fails, which a valid key never does.
pub fn issue_token(
    keys: &Keys,
    user_id: i64,
    session_id: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> anyhow::Result<String> {
    let claims = Claims {
        sub: user_id.to_string(),
        sid: session_id.to_owned(),
        iat: now.timestamp(),
        exp: expires_at.timestamp(),
    };
    Ok(jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &keys.encoding,
    )?)
}

/// The (user id, session id) of a valid session token; a token without a session is none.
pub fn verify_token(keys: &Keys, token: &str) -> Option<(i64, String)> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 5;
    let data = jsonwebtoken::decode::<Claims>(token, &keys.decoding, &validation).ok()?;
    if data.claims.sid.is_empty() {
        return None;
    }
    Some((data.claims.sub.parse().ok()?, data.claims.sid))
}

/// The session named by the request's token (Bearer or cookie), if the token is valid.
pub fn session_of(keys: &Keys, parts: &Parts) -> Option<(i64, String)> {
    verify_token(keys, &token_from(parts)?)
}

/// The session of the signed-in caller (its id), put beside [`AuthUser`] by its extractor.
#[derive(Clone, Debug)]
pub struct SessionId(pub String);

#[derive(Debug, Serialize, Deserialize)]
struct LinkClaims {
    /// What the link may do, e.g. `rate`.
    purpose: String,
    ticket: i64,
    user: i64,
    /// The ticket version the link was issued for: once the ticket changes (rated, reopened,
    /// closed), the link no longer works, which makes it single-use.
    version: i32,
    exp: i64,
}

/// A link token that lets `user_id` act on one ticket without signing in (the rating link in the
/// resolution mail).
///
/// # Errors
/// Only if signing fails.
pub fn issue_link_token(
    keys: &Keys,
    purpose: &str,
    ticket_id: i64,
    user_id: i64,
    version: i32,
    expires_at: DateTime<Utc>,
) -> anyhow::Result<String> {
    let claims = LinkClaims {
        purpose: purpose.to_owned(),
        ticket: ticket_id,
        user: user_id,
        version,
        exp: expires_at.timestamp(),
    };
    Ok(jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &keys.encoding,
    )?)
}

/// What a valid link token grants: (ticket id, user id, ticket version).
pub fn verify_link_token(keys: &Keys, purpose: &str, token: &str) -> Option<(i64, i64, i32)> {
    let validation = Validation::new(Algorithm::HS256);
    let data = jsonwebtoken::decode::<LinkClaims>(token, &keys.decoding, &validation).ok()?;
    (data.claims.purpose == purpose).then_some((
        data.claims.ticket,
        data.claims.user,
        data.claims.version,
    ))
}

/// The `Set-Cookie` value that carries a session, HttpOnly and SameSite.
pub fn session_cookie(token: &str, max_age: Duration, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        max_age.num_seconds().max(0)
    )
}

/// The `Set-Cookie` value that ends a session.
pub fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// Hashes a password with argon2id and a random salt.
///
/// # Errors
/// Only on an internal failure of the hasher.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|error| anyhow::anyhow!("{error}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| anyhow::anyhow!("cannot hash the password: {error}"))
}

/// Whether `password` matches the stored `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of nothing anybody knows, verified for unknown e-mail addresses so that an unknown
/// address and a wrong password take the same time.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let random: [u8; 16] = rand::random();
        hash_password(&hex::encode(random)).unwrap_or_default()
    })
}

/// The signed-in caller, loaded fresh from the database on every request so that a deactivated
/// account or a changed role takes effect at once.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub locale: String,
    pub time_zone: String,
    /// The password was given by an administrator and must be changed first.
    pub must_change_password: bool,
    /// Whether signing in asks for a TOTP code.
    pub totp_enabled: bool,
}

/// Why a signed-in account may do nothing but a few things until it acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    /// An administrator gave the password: change it (`POST /api/me/password`).
    PasswordChange,
    /// Staff must set up a second factor (`POST /api/me/totp`, then `.../confirm`).
    SecondFactorEnrolment,
}

impl Hold {
    /// The code of the 403 that every other call answers.
    pub fn code(self) -> &'static str {
        match self {
            Hold::PasswordChange => "password_change_required",
            Hold::SecondFactorEnrolment => "second_factor_enrolment_required",
        }
    }

    /// Whether `method` `path` (under `/api`, with or without the prefix) may be called anyway.
    pub fn allows(self, method: &axum::http::Method, path: &str) -> bool {
        use axum::http::Method;
        let path = path.strip_prefix("/api").unwrap_or(path);
        let post = method == Method::POST;
        (method == Method::GET && path == "/me")
            || (post && matches!(path, "/me/password" | "/auth/logout"))
            || (post
                && self == Hold::SecondFactorEnrolment
                && matches!(path, "/me/totp" | "/me/totp/confirm"))
    }
}

/// What holds `user`, if anything: an administrator's password first, then a second factor
/// the admin setting requires of staff.
///
/// # Errors
/// A database failure.
pub async fn hold_of(state: &AppState, user: &AuthUser) -> Result<Option<Hold>, Error> {
    if user.must_change_password {
        return Ok(Some(Hold::PasswordChange));
    }
    if user.is_staff() && !user.totp_enabled && crate::second_factor::required(state).await? {
        return Ok(Some(Hold::SecondFactorEnrolment));
    }
    Ok(None)
}

impl AuthUser {
    pub fn is_staff(&self) -> bool {
        self.role.is_staff()
    }

    pub fn is_customer(&self) -> bool {
        self.role == Role::Customer
    }

    /// Supervisors and admins see everything and manage people.
    pub fn is_manager(&self) -> bool {
        self.role.is_manager()
    }

    /// # Errors
    /// 403 unless the caller works for the vendor.
    pub fn require_staff(&self) -> Result<(), Error> {
        if self.is_staff() {
            Ok(())
        } else {
            Err(Error::Forbidden("only support staff may do this".into()))
        }
    }

    /// # Errors
    /// 403 unless the caller is a supervisor or an admin.
    pub fn require_manager(&self) -> Result<(), Error> {
        if self.is_manager() {
            Ok(())
        } else {
            Err(Error::Forbidden(
                "only a supervisor or an admin may do this".into(),
            ))
        }
    }

    /// # Errors
    /// 403 unless the caller is an admin.
    pub fn require_admin(&self) -> Result<(), Error> {
        if self.role.is_admin() {
            Ok(())
        } else {
            Err(Error::Forbidden("only an admin may do this".into()))
        }
    }
}

/// An account as the server acts for it; a stored role outside the closed set is an error, never
/// a guess.
impl TryFrom<crate::db::entity::user::Model> for AuthUser {
    type Error = Error;

    fn try_from(user: crate::db::entity::user::Model) -> Result<AuthUser, Error> {
        let role = db::role_of(&user)?;
        Ok(AuthUser {
            id: user.id,
            email: user.email,
            name: user.name,
            role,
            organisation_id: user.organisation_id,
            locale: user.locale,
            time_zone: user.time_zone,
            must_change_password: user.must_change_password,
            totp_enabled: user.totp_secret.is_some(),
        })
    }
}

/// Whether the request carries a session cookie (a browser's credentials, sent by the browser
/// whoever asks it to).
pub fn has_session_cookie(headers: &axum::http::HeaderMap) -> bool {
    cookie_token(headers).is_some()
}

fn cookie_token(headers: &axum::http::HeaderMap) -> Option<String> {
    for value in headers.get_all(header::COOKIE) {
        let Ok(value) = value.to_str() else { continue };
        for pair in value.split(';') {
            if let Some((name, token)) = pair.trim().split_once('=')
                && name == COOKIE
                && !token.is_empty()
            {
                return Some(token.to_owned());
            }
        }
    }
    None
}

fn token_from(parts: &Parts) -> Option<String> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let value = value.to_str().ok()?;
        return value
            .strip_prefix("Bearer ")
            .map(|token| token.trim().to_owned());
    }
    cookie_token(&parts.headers)
}

/// The active account `user_id`, remembered by the directory.
///
/// # Errors
/// 401 for a missing or deactivated account; a database failure.
pub async fn active_user(state: &AppState, user_id: i64) -> Result<AuthUser, Error> {
    state
        .directory
        .users
        .get_or_read(user_id, async {
            db::find_user(&state.db, user_id)
                .await?
                .filter(|user| user.active)
                .map(AuthUser::try_from)
                .transpose()?
                .ok_or(Error::Unauthorized)
        })
        .await
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        if let Some(user) = parts.extensions.get::<AuthUser>() {
            return Ok(user.clone());
        }
        let token = token_from(parts).ok_or(Error::Unauthorized)?;
        let (user_id, session_id) = verify_token(&state.keys, &token).ok_or(Error::Unauthorized)?;
        if !state
            .sessions
            .is_open(&state.db, &session_id, user_id)
            .await?
        {
            return Err(Error::Unauthorized);
        }
        let user = active_user(state, user_id).await?;
        if let Some(hold) = hold_of(state, &user).await?
            && !hold.allows(&parts.method, parts.uri.path())
        {
            return Err(Error::Held(hold.code()));
        }
        parts.extensions.insert(user.clone());
        parts.extensions.insert(SessionId(session_id));
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_and_a_forged_one_does_not() {
        let keys = Keys::new(b"0123456789abcdef0123456789abcdef");
        let now = Utc::now();
        let token = issue_token(&keys, 42, "s1", now, now + Duration::minutes(5)).unwrap();
        assert_eq!(verify_token(&keys, &token), Some((42, "s1".to_owned())));
        let other = Keys::new(b"fedcba9876543210fedcba9876543210");
        assert_eq!(verify_token(&other, &token), None);
        let expired = issue_token(&keys, 42, "s1", now, now - Duration::minutes(5)).unwrap();
        assert_eq!(verify_token(&keys, &expired), None);
    }

    #[test]
    fn a_link_token_is_bound_to_its_purpose_and_is_not_a_session() {
        let keys = Keys::new(b"0123456789abcdef0123456789abcdef");
        let now = Utc::now();
        let link = issue_link_token(&keys, "rate", 7, 3, 5, now + Duration::days(30)).unwrap();
        assert_eq!(verify_link_token(&keys, "rate", &link), Some((7, 3, 5)));
        assert_eq!(verify_link_token(&keys, "reset", &link), None);
        // A link is never accepted as a session, and a session never as a link.
        assert_eq!(verify_token(&keys, &link), None);
        let session = issue_token(&keys, 3, "s1", now, now + Duration::minutes(5)).unwrap();
        assert_eq!(verify_link_token(&keys, "rate", &session), None);
    }

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }
}
