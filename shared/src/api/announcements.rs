//! Announcements: staff-kept notices and the public list on the sign-in page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Meta;

/// A notice from supervisors: schedule changes, holiday hours, outages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Announcement {
    pub id: i64,
    /// `schedule`, `holiday`, `outage` or `info`.
    pub kind: String,
    pub title: String,
    pub body: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    /// Shown on the sign-in page too.
    pub public: bool,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/announcements`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnouncementList {
    pub announcements: Vec<Announcement>,
    pub meta: Meta,
}

/// An announcement as the sign-in page shows it to anybody: its words and when it holds, nothing
/// of who made it or how it is kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicAnnouncement {
    pub title: String,
    pub body: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
}

/// `GET /api/announcements/public`: the current announcements marked for the sign-in page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicAnnouncementList {
    pub announcements: Vec<PublicAnnouncement>,
    pub meta: Meta,
}

/// `POST /api/announcements`; `PATCH` takes the same fields, all optional.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAnnouncement {
    pub kind: String,
    pub title: String,
    pub body: String,
    /// Default: now.
    #[serde(default)]
    pub starts_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub ends_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub public: bool,
}

/// `PATCH /api/announcements/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateAnnouncement {
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub starts_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub ends_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub public: Option<bool>,
}
