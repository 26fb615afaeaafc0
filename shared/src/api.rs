//! Request and response types of the JSON API, and the error envelope.
//!
//! The server serializes exactly these types and the app deserializes them, so the wire never
//! carries a database model. This module must not depend on anything but serde and chrono.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The one JSON error envelope: `{"error": "validation", "message": "...", "field": "email"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable machine-readable code: `bad_request`, `unauthorized`, `forbidden`, `not_found`,
    /// `conflict`, `payload_too_large`, `unsupported_media_type`, `validation`, `rate_limited`,
    /// `internal`.
    pub error: String,
    /// A human-readable explanation, lowercase, without a trailing period.
    pub message: String,
    /// The first field the error is about, if it is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every invalid field with its message, for forms that show all errors at once.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

/// `GET /api/health`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
    /// `sqlite` or `postgres`.
    pub database: String,
}

/// `POST /api/auth/login`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
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
    pub role: String,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    /// `en` or `ru`.
    pub locale: String,
    /// An IANA zone such as `Europe/Moscow`.
    pub time_zone: String,
}

impl Me {
    /// Whether this user works for the vendor (agent, supervisor or admin).
    pub fn is_staff(&self) -> bool {
        self.role != "customer"
    }
}

/// Paging metadata of every list: the cursor of the next page, if there is one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
