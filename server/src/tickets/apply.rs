//! Applying one [`Command`] to one ticket in one transaction: the ticket row, the events, the
//! audit entry, the notifications and the outgoing mail.

use chrono::{DateTime, Utc};
use shared::api::Hold;
use shared::sla::ClockEventKind;
use shared::ticket::{Classification, Role, Status, TransitionError};

use super::{Applied, Command, Request, Tickets, recipients, visible};
use crate::auth::AuthUser;
use crate::db::entity::ticket;
use crate::db::{self, Write, tickets as q};
use crate::error::{Error, Result};
use crate::outbox::{self, Notice};

/// What a command changes on the row, and the clock event it adds after its own.
struct Effects {
    change: q::TicketChange,
    extra_clock: Option<ClockEventKind>,
}

impl Tickets<'_> {
    /// Applies `request` for `user`: the ticket as committed, its new events and who was told.
    ///
    /// # Errors
    /// 404 for a ticket the caller may not see; 403 for an action their role never takes;
    /// 409 (with the ticket as it is now) for a stale version or an action the status does
    /// not allow; 422 for bad fields.
    pub(crate) async fn apply(&self, user: &AuthUser, request: Request) -> Result<Applied> {
        request.command.check(user)?;
        let reference = request.reference.clone();
        match self.apply_checked(user, request).await {
            Err(Error::Conflict {
                message,
                current: None,
            }) => Err(self.conflict(user, &reference, message).await),
            other => other,
        }
    }

    async fn apply_checked(&self, user: &AuthUser, request: Request) -> Result<Applied> {
        let now = self.clock().now();
        let Request {
            reference,
            expected_version,
            command,
            email,
        } = request;
        let txn = db::begin(self.db()).await?;
        if !q::lock_ticket(&txn, &reference).await? {
            return Err(Error::NotFound);
        }
        let ticket = visible(user, q::find_ticket(&txn, &reference).await?)?;
        if expected_version.is_some_and(|expected| expected != ticket.version) {
            return Err(Error::conflict("the ticket changed; reload it"));
        }
        let status = q::status_of(&ticket)?;
        let next = shared::ticket::transition(status, command.action(user), user.role).map_err(
            |error| match error {
                TransitionError::Forbidden { .. } => Error::Forbidden(error.to_string()),
                TransitionError::InvalidInStatus { .. } => Error::conflict(error.to_string()),
            },
        )?;
        let mut payload = command.payload();
        payload["status"] = serde_json::json!(next.as_str());
        let effects = self
            .effects(&txn, user, &ticket, &command, &mut payload, now)
            .await?;
        let events = self
            .append(
                &txn,
                user,
                &ticket,
                &command,
                email.as_ref(),
                &effects,
                payload.clone(),
                now,
            )
            .await?;
        let mut current = ticket.clone();
        current.status = next.as_str().to_owned();
        let clocks = q::compute_clocks(&txn, &current, now).await?;
        if !q::write_change(
            &txn,
            ticket.id,
            ticket.version,
            next,
            effects.change,
            clocks.as_ref(),
            now,
        )
        .await?
        {
            return Err(Error::conflict("the ticket changed; reload it"));
        }
        let kind = command.kind(user);
        db::audit(
            &txn,
            now,
            Some(user.id),
            &format!("ticket.{kind}"),
            "ticket",
            &reference,
            payload,
        )
        .await?;
        let audience = self
            .announce(
                &txn,
                user,
                &reference,
                &command,
                events.last().copied(),
                now,
            )
            .await?;
        txn.commit().await?;
        let ticket = q::find_ticket(self.db(), &reference)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(Applied {
            ticket,
            events,
            audience,
        })
    }

    /// What `command` changes on the row beyond its status, with what it stores elsewhere (a
    /// known-error link, a rating, a proposal or a decision).
    async fn effects(
        &self,
        txn: &Write,
        user: &AuthUser,
        ticket: &ticket::Model,
        command: &Command,
        payload: &mut serde_json::Value,
        now: DateTime<Utc>,
    ) -> Result<Effects> {
        let mut change = q::TicketChange::default();
        let mut extra_clock = None;
        match command {
            Command::Take { .. } => change.assignee_id = Some(Some(user.id)),
            Command::Assign { assignee_id, .. } => {
                let assignee = db::find_user(txn, *assignee_id)
                    .await?
                    .filter(|assignee| assignee.active && assignee.role != Role::Customer.as_str())
                    .ok_or_else(|| {
                        Error::field("assignee_id", "no active staff member with this id")
                    })?;
                change.assignee_id = Some(Some(assignee.id));
                if assignee.role == Role::AgentL2.as_str() {
                    change.tier = Some(2);
                }
            }
            Command::Escalate { .. } => {
                change.tier = Some(2);
                change.assignee_id = Some(None);
            }
            Command::LinkKnownError { known_error_id, .. } => {
                if !q::link_known_error(txn, ticket.id, *known_error_id, user.id, now).await? {
                    return Err(Error::field(
                        "known_error_id",
                        "no known error with this id",
                    ));
                }
            }
            Command::Resolve { .. } => {
                if let Some(classification) = q::classification_of(ticket)
                    && let Err(error) = classification.check_final()
                {
                    return Err(Error::field("severity", error.to_string()));
                }
                change.resolved_at = Some(Some(now));
            }
            Command::Reopen { .. } => {
                self.check_reopen_window(ticket, now)?;
                change.reopen_count = Some(ticket.reopen_count + 1);
                change.resolved_at = Some(None);
                change.closed_at = Some(None);
                change.close_reason = Some(None);
            }
            Command::Close { .. } => {
                let reason = if user.is_customer() {
                    "customer"
                } else {
                    "staff"
                };
                change.closed_at = Some(Some(now));
                change.close_reason = Some(Some(reason.to_owned()));
                payload["reason"] = serde_json::json!(reason);
            }
            Command::Rate { score, comment } => {
                if !q::rate_once(txn, ticket.id, user.id, i16::from(*score), comment, now).await? {
                    return Err(Error::conflict("this ticket is already rated"));
                }
                payload["score"] = serde_json::json!(score);
            }
            Command::ProposeReclassification { to, reason } => {
                let from = q::classification_of(ticket).ok_or_else(|| invalid(ticket))?;
                let id =
                    q::insert_proposal(txn, ticket.id, user.id, &from, to, reason, now).await?;
                payload["reclassification_id"] = serde_json::json!(id);
                payload["to"] = serde_json::json!(to);
            }
            Command::SetSpecial { special, .. } => {
                let from = q::classification_of(ticket).ok_or_else(|| invalid(ticket))?;
                let to = Classification {
                    special: *special,
                    ..from
                };
                payload["requested"] = serde_json::json!(ticket.special_requested);
                change.classification = Some(to);
                change.special_requested = Some(false);
                // The clocks start over under the new terms, as after a reclassification.
                extra_clock = Some(ClockEventKind::Reclassified(to));
            }
            Command::DecideReclassification { id, accept, .. } => {
                extra_clock =
                    decide(txn, user, ticket, *id, *accept, &mut change, payload, now).await?;
            }
            Command::Hold {
                kind,
                reason,
                until,
            } => {
                if until.is_some_and(|until| until <= now) {
                    return Err(Error::field("until", "choose a time in the future"));
                }
                change.hold = Some(Hold {
                    kind: *kind,
                    reason: reason.clone(),
                    until: *until,
                });
            }
            Command::Message { .. }
            | Command::RequestInfo { .. }
            | Command::MarkReproduced { .. }
            | Command::Expedite { .. }
            | Command::Resume { .. } => {}
        }
        Ok(Effects {
            change,
            extra_clock,
        })
    }

    /// A closed ticket reopens only within the configured window.
    fn check_reopen_window(&self, ticket: &ticket::Model, now: DateTime<Utc>) -> Result<()> {
        let days = self.state.config.reopen_days;
        if q::status_of(ticket)? == Status::Closed
            && let Some(closed_at) = ticket.closed_at
            && now - closed_at > chrono::Duration::days(days)
        {
            return Err(Error::conflict(format!(
                "a closed ticket can be reopened within {days} days"
            )));
        }
        Ok(())
    }

    /// Appends the command's message (recording the mail it came by, if any) and its events;
    /// returns the events' ids in order.
    #[allow(clippy::too_many_arguments)]
    async fn append(
        &self,
        txn: &Write,
        user: &AuthUser,
        ticket: &ticket::Model,
        command: &Command,
        email: Option<&crate::intake::EmailOrigin>,
        effects: &Effects,
        mut payload: serde_json::Value,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>> {
        let mut message_id = None;
        if let Some((body, internal)) = command.message() {
            let id = match email {
                Some(email) => {
                    q::insert_message_from(
                        txn,
                        ticket.id,
                        Some(user.id),
                        body,
                        internal,
                        now,
                        "email",
                        Some(&email.message_id),
                    )
                    .await?
                }
                None => {
                    let minutes = command.minutes();
                    super::work::draw_time(txn, user, ticket, minutes, now).await?;
                    q::insert_message(
                        txn,
                        ticket.id,
                        Some(user.id),
                        body,
                        internal,
                        false,
                        now,
                        minutes,
                    )
                    .await?
                }
            };
            message_id = Some(id);
            if let Some(object) = payload.as_object_mut() {
                object.insert("message_id".into(), id.into());
            }
        }
        if let Some(email) = email
            && !crate::intake::record(txn, email, ticket, message_id, user, "threaded", now).await?
        {
            return Err(Error::conflict("this message was already received"));
        }
        let kind = command.kind(user);
        let internal = command.internal();
        // One event per clock event, or one without: only the last is the command's own, a
        // comment before it is a reply.
        let mut clocks: Vec<Option<ClockEventKind>> = command
            .clock(user)
            .into_iter()
            .chain(effects.extra_clock)
            .map(Some)
            .collect();
        if clocks.is_empty() {
            clocks.push(None);
        }
        let last = clocks.len() - 1;
        let mut events = Vec::with_capacity(clocks.len());
        for (index, clock) in clocks.into_iter().enumerate() {
            let kind = if index == last { kind } else { "reply" };
            let id = q::insert_event(
                txn,
                ticket.id,
                kind,
                Some(user.id),
                now,
                internal,
                clock,
                payload.clone(),
            )
            .await?;
            events.push(id);
        }
        Ok(events)
    }

    /// Tells everyone concerned, from the ticket as the change left it (so a new assignee
    /// hears of it): notifications and mail. An escalation also reaches every engineer of the
    /// second line. Returns who was told.
    async fn announce(
        &self,
        txn: &Write,
        user: &AuthUser,
        reference: &str,
        command: &Command,
        event_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>> {
        let changed = q::find_ticket(txn, reference)
            .await?
            .ok_or(Error::NotFound)?;
        let internal = command.internal();
        let mut audience = recipients(
            txn,
            &changed,
            Some(user.id),
            internal,
            command.notifies_supervisors(),
        )
        .await?;
        if matches!(command, Command::Escalate { .. }) {
            audience.extend(q::staff_with_role(txn, "agent_l2").await?);
            audience.sort_unstable();
            audience.dedup();
            audience.retain(|&id| id != user.id);
        }
        let kind = command.kind(user);
        let text = format!("{reference}: {}", kind.replace('_', " "));
        q::notify(txn, &audience, changed.id, event_id, kind, &text, now).await?;
        let context = self.notice_context(txn, &changed, command).await?;
        let notice = notice(user, &changed, command, &context);
        outbox::mail_ticket(txn, &self.state.composer, &changed, &audience, notice, now).await?;
        Ok(audience)
    }

    /// What a notice about `command` needs to read: the organisation's name for an
    /// escalation, the known error of a link, the password reminder of a resolution.
    async fn notice_context(
        &self,
        txn: &Write,
        ticket: &ticket::Model,
        command: &Command,
    ) -> Result<NoticeContext> {
        let mut context = NoticeContext::default();
        match command {
            Command::Escalate { .. } => {
                context.organisation = q::organisation_names(txn, vec![ticket.organisation_id])
                    .await?
                    .remove(&ticket.organisation_id)
                    .unwrap_or_default();
            }
            Command::LinkKnownError { known_error_id, .. } => {
                context.known_error = db::known_errors::find(txn, *known_error_id).await?;
            }
            Command::Resolve { .. } => {
                context.reminder = db::password_reminders::for_ticket(
                    txn,
                    ticket.organisation_id,
                    ticket.plan_version_id,
                )
                .await?;
            }
            _ => {}
        }
        Ok(context)
    }
}

/// What [`Tickets::notice_context`] read.
#[derive(Default)]
struct NoticeContext {
    organisation: String,
    known_error: Option<crate::db::entity::known_error::Model>,
    /// The reminder to change temporary passwords, for a resolution.
    reminder: Option<shared::api::PasswordReminder>,
}

/// The mail notice of `command` by `user` on the `changed` ticket.
fn notice<'a>(
    user: &'a AuthUser,
    changed: &ticket::Model,
    command: &'a Command,
    context: &'a NoticeContext,
) -> Notice<'a> {
    let kind = command.kind(user);
    let text = command.message().map(|(body, _)| body);
    match command {
        Command::Message { .. } => Notice::Message {
            author: &user.name,
            body: text.unwrap_or_default(),
        },
        Command::RequestInfo { question } => Notice::InformationRequested { body: question },
        Command::Resolve { comment } => Notice::Resolved {
            solution: comment.as_deref().unwrap_or_default(),
            version: changed.version,
            reminder: context.reminder.as_ref(),
        },
        Command::Hold {
            kind,
            reason,
            until,
        } => Notice::OnHold {
            kind: *kind,
            reason,
            until: *until,
        },
        Command::Escalate { comment } => Notice::Escalated {
            organisation: &context.organisation,
            comment: comment.as_deref(),
        },
        Command::LinkKnownError { comment, .. } => match &context.known_error {
            Some(known) => Notice::KnownError {
                kind,
                number: &known.number,
                published: known.published,
                comment: comment.as_deref(),
            },
            None => Notice::Update {
                kind,
                comment: text,
            },
        },
        _ => Notice::Update {
            kind,
            comment: text,
        },
    }
}

/// Records the customer's decision on proposal `id` of `ticket`; an accepted one changes the
/// classification, and its clock event is returned.
#[allow(clippy::too_many_arguments)]
async fn decide(
    txn: &Write,
    user: &AuthUser,
    ticket: &ticket::Model,
    id: i64,
    accept: bool,
    change: &mut q::TicketChange,
    payload: &mut serde_json::Value,
    now: DateTime<Utc>,
) -> Result<Option<ClockEventKind>> {
    let proposal = q::find_proposal(txn, id, ticket.special)
        .await?
        .filter(|proposal| proposal.ticket_id == ticket.id)
        .ok_or(Error::NotFound)?;
    if !q::decide_proposal(txn, id, accept, user.id, now).await? {
        return Err(Error::conflict("this proposal is already decided"));
    }
    payload["reclassification_id"] = serde_json::json!(id);
    if !accept {
        return Ok(None);
    }
    let to = proposal
        .to
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("stored proposal {id} is invalid")))?;
    change.classification = Some(to);
    payload["to"] = serde_json::json!(to);
    Ok(Some(ClockEventKind::Reclassified(to)))
}

fn invalid(ticket: &ticket::Model) -> Error {
    Error::Internal(anyhow::anyhow!(
        "ticket {} has an invalid classification",
        ticket.reference
    ))
}
