//! An organisation's prepaid balance for paid work [004], in minutes: admins top it up or
//! correct it, and the time staff record on the organisation's paid tickets draws it down.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What changed a balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BalanceEntryKind {
    /// An admin added prepaid time.
    TopUp,
    /// An admin corrected the balance (either way).
    Correction,
    /// Time staff spent on a paid ticket.
    Work,
}

impl BalanceEntryKind {
    /// The stored name, such as `top_up`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TopUp => "top_up",
            Self::Correction => "correction",
            Self::Work => "work",
        }
    }

    /// The kind of a stored name; `None` for another text.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::TopUp, Self::Correction, Self::Work]
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }
}

/// One change of a balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BalanceEntry {
    pub id: i64,
    /// Signed: a top-up is positive, work is negative.
    pub minutes: i64,
    pub kind: BalanceEntryKind,
    /// For work: the ticket's reference.
    pub ticket: Option<String>,
    pub actor_name: Option<String>,
    pub comment: String,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/admin/organisations/{id}/balance`: the balance and its history, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Balance {
    pub organisation_id: i64,
    /// What is left, in minutes (negative when work overdrew it).
    pub minutes: i64,
    pub entries: Vec<BalanceEntry>,
}

/// `POST /api/admin/organisations/{id}/balance`: an admin's change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewBalanceEntry {
    /// `top_up` (positive minutes) or `correction` (either sign, not zero).
    pub kind: BalanceEntryKind,
    pub minutes: i64,
    /// Why: an invoice number, what was corrected.
    pub comment: String,
}
