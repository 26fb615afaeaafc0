//! Tickets: filing, the queue, the thread, actions, ratings, reclassification, followers, attachments.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::{Meta, SpecialRequests, User};

/// `POST /api/tickets`: a new request as the customer files it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Scheduled off-hours work [004]: the window asked for, at least two working days ahead
    /// in the plan's calendar (`shared::ticket::scheduled::check`); the ticket is on hold
    /// until the window starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_work: Option<crate::ticket::scheduled::ScheduledWork>,
    /// Paid work [004]: accepted only while the organisation's prepaid balance is positive;
    /// the time staff record on it draws the balance down.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub paid: bool,
}

/// Why and until when a ticket is on hold, as the customer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hold {
    pub kind: crate::ticket::HoldKind,
    pub reason: String,
    /// When the ticket resumes by itself, if set.
    pub until: Option<DateTime<Utc>>,
}

/// The requester's details on a ticket, for staff [002 §2].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequesterDetails {
    pub email: String,
    /// The contract in force today, such as `#3, 2026-01-01 – 2026-12-31`; `None` without one.
    pub contract: Option<String>,
}

/// Another ticket named on a ticket page: the requester's other open tickets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketLink {
    pub reference: String,
    pub subject: String,
    pub status: crate::ticket::Status,
}

/// A known error linked to a ticket (customers see only the published ones).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedKnownError {
    pub id: i64,
    /// `KE-0003`.
    pub number: String,
    pub title: String,
    pub status: String,
    pub fixed_in: Option<String>,
}

/// A ticket as lists and the detail page show it. Staff-only fields are `None` for customers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Scheduled off-hours work: the window asked for.
    #[serde(default)]
    pub scheduled_work: Option<crate::ticket::scheduled::ScheduledWork>,
    /// Paid work: staff time on it draws the organisation's prepaid balance.
    #[serde(default)]
    pub paid: bool,
}

/// `GET /api/tickets`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
/// - `paused`: it waits for the customer (`waiting_for_customer`) or is on hold (`on_hold`,
///   whichever clocks its plan pauses then); the row reads "Waiting for customer" or "On hold";
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// The minutes of staff time the reply records, if any.
    #[serde(default)]
    pub minutes: Option<u32>,
}

/// An internal note: a separate type so that nothing built for customers can hold one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InternalNote {
    pub id: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// The minutes of staff time the note records, if any.
    #[serde(default)]
    pub minutes: Option<u32>,
}

/// One entry of a ticket's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    pub body: String,
    /// An internal note (staff only).
    #[serde(default)]
    pub internal: bool,
    /// Staff only: the minutes spent on the ticket that this reply or note records (1–1440).
    /// On a paid ticket they draw the organisation's prepaid balance down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
}

/// `POST /api/tickets/{reference}/actions`, with `If-Match: <version>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// `POST /api/sla/preview`: the deadlines a classification would get under a plan (a stored
/// plan by key, or an unsaved spec as admins edit it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaPreview {
    pub plan: String,
    pub targets: crate::sla::Targets,
    pub clocks: crate::sla::Clocks,
    pub first_response_deadline: Option<DateTime<Utc>>,
    pub resolution_deadline: Option<DateTime<Utc>>,
}

/// `POST /api/tickets/{reference}/rating`: the customer rates a resolved ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReclassificationDecision {
    #[serde(default)]
    pub comment: Option<String>,
}

/// A reclassification proposal and its outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// `GET /api/admin/organisations/{id}/watchers`: the users who hear of every ticket of the
/// organisation besides its requester, assignee and followers — the organisation's own customer
/// accounts and staff such as an account manager.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WatcherList {
    pub watchers: Vec<User>,
    pub meta: Meta,
}

/// `PUT /api/admin/organisations/{id}/watchers`: the whole new set of watchers (an empty list
/// removes them all). Each must be an active staff account or an active customer of this
/// organisation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateWatchers {
    pub user_ids: Vec<i64>,
}

/// A file attached to a ticket (the content is at `GET /api/attachments/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// One expedite request: a customer asked the head of support to hurry a ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpediteRequestList {
    pub requests: Vec<ExpediteRequest>,
    pub meta: Meta,
}
