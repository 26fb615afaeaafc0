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
    pub role: String,
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
        self.role != "customer"
    }
}

/// Paging metadata of every list: the cursor of the next page, if there is one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `POST /api/tickets`: a new request as the customer files it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTicket {
    pub subject: String,
    pub description: String,
    /// `"A"` … `"E"`.
    pub category: crate::ticket::Category,
    /// 1–4, only for category `"C"`.
    #[serde(default)]
    pub severity: Option<crate::ticket::Severity>,
    #[serde(default)]
    pub special: bool,
    pub product_version: String,
    #[serde(default)]
    pub steps: Option<String>,
    /// The product (`GET /api/products`) the version is of, if the customer chose one: its
    /// supported versions and its plan decide what happens to a ticket on another version.
    #[serde(default)]
    pub product_id: Option<i64>,
    /// Values of the optional fields the product declares, by key.
    #[serde(default)]
    pub product_fields: BTreeMap<String, String>,
    /// Staff only: the customer the ticket is registered for (a phone or on-behalf ticket).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester_id: Option<i64>,
    /// Staff only: how the request came in; `portal` unless stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<crate::ticket::Channel>,
}

/// Why and until when a ticket is on hold, as the customer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    pub kind: crate::ticket::HoldKind,
    pub reason: String,
    /// When the ticket resumes by itself, if set.
    pub until: Option<DateTime<Utc>>,
}

/// The requester's details on a ticket, for staff [002 §2].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequesterDetails {
    pub email: String,
    /// The contract in force today, such as `#3, 2026-01-01 – 2026-12-31`; `None` without one.
    pub contract: Option<String>,
}

/// Another ticket named on a ticket page: the requester's other open tickets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketLink {
    pub reference: String,
    pub subject: String,
    pub status: crate::ticket::Status,
}

/// A known error linked to a ticket (customers see only the published ones).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedKnownError {
    pub id: i64,
    /// `KE-0003`.
    pub number: String,
    pub title: String,
    pub status: String,
    pub fixed_in: Option<String>,
}

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

/// A ticket as lists and the detail page show it. Staff-only fields are `None` for customers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub reference: String,
    pub subject: String,
    pub description: String,
    pub steps: Option<String>,
    pub product_version: String,
    /// The product's name at registration, if the customer chose one.
    #[serde(default)]
    pub product: Option<String>,
    /// The values of the product's own fields, by key.
    #[serde(default)]
    pub product_fields: BTreeMap<String, String>,
    /// The version is not one the product supports.
    #[serde(default)]
    pub unsupported_version: bool,
    pub classification: crate::ticket::Classification,
    /// The customer asked for a special request that waits for staff confirmation; until then
    /// the ticket runs on normal clocks.
    #[serde(default)]
    pub special_requested: bool,
    pub status: crate::ticket::Status,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub requester_id: i64,
    pub requester_name: String,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    /// 1 (L1) or 2 (L2).
    pub tier: i16,
    /// The optimistic-concurrency version: send it back as `If-Match`.
    pub version: i32,
    /// The SLA plan (name) in force at registration.
    pub plan: String,
    /// `standard`, `unqualified`, … : the plan's key.
    pub sla_level: String,
    pub registered_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub next_deadline: Option<DateTime<Utc>>,
    pub at_risk: bool,
    pub breached: bool,
    pub reopen_count: i32,
    pub close_reason: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The clocks as of the response.
    pub clocks: Option<crate::sla::Clocks>,
    /// The calendar the clocks run on (the plan version's, 24x7 for special requests), so the
    /// browser reads the clocks at its ticking `now` with `Clock::at`.
    #[serde(default)]
    pub calendar: Option<crate::calendar::CalendarSpec>,
    /// For a special request, the plan's ordinary calendar: its clocks marked
    /// `ordinary_calendar` kept the earlier ordinary deadline and run on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordinary_calendar: Option<crate::calendar::CalendarSpec>,
    /// What the caller may do now (`shared::ticket::allowed_actions`).
    pub allowed_actions: Vec<crate::ticket::Action>,
    /// How the request came in (`portal`, `email`, `phone`, …).
    #[serde(default)]
    pub channel: crate::ticket::Channel,
    /// Set while the ticket is `on_hold`.
    #[serde(default)]
    pub hold: Option<Hold>,
    /// Staff only: the requester's e-mail and contract.
    #[serde(default)]
    pub requester: Option<RequesterDetails>,
}

/// `GET /api/tickets`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketList {
    pub tickets: Vec<Ticket>,
    pub meta: Meta,
}

/// `GET /api/tickets/counts`: the queue's counters per state over every ticket of one staff
/// view (`?view=`, `?q=`, the same filter as `GET /api/tickets`), not only a page of it.
///
/// The server counts the derived columns each action stores (status, nearest running deadline,
/// at-risk and breached flags) at its own "now", so each ticket falls in at most one counter, the
/// state of the badge its queue row shows first:
/// - `paused`: it waits for the customer (`waiting_for_customer`); its resolution clock is
///   paused and the row reads "Waiting for customer";
/// - `breached`: otherwise, its nearest running deadline has passed, or no clock runs and one
///   was breached when it stopped. The `breached` view lists every ticket with any breach, so a
///   ticket whose first response was late but whose resolution clock runs on time is in that
///   view and counts as running or at risk, as its badge says;
/// - `at_risk`: otherwise, a clock runs and one has passed its warning threshold;
/// - `running`: otherwise, a clock runs.
///
/// A ticket where no clock runs and none was breached (no commitment, or a resolution clock
/// waiting for "reproduced" once the first response is met) is only in `total`. A running clock
/// outside its calendar's working hours counts as running or at risk: its row says "paused
/// until" the next working hour, but the stored state does not depend on the hour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketCounts {
    /// Every ticket of the view.
    pub total: u64,
    pub running: u64,
    pub at_risk: u64,
    pub breached: u64,
    pub paused: u64,
}

/// A public message of a ticket's thread (customers and staff see it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    /// Whether the author works for the vendor.
    pub from_staff: bool,
    /// The body exactly as written (render as plain text or sanitised Markdown).
    pub body: String,
    /// The automatic acknowledgement of registration (never counts as a response).
    pub automatic: bool,
    pub created_at: DateTime<Utc>,
}

/// An internal note: a separate type so that nothing built for customers can hold one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InternalNote {
    pub id: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// One entry of a ticket's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketEvent {
    pub id: i64,
    /// `registered`, `take`, `assign`, `agent_reply`, `customer_reply`, `request_info`, …
    pub kind: String,
    pub actor_id: Option<i64>,
    pub at: DateTime<Utc>,
    pub payload: serde_json::Value,
}

/// `GET /api/tickets/{reference}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketDetail {
    pub ticket: Ticket,
    pub messages: Vec<Message>,
    /// Staff only; always empty for customers.
    #[serde(default)]
    pub internal_notes: Vec<InternalNote>,
    pub events: Vec<TicketEvent>,
    /// Proposals of a new classification, newest last.
    #[serde(default)]
    pub reclassifications: Vec<Reclassification>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// The plan version the ticket runs on, so the browser shows what a proposed
    /// reclassification would do to the deadlines.
    #[serde(default)]
    pub plan_spec: Option<crate::sla::PlanSpec>,
    /// Known errors linked to the ticket; customers see the published ones.
    #[serde(default)]
    pub known_errors: Vec<LinkedKnownError>,
    /// Staff only: the requester's other open tickets.
    #[serde(default)]
    pub requester_open_tickets: Vec<TicketLink>,
}

/// `GET /api/sla/plan`: the plan a new ticket of the caller's organisation gets now (its
/// contract's, or "unqualified" without one), for the deadline preview of the new-ticket form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanInForce {
    pub key: String,
    pub name: String,
    pub spec: crate::sla::PlanSpec,
    /// Whether the contract takes special requests (the form hides or explains the flag).
    #[serde(default)]
    pub special_requests: SpecialRequests,
}

/// `POST /api/tickets/{reference}/messages`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    pub body: String,
    /// An internal note (staff only).
    #[serde(default)]
    pub internal: bool,
}

/// `POST /api/tickets/{reference}/actions`, with `If-Match: <version>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    /// `take`, `assign`, `request_info`, `mark_reproduced`, `escalate`, `link_known_error`,
    /// `resolve`, `reopen`, `close`, `expedite`.
    pub action: crate::ticket::Action,
    /// For `assign`: the staff member.
    #[serde(default)]
    pub assignee_id: Option<i64>,
    /// For `link_known_error`.
    #[serde(default)]
    pub known_error_id: Option<i64>,
    /// A public comment sent with the action (the question of `request_info`, the answer of
    /// `resolve`, the reason of `reopen`, why a ticket is or is not a special request).
    #[serde(default)]
    pub comment: Option<String>,
    /// For `set_special`: whether the ticket is a special request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special: Option<bool>,
    /// For `hold`: why, in words the customer reads.
    #[serde(default)]
    pub reason: Option<String>,
    /// For `hold`: the kind of reason (`vendor_fix`, `unlicensed_copy`, `scheduled_work`,
    /// `other`, the default).
    #[serde(default)]
    pub reason_kind: Option<crate::ticket::HoldKind>,
    /// For `hold`: when the ticket resumes by itself.
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
}

/// A known error: a documented problem with its workaround and fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
pub struct KnownErrorList {
    pub known_errors: Vec<KnownError>,
    pub meta: Meta,
}

/// `POST /api/known-errors` (L2, supervisors, admins).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// A notice from supervisors: schedule changes, holiday hours, outages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
pub struct AnnouncementList {
    pub announcements: Vec<Announcement>,
    pub meta: Meta,
}

/// An announcement as the sign-in page shows it to anybody: its words and when it holds, nothing
/// of who made it or how it is kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAnnouncement {
    pub title: String,
    pub body: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
}

/// `GET /api/announcements/public`: the current announcements marked for the sign-in page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAnnouncementList {
    pub announcements: Vec<PublicAnnouncement>,
    pub meta: Meta,
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

/// `POST /api/announcements`; `PATCH` takes the same fields, all optional.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// `POST /api/sla/preview`: the deadlines a classification would get under a plan (a stored
/// plan by key, or an unsaved spec as admins edit it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaPreviewRequest {
    /// A stored plan's key such as `standard`.
    #[serde(default)]
    pub plan: Option<String>,
    /// An unsaved plan spec (`shared::sla::PlanSpec` JSON).
    #[serde(default)]
    pub plan_spec: Option<serde_json::Value>,
    pub classification: crate::ticket::Classification,
    pub registered_at: DateTime<Utc>,
}

/// The answer of `POST /api/sla/preview`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlaPreview {
    pub plan: String,
    pub targets: crate::sla::Targets,
    pub clocks: crate::sla::Clocks,
    pub first_response_deadline: Option<DateTime<Utc>>,
    pub resolution_deadline: Option<DateTime<Utc>>,
}

/// `POST /api/tickets/{reference}/rating`: the customer rates a resolved ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRating {
    /// 1–5.
    pub score: u8,
    #[serde(default)]
    pub comment: String,
}

/// `POST /api/tickets/{reference}/reclassifications`: staff propose a new classification; the
/// customer accepts or rejects it, and the targets change only on acceptance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReclassification {
    pub category: crate::ticket::Category,
    #[serde(default)]
    pub severity: Option<crate::ticket::Severity>,
    pub reason: String,
}

/// `POST /api/reclassifications/{id}/accept` or `/reject` (the body is optional): the
/// customer's comment on the decision, added to the thread.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReclassificationDecision {
    #[serde(default)]
    pub comment: Option<String>,
}

/// A reclassification proposal and its outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reclassification {
    pub id: i64,
    pub from: crate::ticket::Classification,
    pub to: crate::ticket::Classification,
    pub reason: String,
    /// `pending`, `accepted` or `rejected`.
    pub status: String,
    pub proposed_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
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
    pub role: String,
    pub organisation_id: Option<i64>,
    pub active: bool,
    pub locale: String,
    pub time_zone: String,
}

/// `GET /api/admin/organisations/{id}/watchers`: the users who hear of every ticket of the
/// organisation besides its requester, assignee and followers — the organisation's own customer
/// accounts and staff such as an account manager.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatcherList {
    pub watchers: Vec<User>,
    pub meta: Meta,
}

/// `PUT /api/admin/organisations/{id}/watchers`: the whole new set of watchers (an empty list
/// removes them all). Each must be an active staff account or an active customer of this
/// organisation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateWatchers {
    pub user_ids: Vec<i64>,
}

/// `POST /api/admin/users`: the answer carries a one-time password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    /// `customer`, `agent_l1`, `agent_l2`, `supervisor` or `admin`.
    pub role: String,
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

/// A file attached to a ticket (the content is at `GET /api/attachments/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub uploader_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    /// Delivery confirmation: when the requester first downloaded a file staff sent (shown to
    /// staff only; customers always get `null`).
    pub first_downloaded_at: Option<DateTime<Utc>>,
}

/// `GET /api/rating-links/{token}`: what a signed link from the resolution mail is about, and
/// whether it still works (it works once, and only while the ticket is as the mail left it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingLink {
    pub reference: String,
    pub subject: String,
    pub status: crate::ticket::Status,
    /// Whether the link can still be used at all.
    pub usable: bool,
    /// What the link can do now: `rate` and/or `reopen`.
    pub actions: Vec<String>,
}

/// `POST /api/rating-links/{token}`: rate (1–5, an optional comment) or reopen (a comment).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum RatingLinkAction {
    Rate {
        score: u8,
        #[serde(default)]
        comment: String,
    },
    Reopen {
        #[serde(default)]
        comment: String,
    },
}

/// What became of an incoming mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IngestOutcome {
    /// A new ticket was registered (and acknowledged).
    Created,
    /// The message was added to the ticket its reference names.
    Threaded,
    /// The sender is not a registered active user (they got one refusal mail), or their
    /// organisation may not register tickets.
    Refused,
    /// This Message-ID was ingested before; nothing was stored again.
    Duplicate,
    /// An automatic reply, our own mail, or nothing to do: stored nowhere but the intake log.
    Ignored,
    /// The message could not be read or applied: it is kept once among the dead letters for an
    /// admin, and not retried.
    DeadLettered,
}

/// `POST /api/inbound/email` and `reglament ingest-mail`: the outcome and the ticket, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ingested {
    pub outcome: IngestOutcome,
    pub reference: Option<String>,
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

/// One stored version of a calendar or a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub id: i64,
    pub version: i32,
    pub created_at: DateTime<Utc>,
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

/// One expedite request: a customer asked the head of support to hurry a ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpediteRequest {
    /// The event's id (also the paging cursor).
    pub id: i64,
    pub at: DateTime<Utc>,
    pub reference: String,
    pub subject: String,
    pub status: String,
    pub organisation: String,
    pub requested_by: Option<String>,
    /// The comment the customer gave, if any.
    pub comment: Option<String>,
}

/// `GET /api/expedite-requests?cursor=&limit=`: newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpediteRequestList {
    pub requests: Vec<ExpediteRequest>,
    pub meta: Meta,
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

/// One active member of staff, as the assignment picker shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    /// `agent_l1`, `agent_l2`, `supervisor` or `admin`.
    pub role: String,
}

/// `GET /api/staff`: the active members of staff a ticket can be assigned to, by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffList {
    pub staff: Vec<StaffMember>,
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
