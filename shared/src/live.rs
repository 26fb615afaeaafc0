//! The live events the server streams to browsers (`GET /api/events`, Server-Sent Events).
//!
//! Each event is one row of a ticket's event log, delivered: its `id` is the log's id, so a
//! client that reconnects with `Last-Event-ID` gets exactly what it missed. The event names the
//! ticket and carries the inputs of its clocks, so a dashboard can move and recolour a row
//! without another request.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LiveKind {
    /// A ticket was registered.
    TicketCreated,
    /// A ticket's status, assignee, classification or clocks changed.
    TicketUpdated,
    /// A message (public, or an internal note for staff) was added to a ticket.
    MessageAdded,
    /// A notification for the receiving user.
    Notification,
    /// A known error changed (e.g. it was marked fixed).
    KnownErrorUpdated,
    /// An announcement was published or changed.
    Announcement,
}

impl LiveKind {
    /// The kind of live event a stored ticket event becomes.
    pub fn of_event(event_kind: &str) -> LiveKind {
        match event_kind {
            "registered" | "created" | "ticket_created" => LiveKind::TicketCreated,
            kind if kind.contains("message") || kind.contains("reply") || kind.contains("note") => {
                LiveKind::MessageAdded
            }
            _ => LiveKind::TicketUpdated,
        }
    }
}

/// The state of a ticket after the event, enough to place and colour it in a queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveTicket {
    pub status: String,
    pub version: i32,
    pub special: bool,
    pub assignee_id: Option<i64>,
    pub next_deadline: Option<DateTime<Utc>>,
    pub at_risk: bool,
    pub breached: bool,
}

/// One live event as the `data:` of a Server-Sent Event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveEvent {
    /// The event-log id (also the SSE `id:`); notifications carry their own id and no SSE id.
    pub id: i64,
    pub kind: LiveKind,
    /// The stored event's own kind, e.g. `request_info` or `resolved`.
    #[serde(default)]
    pub event: String,
    /// The ticket's reference, e.g. `RG-000123`.
    pub reference: Option<String>,
    pub at: DateTime<Utc>,
    /// The ticket after the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<LiveTicket>,
    /// For notifications: the text shown to the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// One in-app notification (`GET /api/notifications`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub text: String,
    /// The ticket it is about, if any.
    pub reference: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// `GET /api/notifications`: newest first, with the number still unread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationList {
    pub notifications: Vec<Notification>,
    pub unread: u64,
    pub meta: crate::api::Meta,
}

/// What a user chooses to receive by mail (in-app notifications always arrive).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct MailPreferences {
    /// Mail about my own tickets' replies and status changes.
    pub ticket_updates: bool,
    /// Mail about tickets I follow or watch for my organisation.
    pub followed_tickets: bool,
    /// SLA warnings and breaches (staff).
    pub sla_alerts: bool,
    /// Announcements (schedule changes, holiday hours, outages).
    pub announcements: bool,
}

impl Default for MailPreferences {
    fn default() -> Self {
        MailPreferences {
            ticket_updates: true,
            followed_tickets: true,
            sla_alerts: true,
            announcements: true,
        }
    }
}

/// `PATCH /api/me`: the fields a user may change about themself; absent fields stay.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateProfile {
    pub name: Option<String>,
    /// `en` or `ru`.
    pub locale: Option<String>,
    /// An IANA zone such as `Europe/Moscow`.
    pub time_zone: Option<String>,
    pub mail: Option<MailPreferences>,
}

/// `GET /api/me/preferences`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    pub name: String,
    pub locale: String,
    pub time_zone: String,
    pub mail: MailPreferences,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_event_kinds_map_to_live_kinds() {
        assert_eq!(LiveKind::of_event("registered"), LiveKind::TicketCreated);
        assert_eq!(LiveKind::of_event("agent_reply"), LiveKind::MessageAdded);
        assert_eq!(LiveKind::of_event("internal_note"), LiveKind::MessageAdded);
        assert_eq!(LiveKind::of_event("resolved"), LiveKind::TicketUpdated);
    }

    #[test]
    fn the_wire_form_is_snake_case() {
        let json = serde_json::to_value(LiveKind::TicketCreated).unwrap();
        assert_eq!(json, "ticket_created");
    }
}
