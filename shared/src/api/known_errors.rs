//! Known errors and their links to tickets.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Meta;

/// A known error: a documented problem with its workaround and fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KnownError {
    pub id: i64,
    /// `KE-0001`.
    pub number: String,
    pub title: String,
    pub symptoms: String,
    pub affected_versions: String,
    pub workaround: String,
    pub solution: String,
    /// `investigating`, `workaround` or `fixed`.
    pub status: String,
    pub fixed_in: Option<String>,
    /// Whether customers may read it.
    pub published: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// `GET /api/known-errors?q=`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KnownErrorList {
    pub known_errors: Vec<KnownError>,
    pub meta: Meta,
}

/// `POST /api/known-errors` (L2, supervisors, admins).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewKnownError {
    pub title: String,
    pub symptoms: String,
    #[serde(default)]
    pub affected_versions: String,
    #[serde(default)]
    pub workaround: String,
    #[serde(default)]
    pub solution: String,
    /// Default `investigating`.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub fixed_in: Option<String>,
    #[serde(default)]
    pub published: bool,
}

/// `PATCH /api/known-errors/{id}`: only the fields present change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateKnownError {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub symptoms: Option<String>,
    #[serde(default)]
    pub affected_versions: Option<String>,
    #[serde(default)]
    pub workaround: Option<String>,
    #[serde(default)]
    pub solution: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub fixed_in: Option<String>,
    #[serde(default)]
    pub published: Option<bool>,
}
