//! Tickets as the wire shows them: rows with names, plans, calendars, clocks and the actions
//! the caller may take, and the ticket page with its thread.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use shared::api::{
    Hold, InternalNote, LinkedKnownError, Message, RequesterDetails, Ticket, TicketDetail,
    TicketEvent, TicketLink,
};
use shared::sla::Clocks;
use shared::ticket::{Channel, HoldKind, Role, Status, allowed_actions, staff_only_event};

use crate::auth::AuthUser;
use crate::db::entity::ticket;
use crate::db::{ConnectionTrait, tickets as q};
use crate::error::{Error, Result};

pub(super) async fn detail(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    ticket: ticket::Model,
    now: DateTime<Utc>,
) -> Result<TicketDetail> {
    let events = q::events(db, ticket.id).await?;
    let messages = q::messages(db, ticket.id).await?;
    let authors: Vec<i64> = messages
        .iter()
        .filter_map(|message| message.author_id)
        .collect();
    let names = q::user_names(db, authors).await?;
    let staff = user.is_staff();
    let mut public = Vec::new();
    let mut notes = Vec::new();
    for message in messages {
        let author = message.author_id.and_then(|id| names.get(&id));
        if message.internal {
            if staff {
                notes.push(InternalNote {
                    id: message.id,
                    author_id: message.author_id,
                    author_name: author.map(|(name, _)| name.clone()),
                    body: message.body,
                    created_at: message.created_at,
                    minutes: message.minutes.and_then(|m| u32::try_from(m).ok()),
                });
            }
        } else {
            public.push(Message {
                id: message.id,
                author_id: message.author_id,
                author_name: author.map(|(name, _)| name.clone()),
                from_staff: author.is_none_or(|(_, role)| role != Role::Customer.as_str()),
                body: message.body,
                automatic: message.automatic,
                created_at: message.created_at,
                minutes: message.minutes.and_then(|m| u32::try_from(m).ok()),
            });
        }
    }
    let events = events
        .into_iter()
        .filter(|event| staff || !(event.internal || staff_only_event(&event.kind)))
        .map(|event| {
            let mut payload: serde_json::Value =
                serde_json::from_str(&event.payload).unwrap_or_default();
            if let Some(object) = payload.as_object_mut() {
                object.remove("clock");
            }
            TicketEvent {
                id: event.id,
                kind: event.kind,
                actor_id: event.actor_id,
                at: event.at,
                payload,
            }
        })
        .collect();
    let mut rendered = render_many(db, user, vec![ticket.clone()]).await?;
    let mut ticket_out = rendered.pop().ok_or(Error::NotFound)?;
    ticket_out.clocks = for_viewer(q::compute_clocks(db, &ticket, now).await?, staff);
    let reclassifications = q::proposals(db, ticket.id, ticket.special)
        .await?
        .into_iter()
        .filter_map(|row| {
            Some(shared::api::Reclassification {
                id: row.id,
                from: row.from?,
                to: row.to?,
                reason: row.reason,
                status: row.status,
                proposed_by: row.proposed_by,
                created_at: row.created_at,
                decided_at: row.decided_at,
            })
        })
        .collect();
    let mut attachments = q::attachments(db, ticket.id).await?;
    // The delivery confirmation is the agents' record of the requester's download, not the
    // customer's to see.
    if !user.is_staff() {
        for attachment in &mut attachments {
            attachment.first_downloaded_at = None;
        }
    }
    let plan_spec = q::plan_version(db, ticket.plan_version_id)
        .await?
        .plan
        .spec()
        .clone();
    let known_errors = crate::db::known_errors::linked_to_ticket(db, ticket.id, !staff)
        .await?
        .into_iter()
        .map(|known| LinkedKnownError {
            id: known.id,
            number: known.number,
            title: known.title,
            status: known.status,
            fixed_in: known.fixed_in,
        })
        .collect();
    let requester_open_tickets = if staff {
        q::open_tickets_of(db, ticket.requester_id, ticket.id, 20)
            .await?
            .into_iter()
            .map(|other| {
                Ok(TicketLink {
                    status: q::status_of(&other)?,
                    reference: other.reference,
                    subject: other.subject,
                })
            })
            .collect::<Result<_>>()?
    } else {
        Vec::new()
    };
    Ok(TicketDetail {
        known_errors,
        requester_open_tickets,
        plan_spec: Some(plan_spec),
        ticket: ticket_out,
        messages: public,
        internal_notes: notes,
        events,
        reclassifications,
        attachments,
    })
}

/// The clocks as `staff` or a customer sees them: the escalation clock is the support's inner
/// commitment between its lines, not the customer's.
fn for_viewer(clocks: Option<Clocks>, staff: bool) -> Option<Clocks> {
    clocks.map(|mut clocks| {
        if !staff {
            clocks.escalation = None;
        }
        clocks
    })
}

pub(super) async fn render_one(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    ticket: ticket::Model,
    now: DateTime<Utc>,
) -> Result<Ticket> {
    let clocks = for_viewer(q::compute_clocks(db, &ticket, now).await?, user.is_staff());
    let mut rendered = render_many(db, user, vec![ticket]).await?;
    let mut ticket = rendered.pop().ok_or(Error::NotFound)?;
    ticket.clocks = clocks;
    Ok(ticket)
}

/// Wire tickets from rows, with names looked up in two queries.
pub(super) async fn render_many(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    rows: Vec<ticket::Model>,
) -> Result<Vec<Ticket>> {
    render_with_plans(db, user, rows, HashMap::new()).await
}

/// [`render_many`] with plan versions the caller already holds: each is read at most once,
/// and not at all when it is among `plans`.
async fn render_with_plans(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    rows: Vec<ticket::Model>,
    plans: HashMap<i64, Arc<q::PlanVersion>>,
) -> Result<Vec<Ticket>> {
    let mut people_ids = Vec::with_capacity(rows.len() * 2);
    for ticket in &rows {
        people_ids.push(ticket.requester_id);
        people_ids.extend(ticket.assignee_id);
    }
    let organisation_ids: Vec<i64> = rows.iter().map(|ticket| ticket.organisation_id).collect();
    let people = q::user_names(db, people_ids).await?;
    let organisations = q::organisation_names(db, organisation_ids).await?;
    let details = if user.is_staff() {
        requester_details(db, &rows).await?
    } else {
        HashMap::new()
    };
    let mut out = render_named(db, user, rows, plans, &people, &organisations).await?;
    for ticket in &mut out {
        ticket.requester = details.get(&ticket.reference).cloned();
    }
    Ok(out)
}

/// For staff, each ticket's requester's e-mail and the contract their organisation had when
/// the ticket was registered, by reference; two queries for any number of rows.
async fn requester_details(
    db: &impl ConnectionTrait,
    rows: &[ticket::Model],
) -> Result<HashMap<String, RequesterDetails>> {
    let emails = q::user_emails(db, rows.iter().map(|row| row.requester_id).collect()).await?;
    let contracts =
        q::contracts_of(db, rows.iter().map(|row| row.organisation_id).collect()).await?;
    Ok(rows
        .iter()
        .map(|row| {
            let day = crate::db::contract_day(row.registered_at);
            let contract = contracts
                .iter()
                .rev()
                .find(|contract| {
                    contract.organisation_id == row.organisation_id
                        && contract.valid_from <= day
                        && day <= contract.valid_to
                })
                .map(|contract| {
                    format!(
                        "#{}, {} – {}",
                        contract.id, contract.valid_from, contract.valid_to
                    )
                });
            let details = RequesterDetails {
                email: emails.get(&row.requester_id).cloned().unwrap_or_default(),
                contract,
            };
            (row.reference.clone(), details)
        })
        .collect())
}

/// The hold of a ticket row that is on hold.
fn hold_of(ticket: &ticket::Model, status: Status) -> Option<Hold> {
    (status == Status::OnHold).then(|| Hold {
        kind: ticket
            .hold_kind
            .as_deref()
            .and_then(HoldKind::parse)
            .unwrap_or_default(),
        reason: ticket.hold_reason.clone().unwrap_or_default(),
        until: ticket.hold_until,
    })
}

/// [`render_with_plans`] with the names of the people (name, role) and organisations the rows
/// refer to.
pub(super) async fn render_named(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    rows: Vec<ticket::Model>,
    mut plans: HashMap<i64, Arc<q::PlanVersion>>,
    people: &HashMap<i64, (String, String)>,
    organisations: &HashMap<i64, String>,
) -> Result<Vec<Ticket>> {
    let role = user.role;
    let mut out = Vec::with_capacity(rows.len());
    for ticket in rows {
        let plan = match plans.get(&ticket.plan_version_id) {
            Some(plan) => plan.clone(),
            None => {
                let plan = q::plan_version(db, ticket.plan_version_id).await?;
                plans.insert(ticket.plan_version_id, plan.clone());
                plan
            }
        };
        let Some(classification) = q::classification_of(&ticket) else {
            return Err(Error::Internal(anyhow::anyhow!(
                "ticket {} has an invalid classification",
                ticket.reference
            )));
        };
        let status = q::status_of(&ticket)?;
        let hold = hold_of(&ticket, status);
        out.push(Ticket {
            channel: Channel::parse(&ticket.channel).unwrap_or_default(),
            hold,
            requester: None,
            scheduled_work: ticket
                .scheduled_start
                .zip(ticket.scheduled_end)
                .map(|(start, end)| shared::ticket::scheduled::ScheduledWork { start, end }),
            paid: ticket.paid,
            reference: ticket.reference,
            subject: ticket.subject,
            description: ticket.description,
            steps: ticket.steps,
            product_version: ticket.product_version,
            product: ticket.product,
            product_fields: ticket
                .product_fields
                .as_deref()
                .and_then(|fields| serde_json::from_str(fields).ok())
                .unwrap_or_default(),
            unsupported_version: ticket.unsupported_version,
            classification,
            special_requested: ticket.special_requested,
            status,
            organisation_id: ticket.organisation_id,
            organisation_name: organisations
                .get(&ticket.organisation_id)
                .cloned()
                .unwrap_or_default(),
            requester_id: ticket.requester_id,
            requester_name: people
                .get(&ticket.requester_id)
                .map(|(name, _)| name.clone())
                .unwrap_or_default(),
            assignee_id: ticket.assignee_id,
            assignee_name: ticket
                .assignee_id
                .and_then(|id| people.get(&id))
                .map(|(name, _)| name.clone()),
            tier: ticket.tier,
            version: ticket.version,
            plan: plan.name.clone(),
            sla_level: ticket.sla_level,
            registered_at: ticket.registered_at,
            updated_at: ticket.updated_at,
            next_deadline: ticket.next_deadline,
            at_risk: ticket.at_risk,
            breached: ticket.breached,
            reopen_count: ticket.reopen_count,
            close_reason: ticket.close_reason,
            resolved_at: ticket.resolved_at,
            closed_at: ticket.closed_at,
            calendar: Some(plan.plan.calendar_for(&classification).spec().clone()),
            ordinary_calendar: classification
                .special
                .then(|| plan.plan.calendar().spec().clone()),
            clocks: serde_json::from_str(&ticket.clocks).ok(),
            allowed_actions: allowed_actions(status, role),
        });
    }
    Ok(out)
}
