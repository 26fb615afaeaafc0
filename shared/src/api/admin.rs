//! Administration: audit, calendars, plans, canned responses, settings and dead letters.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Meta, VersionInfo};

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub details: serde_json::Value,
}

/// `GET /api/admin/audit?entity=&entity_id=&actor_id=&action=&cursor=`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditList {
    pub entries: Vec<AuditEntry>,
    pub meta: Meta,
}

/// A calendar of the library as admins manage it; `spec` is the current version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCalendar {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub version: i32,
    pub spec: crate::calendar::CalendarSpec,
    pub updated_at: DateTime<Utc>,
    /// Every version, newest first (only in single reads and write answers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<VersionInfo>,
}

/// `POST /api/admin/calendars`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCalendar {
    /// Lowercase letters, digits, `_` and `-`, at most 40.
    pub key: String,
    pub name: String,
    pub spec: crate::calendar::CalendarSpec,
}

/// `PUT /api/admin/calendars/{id}`: a new version. Every plan that follows this calendar gets a
/// new version too; with `move_open_tickets` their open tickets move to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateCalendar {
    #[serde(default)]
    pub name: Option<String>,
    pub spec: crate::calendar::CalendarSpec,
    #[serde(default)]
    pub move_open_tickets: bool,
}

/// The answer to `PUT /api/admin/calendars/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarChange {
    pub calendar: AdminCalendar,
    /// The plans that follow the calendar, at their new versions.
    pub plans: Vec<AdminPlan>,
    /// Open tickets moved to the new plan versions (their clocks are recomputed in the
    /// background).
    pub moved_tickets: u64,
}

/// An SLA plan as admins manage it; `spec` is the current version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminPlan {
    pub id: i64,
    pub key: String,
    pub name: String,
    /// The current version number and its id (tickets store the id).
    pub version: i32,
    pub version_id: i64,
    /// The library calendar the plan's ordinary calendar follows, if any.
    pub calendar_id: Option<i64>,
    pub spec: crate::sla::PlanSpec,
    pub updated_at: DateTime<Utc>,
    /// Every version, newest first (only in single reads and write answers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<VersionInfo>,
}

/// `POST /api/admin/plans`. With `calendar_id` the plan follows that library calendar:
/// `spec.calendar` is replaced by the calendar's current spec.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPlan {
    /// Lowercase letters, digits, `_` and `-`, at most 40.
    pub key: String,
    pub spec: crate::sla::PlanSpec,
    #[serde(default)]
    pub calendar_id: Option<i64>,
}

/// `PUT /api/admin/plans/{id}`: a new version. Tickets keep the version in force at their
/// registration unless `move_open_tickets` is set; `calendar_id` is as in [`NewPlan`] (absent:
/// the plan no longer follows a calendar).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdatePlan {
    pub spec: crate::sla::PlanSpec,
    #[serde(default)]
    pub calendar_id: Option<i64>,
    #[serde(default)]
    pub move_open_tickets: bool,
}

/// The answer to `PUT /api/admin/plans/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChange {
    pub plan: AdminPlan,
    /// Open tickets moved to the new version (their clocks are recomputed in the background).
    pub moved_tickets: u64,
}

/// A canned response: shared by the support team (`owner_id` `None`) or an agent's own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedResponse {
    pub id: i64,
    pub title: String,
    /// The text with `{{placeholders}}` (`shared::canned::PLACEHOLDERS`).
    pub body: String,
    pub owner_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/canned-responses`: `shared` ones are for supervisors and admins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCannedResponse {
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub shared: bool,
}

/// `GET /api/canned-responses`: the shared ones and the caller's own, by title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedResponseList {
    pub canned_responses: Vec<CannedResponse>,
}

/// `GET`/`PUT /api/admin/settings`: product-wide settings an admin chooses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminSettings {
    /// Staff without a second factor may sign in but do nothing until they set one up.
    pub require_staff_totp: bool,
}

/// An incoming message that could not be ingested, kept once for an admin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetter {
    pub id: i64,
    pub received_at: DateTime<Utc>,
    /// Why it could not be ingested.
    pub reason: String,
    /// The size of the raw message in bytes.
    pub size: i64,
    /// Its `Message-ID`, when one could be read.
    pub message_id: Option<String>,
    /// How many times it was offered and failed.
    pub attempts: i32,
}

/// `GET /api/admin/dead-letters`: newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetterList {
    pub dead_letters: Vec<DeadLetter>,
}
