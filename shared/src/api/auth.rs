//! Sign-in, sessions, passwords and the second factor.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST /api/auth/login`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// The second factor of an account that has one: a TOTP code or a recovery code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// The answer to a successful sign-in: the token (also set as a cookie) and who signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: Me,
}

/// `GET /api/me`: the signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// `customer`, `agent_l1`, `agent_l2`, `supervisor` or `admin`.
    pub role: crate::ticket::Role,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    /// `en` or `ru`.
    pub locale: String,
    /// An IANA zone such as `Europe/Moscow`.
    pub time_zone: String,
    /// The password was given by an administrator: until the user chooses their own, every
    /// call but this one, `POST /api/me/password` and sign-out answers 403
    /// `password_change_required`.
    #[serde(default)]
    pub must_change_password: bool,
    /// Whether signing in asks for a TOTP code.
    #[serde(default)]
    pub totp_enabled: bool,
    /// Staff must set up a second factor (an admin requires it) before anything else: every call
    /// but this one, the enrolment and sign-out answers 403 `second_factor_enrolment_required`.
    #[serde(default)]
    pub must_enrol_totp: bool,
}

impl Me {
    /// Whether the account may do nothing but change its password or set up a second factor.
    pub fn is_held(&self) -> bool {
        self.must_change_password || self.must_enrol_totp
    }

    /// Whether this user works for the vendor (agent, supervisor or admin).
    pub fn is_staff(&self) -> bool {
        self.role.is_staff()
    }
}

/// An account whose sign-in is being slowed down after failed attempts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginThrottle {
    pub email: String,
    /// Failed attempts since the last success (forgotten after 15 minutes without one).
    pub failures: u32,
    /// Seconds until the next attempt is considered (0: now).
    pub retry_after_seconds: u64,
    pub last_failure_at: DateTime<Utc>,
}

/// `GET /api/admin/login-throttles`: the accounts being slowed down, most failures first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginThrottleList {
    pub throttles: Vec<LoginThrottle>,
}

/// One open session (sign-in) of the caller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The browser or client that signed in, as it named itself.
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    /// Whether this is the session of the request.
    pub current: bool,
}

/// `GET /api/me/sessions`: the caller's open sessions, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionList {
    pub sessions: Vec<Session>,
}

/// `POST /api/me/password`: the caller changes their own password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/auth/password-reset`: mail a single-use link to choose a new password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// `POST /api/auth/password-reset/confirm`: the link's token and the new password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    pub token: String,
    pub new_password: String,
}

/// `POST /api/me/totp`: a new TOTP secret, pending until confirmed with a code from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpEnrolment {
    /// The shared secret in base32, for typing into an authenticator app.
    pub secret: String,
    /// The `otpauth://totp/...` URI the QR code holds.
    pub otpauth_uri: String,
    /// The QR code of the URI as an SVG document.
    pub qr_svg: String,
}

/// `POST /api/me/totp/confirm`: a code from the pending secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TotpConfirm {
    pub code: String,
}

/// The answer to a confirmed enrolment: single-use recovery codes, shown only once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// `DELETE /api/me/totp`: a current code (or a recovery code), or the password.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TotpRemoval {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}
