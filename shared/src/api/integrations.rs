//! Integrations with a company's own systems: signed webhooks and the support mailboxes the
//! server reads over IMAP (`/api/admin/webhooks`, `/api/admin/mailboxes`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Meta;

/// What a webhook endpoint can subscribe to; each is one or more kinds of the ticket event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WebhookEvent {
    /// A ticket was registered (`registered`).
    TicketCreated,
    /// The ticket's status or handler changed (`take`, `assign`, `resolve`, `close`, …).
    StatusChanged,
    /// A reply or an internal note was added (internal notes reach internal endpoints only).
    MessageAdded,
    /// A clock passed its warning threshold (`sla_warning`).
    ClockAtRisk,
    /// A clock passed its deadline (`sla_breach`).
    ClockBreached,
    /// The customer rated the support (`rate`).
    Rated,
}

impl WebhookEvent {
    /// Every event, in the order the Admin screen lists them.
    pub const ALL: [Self; 6] = [
        Self::TicketCreated,
        Self::StatusChanged,
        Self::MessageAdded,
        Self::ClockAtRisk,
        Self::ClockBreached,
        Self::Rated,
    ];

    /// The JSON name, such as `ticket_created`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TicketCreated => "ticket_created",
            Self::StatusChanged => "status_changed",
            Self::MessageAdded => "message_added",
            Self::ClockAtRisk => "clock_at_risk",
            Self::ClockBreached => "clock_breached",
            Self::Rated => "rated",
        }
    }

    /// The event of a JSON name; `None` for another text.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|event| event.as_str() == text)
    }

    /// The webhook event a stored ticket event (its `kind`) is, if any.
    ///
    /// # Examples
    /// ```
    /// use shared::api::WebhookEvent;
    /// assert_eq!(WebhookEvent::of_event("registered"), Some(WebhookEvent::TicketCreated));
    /// assert_eq!(WebhookEvent::of_event("internal_note"), Some(WebhookEvent::MessageAdded));
    /// assert_eq!(WebhookEvent::of_event("resolve"), Some(WebhookEvent::StatusChanged));
    /// assert_eq!(WebhookEvent::of_event("auto_acknowledgement"), None);
    /// ```
    pub fn of_event(kind: &str) -> Option<Self> {
        Some(match kind {
            "registered" => Self::TicketCreated,
            "agent_reply" | "customer_reply" | "internal_note" | "reply" => Self::MessageAdded,
            "take" | "assign" | "request_info" | "escalate" | "link_known_error" | "resolve"
            | "reopen" | "close" | "hold" | "resume" | "known_error_fixed" => Self::StatusChanged,
            "sla_warning" => Self::ClockAtRisk,
            "sla_breach" => Self::ClockBreached,
            "rate" => Self::Rated,
            _ => return None,
        })
    }
}

/// `POST /api/admin/webhooks`; `PUT /api/admin/webhooks/{id}` replaces an endpoint with it
/// (without `secret` the stored secret stays).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// `https://…` (or `http://…`) where deliveries are posted.
    pub url: String,
    /// The key of the HMAC-SHA256 signature, 16 to 200 characters; never sent back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub events: Vec<WebhookEvent>,
    /// Whether internal notes reach this endpoint (a system of the support team's own).
    #[serde(default)]
    pub internal: bool,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
}

fn enabled_by_default() -> bool {
    true
}

/// A registered endpoint, with how its deliveries stand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub internal: bool,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    /// Deliveries waiting for (another) attempt.
    pub pending: u64,
    /// Deliveries given up after the last attempt.
    pub failed: u64,
}

/// `GET /api/admin/webhooks`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookList {
    pub webhooks: Vec<Webhook>,
    pub meta: Meta,
}

/// Where a delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not delivered yet: waiting for its first attempt or for a retry.
    Pending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Given up after the last attempt.
    Failed,
}

/// One delivery in an endpoint's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    pub id: i64,
    pub event: WebhookEvent,
    /// The ticket it is about, e.g. `RG-000123`.
    pub reference: Option<String>,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// The HTTP status of the last answer, if the endpoint answered.
    pub response_code: Option<i32>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// `GET /api/admin/webhooks/{id}/deliveries`: newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDeliveryList {
    pub deliveries: Vec<WebhookDelivery>,
    pub meta: Meta,
}

/// The JSON body of a delivery. The request carries `X-Reglament-Signature: t=<unix
/// seconds>,v1=<hex>`, the HMAC-SHA256 of `<t>.<body>` under the endpoint's secret; a receiver
/// recomputes it and refuses an old `t` against replay. `event_id` is unique per event, so a
/// receiver that sees one twice (a retry after a lost answer) can tell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookPayload {
    pub event: WebhookEvent,
    /// The event log's own kind, such as `resolve` or `customer_reply`.
    pub event_kind: String,
    /// The event log's id: increasing in the order things happened.
    pub event_id: i64,
    pub at: DateTime<Utc>,
    pub internal: bool,
    pub ticket: WebhookTicket,
    /// The event's details as the event log keeps them; an action's event names the ticket's
    /// `status` after it.
    pub data: serde_json::Value,
}

/// The ticket a delivery is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookTicket {
    pub id: i64,
    pub reference: String,
}

/// How the connection to a mail server is protected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MailboxTls {
    /// Plain IMAP (port 143), for a server on the same host or network only.
    None,
    /// Plain IMAP upgraded with STARTTLS (port 143).
    Starttls,
    /// IMAP over TLS (port 993).
    #[default]
    Tls,
}

impl MailboxTls {
    /// The JSON name, such as `starttls`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Starttls => "starttls",
            Self::Tls => "tls",
        }
    }

    /// The mode of a JSON name; `None` for another text.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::None, Self::Starttls, Self::Tls]
            .into_iter()
            .find(|mode| mode.as_str() == text)
    }
}

/// `POST /api/admin/mailboxes`; `PUT /api/admin/mailboxes/{id}` replaces a mailbox with it
/// (without `secret` the stored password stays).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewMailbox {
    /// What admins call it, e.g. `support@vendor.example`.
    pub name: String,
    pub host: String,
    pub port: u16,
    #[serde(default)]
    pub tls: MailboxTls,
    pub username: String,
    /// The password; never sent back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// The folder read, `INBOX` unless set.
    #[serde(default = "inbox")]
    pub folder: String,
    /// Where ingested messages are moved, `Processed` unless set.
    #[serde(default = "processed")]
    pub processed_folder: String,
    /// Where messages that cannot be ingested are moved, `Failed` unless set.
    #[serde(default = "failed")]
    pub failed_folder: String,
    /// The product a new ticket from this mailbox is about.
    #[serde(default)]
    pub product_id: Option<i64>,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
}

fn inbox() -> String {
    "INBOX".to_owned()
}

fn processed() -> String {
    "Processed".to_owned()
}

fn failed() -> String {
    "Failed".to_owned()
}

/// How reading a mailbox last went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MailboxState {
    /// Not read yet.
    Unknown,
    Ok,
    /// The last attempt failed: `last_error` says where and why.
    Failing,
}

/// A configured mailbox and how it fares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mailbox {
    pub id: i64,
    pub name: String,
    pub host: String,
    pub port: u16,
    pub tls: MailboxTls,
    pub username: String,
    pub folder: String,
    pub processed_folder: String,
    pub failed_folder: String,
    pub product_id: Option<i64>,
    pub enabled: bool,
    pub state: MailboxState,
    pub last_error: Option<String>,
    pub checked_at: Option<DateTime<Utc>>,
    /// Messages ingested from it so far.
    pub ingested: u64,
    /// Messages moved to the failed folder so far.
    pub failed: u64,
}

/// `GET /api/admin/mailboxes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailboxList {
    pub mailboxes: Vec<Mailbox>,
    pub meta: Meta,
}

/// The step of reading a mailbox that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MailboxStep {
    /// Resolving the host or opening the TCP connection.
    Connect,
    /// The TLS handshake (or STARTTLS).
    Tls,
    /// The server's greeting or another protocol exchange.
    Protocol,
    /// The user name or password was refused.
    Login,
    /// The folder cannot be opened.
    Folder,
}

/// `POST /api/admin/mailboxes/{id}/test`: whether the server can read the mailbox and, if not,
/// the step that failed and the server's own words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailboxCheck {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_step: Option<MailboxStep>,
    pub message: String,
    /// Messages waiting in the folder, when it could be opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<u32>,
    /// Whether the server offers IDLE (new mail is then read at once, not on the next poll).
    pub idle: bool,
}
