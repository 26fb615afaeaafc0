//! The inbound mail gateway.

use serde::{Deserialize, Serialize};

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
