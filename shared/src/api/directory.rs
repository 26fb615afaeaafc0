//! Organisations, contracts, people, products and password reminders.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Meta;

/// `GET /api/customers?q=`: the customers staff may register a ticket for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerList {
    pub customers: Vec<CustomerSummary>,
}

/// A customer as the picker of "New ticket for a customer" shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
}

/// A product with the versions support covers and the optional fields its tickets ask for
/// (`GET /api/products`, `GET /api/admin/products`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: i64,
    pub name: String,
    /// A version is supported when it is one of these or a release of one (`5.2.1` of `5.2`).
    pub supported_versions: Vec<String>,
    pub fields: Vec<crate::product::ProductField>,
}

/// `GET /api/products`, `GET /api/admin/products`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductList {
    pub products: Vec<Product>,
    pub meta: Meta,
}

/// `POST /api/admin/products`; `PUT /api/admin/products/{id}` replaces a product with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewProduct {
    pub name: String,
    #[serde(default)]
    pub supported_versions: Vec<String>,
    #[serde(default)]
    pub fields: Vec<crate::product::ProductField>,
}

/// The reminder the resolution mail adds for the customer to change any temporary password they
/// gave support: `GET`/`PUT /api/admin/plans/{id}/password-reminder` and
/// `/api/admin/organisations/{id}/password-reminder` (an organisation's overrides its plan's).
/// Both texts empty means none: an organisation then follows its plan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordReminder {
    /// The English text.
    #[serde(default)]
    pub en: String,
    /// The Russian text.
    #[serde(default)]
    pub ru: String,
}

impl PasswordReminder {
    /// Whether there is no text at all.
    pub fn is_empty(&self) -> bool {
        self.en.trim().is_empty() && self.ru.trim().is_empty()
    }

    /// The text in `locale`, or the other one when that one is empty.
    pub fn text(&self, locale: crate::i18n::Locale) -> &str {
        let (wanted, other) = match locale {
            crate::i18n::Locale::Ru => (&self.ru, &self.en),
            crate::i18n::Locale::En => (&self.en, &self.ru),
        };
        if wanted.trim().is_empty() {
            other
        } else {
            wanted
        }
    }
}

/// An organisation as admins manage it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    /// `unqualified` (serve without commitments) or `block` (refuse new tickets).
    pub on_expiry: String,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/admin/organisations`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    pub name: String,
    #[serde(default)]
    pub on_expiry: Option<String>,
}

/// Whether a contract takes special requests [000: agreed in the contract; 004: only with the
/// personal manager's agreement].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecialRequests {
    /// The customer sets the flag.
    #[default]
    Allowed,
    /// A new ticket with the flag is refused (422 naming `special`).
    NotAllowed,
    /// The request waits for staff confirmation (`set_special`); until then normal clocks run.
    Confirm,
}

impl SpecialRequests {
    /// The stored and JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allowed => "allowed",
            Self::NotAllowed => "not_allowed",
            Self::Confirm => "confirm",
        }
    }

    /// The setting of a stored name (anything unknown allows, as before the setting existed).
    pub fn from_name(name: &str) -> Self {
        match name {
            "not_allowed" => Self::NotAllowed,
            "confirm" => Self::Confirm,
            _ => Self::Allowed,
        }
    }
}

/// A support contract: which plan an organisation has, when, for how many accounts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
    pub id: i64,
    pub organisation_id: i64,
    /// The plan's key, such as `standard`.
    pub plan: String,
    pub valid_from: chrono::NaiveDate,
    pub valid_to: chrono::NaiveDate,
    pub account_limit: i32,
    /// The plan version the contract pins [000: the terms in force at signing apply]: its
    /// tickets run on it even after the plan is edited.
    #[serde(default)]
    pub plan_version: Option<i32>,
    /// The plan's current version.
    #[serde(default)]
    pub current_plan_version: Option<i32>,
    /// Whether the plan has a newer version than the pinned one (`PATCH` with `plan` moves to it).
    #[serde(default)]
    pub newer_plan_version: bool,
    #[serde(default)]
    pub special_requests: SpecialRequests,
}

/// `POST /api/admin/contracts`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewContract {
    pub organisation_id: i64,
    pub plan: String,
    pub valid_from: chrono::NaiveDate,
    pub valid_to: chrono::NaiveDate,
    pub account_limit: i32,
    /// `allowed` unless given.
    #[serde(default)]
    pub special_requests: Option<SpecialRequests>,
}

/// An account as admins see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: crate::ticket::Role,
    pub organisation_id: Option<i64>,
    pub active: bool,
    pub locale: String,
    pub time_zone: String,
}

/// `POST /api/admin/users`: the answer carries a one-time password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    /// `customer`, `agent_l1`, `agent_l2`, `supervisor` or `admin`.
    pub role: crate::ticket::Role,
    #[serde(default)]
    pub organisation_id: Option<i64>,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// The answer to creating an account or resetting its password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserWithPassword {
    pub user: User,
    /// Shown once; the user should change it.
    pub password: String,
}

/// `PATCH /api/admin/organisations/{id}`: only the fields given change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganisation {
    #[serde(default)]
    pub name: Option<String>,
    /// `unqualified` or `block`.
    #[serde(default)]
    pub on_expiry: Option<String>,
}

/// `PATCH /api/admin/contracts/{id}`: only the fields given change. Moving `valid_to` later is
/// a renewal and moving it before today an expiry; both are written to the audit log as such.
/// `plan` (even the same key) pins the plan's current version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateContract {
    /// A plan key.
    #[serde(default)]
    pub plan: Option<String>,
    #[serde(default)]
    pub valid_from: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub valid_to: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub account_limit: Option<i32>,
    #[serde(default)]
    pub special_requests: Option<SpecialRequests>,
}

/// One active member of staff, as the assignment picker shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    /// `agent_l1`, `agent_l2`, `supervisor` or `admin`.
    pub role: crate::ticket::Role,
}

/// `GET /api/staff`: the active members of staff a ticket can be assigned to, by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffList {
    pub staff: Vec<StaffMember>,
}
