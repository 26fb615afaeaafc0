//! The commands on a ticket, each with exactly its fields, and what each means before the
//! transaction: its `shared` action, its event kind, its effect on the SLA clocks and the
//! message it adds to the thread.

use chrono::{DateTime, Utc};
use shared::api::ActionRequest;
use shared::sla::ClockEventKind;
use shared::ticket::{Action, Classification, HoldKind};

use super::MAX_TEXT;
use crate::auth::AuthUser;
use crate::error::{Error, Result};
use crate::validate::MAX_REASON;

/// One thing done to one ticket.
#[derive(Clone, Debug)]
pub enum Command {
    /// A public message, or a staff member's internal note.
    Message {
        body: String,
        internal: bool,
        /// Staff only: the minutes spent that the message records [004].
        minutes: Option<u32>,
    },
    Take {
        comment: Option<String>,
    },
    Assign {
        assignee_id: i64,
        comment: Option<String>,
    },
    /// Staff ask the customer something; the question is the message.
    RequestInfo {
        question: String,
    },
    MarkReproduced {
        comment: Option<String>,
    },
    Escalate {
        comment: Option<String>,
    },
    LinkKnownError {
        known_error_id: i64,
        comment: Option<String>,
    },
    Resolve {
        comment: Option<String>,
    },
    Reopen {
        comment: Option<String>,
    },
    Close {
        comment: Option<String>,
    },
    Expedite {
        comment: Option<String>,
    },
    /// The customer rates a resolved ticket once.
    Rate {
        score: u8,
        comment: String,
    },
    ProposeReclassification {
        to: Classification,
        reason: String,
    },
    /// Staff set or clear the special-request flag (confirming or declining a request that
    /// waits for confirmation); the customer is told and the clocks are recomputed.
    SetSpecial {
        special: bool,
        comment: Option<String>,
    },
    /// The customer accepts or rejects proposal `id`, optionally saying why.
    DecideReclassification {
        id: i64,
        accept: bool,
        comment: Option<String>,
    },
    /// Staff put the ticket on hold; the customer reads the reason.
    Hold {
        kind: HoldKind,
        reason: String,
        until: Option<DateTime<Utc>>,
    },
    Resume {
        comment: Option<String>,
    },
}

/// A comment that says something, or none.
fn said(comment: Option<String>) -> Option<String> {
    comment.filter(|comment| !comment.trim().is_empty())
}

impl Command {
    /// The command of `POST /api/tickets/{reference}/actions`.
    ///
    /// # Errors
    /// 422 for a missing field of the action or an action that endpoint does not take.
    pub fn from_action(input: ActionRequest) -> Result<Command> {
        let comment = said(input.comment);
        Ok(match input.action {
            Action::Take => Command::Take { comment },
            Action::Assign => Command::Assign {
                assignee_id: input
                    .assignee_id
                    .ok_or_else(|| Error::field("assignee_id", "choose whom to assign"))?,
                comment,
            },
            Action::RequestInfo => Command::RequestInfo {
                question: comment.ok_or_else(|| {
                    Error::field("comment", "write what you need from the customer")
                })?,
            },
            Action::MarkReproduced => Command::MarkReproduced { comment },
            Action::Escalate => Command::Escalate { comment },
            Action::LinkKnownError => Command::LinkKnownError {
                known_error_id: input
                    .known_error_id
                    .ok_or_else(|| Error::field("known_error_id", "choose a known error"))?,
                comment,
            },
            Action::Resolve => Command::Resolve { comment },
            Action::Reopen => Command::Reopen { comment },
            Action::Close => Command::Close { comment },
            Action::Expedite => Command::Expedite { comment },
            Action::SetSpecial => Command::SetSpecial {
                special: input.special.ok_or_else(|| {
                    Error::field("special", "say whether the ticket is a special request")
                })?,
                comment,
            },
            Action::Hold => Command::Hold {
                kind: input.reason_kind.unwrap_or_default(),
                reason: said(input.reason)
                    .ok_or_else(|| Error::field("reason", "say why the ticket is on hold"))?,
                until: input.until,
            },
            Action::Resume => Command::Resume { comment },
            other => {
                return Err(Error::field(
                    "action",
                    format!("{other} is not an action of this endpoint"),
                ));
            }
        })
    }

    /// A reopen, with the customer's comment if it says something.
    pub fn reopen(comment: Option<String>) -> Command {
        Command::Reopen {
            comment: said(comment),
        }
    }

    /// The reclassification decision, with the customer's comment if it says something.
    pub fn decide(id: i64, accept: bool, comment: Option<String>) -> Command {
        Command::DecideReclassification {
            id,
            accept,
            comment: said(comment),
        }
    }

    /// Checks the command's own fields for `user`.
    ///
    /// # Errors
    /// 422 for an empty or too long text or a score outside 1–5; 403 for a customer's
    /// internal note.
    pub fn check(&self, user: &AuthUser) -> Result<()> {
        match self {
            Command::Message {
                body,
                internal,
                minutes,
            } => {
                super::work::check_minutes(user, *minutes)?;
                if body.trim().is_empty() {
                    return Err(Error::field("body", "write a message"));
                }
                if body.len() > MAX_TEXT {
                    return Err(Error::field("body", "the message is too long"));
                }
                if *internal && !user.is_staff() {
                    return Err(Error::Forbidden(
                        "only support staff write internal notes".into(),
                    ));
                }
            }
            Command::Rate { score, comment } => {
                if !(1..=5).contains(score) {
                    return Err(Error::field("score", "a score from 1 to 5"));
                }
                if comment.len() > crate::validate::MAX_COMMENT {
                    return Err(Error::field("comment", "the comment is too long"));
                }
            }
            Command::ProposeReclassification { reason, .. } if reason.trim().is_empty() => {
                return Err(Error::field("reason", "explain the new classification"));
            }
            Command::Hold { reason, .. } if reason.chars().count() > MAX_REASON => {
                return Err(Error::field(
                    "reason",
                    format!("at most {MAX_REASON} characters"),
                ));
            }
            _ => {}
        }
        if self
            .comment()
            .is_some_and(|comment| comment.len() > MAX_TEXT)
        {
            return Err(Error::field("comment", "the comment is too long"));
        }
        Ok(())
    }

    /// The public comment sent with an action, if any.
    fn comment(&self) -> Option<&String> {
        match self {
            Command::Take { comment }
            | Command::Assign { comment, .. }
            | Command::MarkReproduced { comment }
            | Command::Escalate { comment }
            | Command::LinkKnownError { comment, .. }
            | Command::Resolve { comment }
            | Command::Reopen { comment }
            | Command::Close { comment }
            | Command::Expedite { comment }
            | Command::SetSpecial { comment, .. }
            | Command::Resume { comment }
            | Command::DecideReclassification { comment, .. } => comment.as_ref(),
            Command::RequestInfo { question } => Some(question),
            // The hold's reason is shown on the ticket and mailed, not added to the thread.
            Command::Message { .. }
            | Command::Rate { .. }
            | Command::ProposeReclassification { .. }
            | Command::Hold { .. } => None,
        }
    }

    /// The `shared` action this command is, for `user`.
    pub fn action(&self, user: &AuthUser) -> Action {
        match self {
            Command::Message { internal: true, .. } => Action::InternalNote,
            Command::Message { .. } if user.is_staff() => Action::AgentReply,
            Command::Message { .. } => Action::CustomerReply,
            Command::Take { .. } => Action::Take,
            Command::Assign { .. } => Action::Assign,
            Command::RequestInfo { .. } => Action::RequestInfo,
            Command::MarkReproduced { .. } => Action::MarkReproduced,
            Command::Escalate { .. } => Action::Escalate,
            Command::LinkKnownError { .. } => Action::LinkKnownError,
            Command::Resolve { .. } => Action::Resolve,
            Command::Reopen { .. } => Action::Reopen,
            Command::Close { .. } => Action::Close,
            Command::Expedite { .. } => Action::Expedite,
            Command::SetSpecial { .. } => Action::SetSpecial,
            Command::Rate { .. } => Action::Rate,
            Command::ProposeReclassification { .. } => Action::ProposeReclassification,
            Command::DecideReclassification { accept: true, .. } => Action::AcceptReclassification,
            Command::DecideReclassification { .. } => Action::RejectReclassification,
            Command::Hold { .. } => Action::Hold,
            Command::Resume { .. } => Action::Resume,
        }
    }

    /// The kind of the event the command appends.
    pub fn kind(&self, user: &AuthUser) -> &'static str {
        if let Command::SetSpecial { special, .. } = self {
            return if *special {
                "special_set"
            } else {
                "special_cleared"
            };
        }
        match self.action(user) {
            Action::ProposeReclassification => "reclassification_proposed",
            Action::AcceptReclassification => "reclassification_accepted",
            Action::RejectReclassification => "reclassification_rejected",
            action => action.as_str(),
        }
    }

    /// The message the command adds to the thread: its text and whether it is internal.
    pub fn message(&self) -> Option<(&str, bool)> {
        match self {
            Command::Message { body, internal, .. } => Some((body, *internal)),
            // The hand-off to L2 is between engineers [002 §4]: the customer hears only that
            // the second line has the ticket.
            Command::Escalate { comment } => comment.as_deref().map(|comment| (comment, true)),
            other => other.comment().map(|comment| (comment.as_str(), false)),
        }
    }

    /// The minutes of staff time a message records.
    pub fn minutes(&self) -> Option<u32> {
        match self {
            Command::Message { minutes, .. } => *minutes,
            _ => None,
        }
    }

    /// Whether the event is for staff only.
    pub fn internal(&self) -> bool {
        matches!(self, Command::Message { internal: true, .. })
    }

    /// Whether supervisors hear of it too.
    pub fn notifies_supervisors(&self) -> bool {
        match self {
            Command::Escalate { .. } | Command::Expedite { .. } => true,
            Command::Rate { score, .. } => *score <= 2,
            _ => false,
        }
    }

    /// What the command means to the SLA clocks, in order (the last is the command's own).
    pub fn clock(&self, user: &AuthUser) -> Vec<ClockEventKind> {
        let own = match self {
            Command::Message { internal: true, .. } => return Vec::new(),
            Command::Message { .. } if user.is_staff() => {
                return vec![ClockEventKind::AgentPublicReply];
            }
            Command::Message { .. } => return vec![ClockEventKind::CustomerMessage],
            // The question of `request_info` is itself the response.
            Command::RequestInfo { .. } => return vec![ClockEventKind::WaitingForCustomer],
            Command::MarkReproduced { .. } => Some(ClockEventKind::MarkedReproduced),
            Command::Escalate { .. } => Some(ClockEventKind::Escalated),
            Command::LinkKnownError { .. } => Some(ClockEventKind::KnownErrorLinked),
            Command::Resolve { .. } => Some(ClockEventKind::Resolved),
            Command::Reopen { .. } => Some(ClockEventKind::Reopened),
            Command::Close { .. } => Some(ClockEventKind::Closed),
            Command::Hold { .. } => Some(ClockEventKind::OnHold),
            Command::Resume { .. } => Some(ClockEventKind::Resumed),
            _ => None,
        };
        // A public comment from staff answers the customer; one from the customer re-arms the
        // next-response clock (a reopen's comment is the reopen itself).
        let answer = match (self.comment(), self) {
            (None, _) | (Some(_), Command::Escalate { .. }) => None,
            (Some(_), _) if user.is_staff() => Some(ClockEventKind::AgentPublicReply),
            (Some(_), Command::Reopen { .. }) => None,
            (Some(_), _) => Some(ClockEventKind::CustomerMessage),
        };
        answer.into_iter().chain(own).collect()
    }

    /// The event payload's fields known before the transaction.
    pub fn payload(&self) -> serde_json::Value {
        match self {
            Command::Assign { assignee_id, .. } => {
                serde_json::json!({ "assignee_id": assignee_id })
            }
            Command::LinkKnownError { known_error_id, .. } => {
                serde_json::json!({ "known_error_id": known_error_id })
            }
            Command::ProposeReclassification { reason, .. } => {
                serde_json::json!({ "reason": reason })
            }
            Command::SetSpecial { special, .. } => serde_json::json!({ "special": special }),
            Command::Message {
                minutes: Some(minutes),
                ..
            } => serde_json::json!({ "minutes": minutes }),
            Command::Hold {
                kind,
                reason,
                until,
            } => serde_json::json!({ "kind": kind, "reason": reason, "until": until }),
            _ => serde_json::json!({}),
        }
    }
}
