//! Registering new tickets: one inside a caller's transaction (mail intake, demo data), or the
//! portal's registrations gathered into batches. A batch is one transaction with one statement
//! per table, so a burst of new tickets costs a handful of statements, not a dozen each, and
//! the writer's turn (one at a time on SQLite) is spent on many tickets at once.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, SubsecRound, Utc};
use shared::sla::{ClockEvent, ClockEventKind, Clocks};
use tokio::sync::{mpsc, oneshot};

use super::Draft;
use crate::auth::AuthUser;
use crate::db::entity::{ticket, user};
use crate::db::{self, ConnectionTrait, DatabaseConnection, tickets as q};
use crate::error::{Error, Result};
use crate::outbox::{self, Composer, Notice};

/// At most this many registrations share a transaction.
const BATCH: usize = 64;

/// One ticket to write with [`register_all`].
pub(crate) struct Registration {
    pub(crate) requester_id: i64,
    pub(crate) organisation_id: i64,
    /// The plan version in force at `at`.
    pub(crate) plan: Arc<q::PlanVersion>,
    pub(crate) draft: Draft,
    /// The official registration time.
    pub(crate) at: DateTime<Utc>,
    /// Everyone the ticket is announced to, requester included, as
    /// [`db::watchers::registration_audience`] reads them.
    pub(crate) audience: Arc<Vec<user::Model>>,
    /// The member of staff who registered the ticket for the requester, if one did.
    pub(crate) registered_by: Option<i64>,
}

impl Registration {
    /// `draft`, filed by `user` for `organisation_id` at `at` on `plan`.
    pub(crate) fn new(
        user: &AuthUser,
        organisation_id: i64,
        plan: &Arc<q::PlanVersion>,
        draft: Draft,
        at: DateTime<Utc>,
        audience: Arc<Vec<user::Model>>,
    ) -> Registration {
        Registration {
            requester_id: user.id,
            organisation_id,
            plan: plan.clone(),
            draft,
            // As precise as PostgreSQL keeps it, so the row returned is the row stored.
            at: at.trunc_subsecs(6),
            audience,
            registered_by: None,
        }
    }

    /// The registration made by the member of staff `registered_by` for the requester.
    pub(crate) fn registered_by(self, registered_by: Option<i64>) -> Registration {
        Registration {
            registered_by,
            ..self
        }
    }

    /// Who acts: the member of staff who registered the ticket, else the requester.
    fn actor(&self) -> i64 {
        self.registered_by.unwrap_or(self.requester_id)
    }
}

/// A ticket just written by [`register`] or [`register_all`].
pub(crate) struct Registered {
    pub(crate) reference: String,
    /// The row as the transaction left it.
    pub(crate) ticket: ticket::Model,
    pub(crate) clocks: Clocks,
}

/// Writes a new ticket on `plan` with its registration event and acknowledgement (in the
/// thread, and by mail unless `composer` is `None`, as for seeded demo data).
pub(crate) async fn register(
    db: &impl ConnectionTrait,
    composer: Option<&Composer>,
    user: &AuthUser,
    organisation_id: i64,
    plan: &Arc<q::PlanVersion>,
    draft: Draft,
    now: DateTime<Utc>,
) -> Result<Registered> {
    let audience = db::watchers::registration_audience(db, organisation_id, user.id).await?;
    let registration =
        Registration::new(user, organisation_id, plan, draft, now, Arc::new(audience));
    register_all(db, composer, std::slice::from_ref(&registration))
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

/// Writes `batch` (see [`register`]) with one statement per table; the result is in the
/// order of `batch`.
pub(crate) async fn register_all(
    db: &impl ConnectionTrait,
    composer: Option<&Composer>,
    batch: &[Registration],
) -> Result<Vec<Registered>> {
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    // The ids are taken first, so each row is written whole, reference included, and nothing
    // needs reading back.
    let ids = q::next_ticket_ids(db, batch.len()).await?;
    // The clocks of a new ticket depend on its plan, classification and time only, so the
    // derived columns are written with the row.
    let clocks: Vec<Clocks> = batch
        .iter()
        .map(|item| {
            shared::sla::clocks(
                &item.plan.plan,
                &item.draft.classification,
                &[
                    ClockEvent::new(item.at, ClockEventKind::Registered),
                    ClockEvent::new(item.at, ClockEventKind::AutoAcknowledgement),
                ],
                item.at,
            )
        })
        .collect();
    let rows = batch
        .iter()
        .zip(&ids)
        .zip(&clocks)
        .map(|((item, &id), clocks)| q::NewTicketRow {
            id,
            organisation_id: item.organisation_id,
            requester_id: item.requester_id,
            subject: &item.draft.subject,
            description: &item.draft.description,
            steps: item.draft.steps.as_deref(),
            product_version: &item.draft.product_version,
            product_id: item.draft.product.id,
            product: item.draft.product.name.as_deref(),
            product_fields: (!item.draft.product.fields.is_empty())
                .then(|| serde_json::to_string(&item.draft.product.fields).unwrap_or_default()),
            unsupported_version: item.draft.product.unsupported_version,
            classification: item.draft.classification,
            special_requested: item.draft.special_requested,
            plan: &item.plan,
            at: item.at,
            clocks,
            channel: item.draft.channel,
            scheduled_work: item.draft.scheduled_work,
            paid: item.draft.paid,
        })
        .collect();
    let tickets = q::insert_tickets(db, rows).await?;

    let acknowledgements = batch
        .iter()
        .zip(&tickets)
        .map(|(item, row)| {
            let text = format!(
                "Your request {} is registered under the plan \"{}\". We will answer within \
                 the times of your service level.",
                row.reference, item.plan.name
            );
            (row.id, text, item.at)
        })
        .collect();
    q::insert_automatic_messages(db, acknowledgements).await?;

    let registered_events = record(db, batch, &tickets).await?;
    announce(db, composer, batch, &tickets, &clocks, &registered_events).await?;
    Ok(tickets
        .into_iter()
        .zip(clocks)
        .map(|(ticket, clocks)| Registered {
            reference: ticket.reference.clone(),
            ticket,
            clocks,
        })
        .collect())
}

/// Appends each new ticket's two events and its audit entry; returns each ticket's
/// registration event by ticket id.
async fn record(
    db: &impl ConnectionTrait,
    batch: &[Registration],
    tickets: &[ticket::Model],
) -> Result<HashMap<i64, i64>> {
    let mut events = Vec::with_capacity(batch.len() * 2);
    for (item, row) in batch.iter().zip(tickets) {
        events.push((
            row.id,
            item.at,
            q::NewEvent {
                kind: "registered",
                actor_id: Some(item.actor()),
                internal: false,
                clock: Some(ClockEventKind::Registered),
                payload: serde_json::json!({
                    "classification": item.draft.classification,
                    "plan": item.plan.key,
                    "special_requested": item.draft.special_requested,
                    "channel": item.draft.channel,
                    "scheduled_work": item.draft.scheduled_work,
                    "paid": item.draft.paid,
                }),
            },
        ));
        events.push((
            row.id,
            item.at,
            q::NewEvent {
                kind: "auto_acknowledgement",
                actor_id: None,
                internal: false,
                clock: Some(ClockEventKind::AutoAcknowledgement),
                payload: serde_json::json!({}),
            },
        ));
    }
    let registered_events: HashMap<i64, i64> = q::insert_events_of(db, events)
        .await?
        .into_iter()
        .filter(|event| event.kind == "registered")
        .map(|event| (event.ticket_id, event.id))
        .collect();

    db::audit_all(
        db,
        batch.iter().zip(tickets).map(|(item, row)| db::AuditEntry {
            at: item.at,
            actor_id: Some(item.actor()),
            action: "ticket.create",
            entity: "ticket",
            entity_id: row.reference.clone(),
            details: serde_json::json!({
                "classification": item.draft.classification,
                "plan_version_id": item.plan.id,
                "requester_id": item.requester_id,
                "channel": item.draft.channel,
            }),
        }),
    )
    .await?;

    Ok(registered_events)
}

/// Tells everyone of the new tickets: supervisors and the organisation's watchers by
/// notification and mail, the requester by the acknowledgement mail (unless `composer` is
/// `None`).
async fn announce(
    db: &impl ConnectionTrait,
    composer: Option<&Composer>,
    batch: &[Registration],
    tickets: &[ticket::Model],
    clocks: &[Clocks],
    registered_events: &HashMap<i64, i64>,
) -> Result<()> {
    // Supervisors and the organisation's watchers hear of the new ticket; the requester gets
    // the acknowledgement instead.
    let mut notifications = Vec::new();
    let mut mails = Vec::new();
    for ((item, row), item_clocks) in batch.iter().zip(tickets).zip(clocks) {
        let (requester, told): (Vec<_>, Vec<_>) = item
            .audience
            .iter()
            .filter(|&recipient| Some(recipient.id) != item.registered_by)
            .cloned()
            .partition(|recipient| recipient.id == item.requester_id);
        let text = format!("{} registered", row.reference);
        notifications.extend(told.iter().map(|recipient| {
            q::notification(
                recipient.id,
                row.id,
                registered_events.get(&row.id).copied(),
                "ticket_registered",
                &text,
                item.at,
            )
        }));
        if let Some(composer) = composer {
            mails.extend(outbox::ticket_mails(
                composer,
                row,
                &requester,
                &Notice::Registered {
                    sla_level: &item.plan.name,
                    first_response_due: item_clocks.first_response.deadline,
                },
                item.at,
            )?);
            mails.extend(outbox::ticket_mails(
                composer,
                row,
                &told,
                &Notice::Update {
                    kind: "ticket_registered",
                    comment: Some(&row.description),
                },
                item.at,
            )?);
        }
    }
    q::insert_notifications(db, notifications).await?;
    if let Some(at) = batch.iter().map(|item| item.at).max() {
        outbox::enqueue_all(db, &mails, at).await?;
    }
    Ok(())
}

/// A registration waiting for its batch, and where its outcome goes.
type Job = (Registration, oneshot::Sender<Result<Registered>>);

/// Gathers the portal's registrations into batches: while one batch is written, the next
/// fills up, so under load each transaction carries many tickets and alone a ticket waits for
/// nobody.
#[derive(Default)]
pub(crate) struct Registrar {
    queue: OnceLock<mpsc::Sender<Job>>,
}

impl Registrar {
    /// Registers `registration` in the next batch and waits until that batch is committed.
    ///
    /// # Errors
    /// The registration's own (a batch that fails is written again one ticket at a time, so
    /// one ticket's failure is nobody else's).
    pub(crate) async fn register(
        &self,
        db: &DatabaseConnection,
        composer: &Arc<Composer>,
        registration: Registration,
    ) -> Result<Registered> {
        let queue = self.queue.get_or_init(|| {
            let (queue, jobs) = mpsc::channel(BATCH * 4);
            tokio::spawn(write_batches(db.clone(), composer.clone(), jobs));
            queue
        });
        let (reply, outcome) = oneshot::channel();
        let stopped = || Error::Internal(anyhow::anyhow!("the ticket registrar has stopped"));
        queue
            .send((registration, reply))
            .await
            .map_err(|_| stopped())?;
        outcome.await.map_err(|_| stopped())?
    }
}

async fn write_batches(
    db: DatabaseConnection,
    composer: Arc<Composer>,
    mut jobs: mpsc::Receiver<Job>,
) {
    let mut batch = Vec::with_capacity(BATCH);
    while jobs.recv_many(&mut batch, BATCH).await > 0 {
        let (registrations, replies): (Vec<_>, Vec<_>) = batch.drain(..).unzip();
        match write(&db, &composer, &registrations).await {
            Ok(registered) => {
                for (reply, registered) in replies.into_iter().zip(registered) {
                    let _ = reply.send(Ok(registered));
                }
            }
            Err(error) if registrations.len() == 1 => {
                if let Some(reply) = replies.into_iter().next() {
                    let _ = reply.send(Err(error));
                }
            }
            Err(error) => {
                tracing::warn!(%error, size = registrations.len(), "a batch of registrations failed: writing them one by one");
                for (registration, reply) in registrations.iter().zip(replies) {
                    let outcome = write(&db, &composer, std::slice::from_ref(registration))
                        .await
                        .and_then(|mut registered| registered.pop().ok_or(Error::NotFound));
                    let _ = reply.send(outcome);
                }
            }
        }
    }
}

/// Writes `registrations` in one transaction.
async fn write(
    db: &DatabaseConnection,
    composer: &Composer,
    registrations: &[Registration],
) -> Result<Vec<Registered>> {
    let queued = std::time::Instant::now();
    let txn = db::begin(db).await?;
    let began = std::time::Instant::now();
    let registered = register_all(&txn, Some(composer), registrations).await?;
    let written = std::time::Instant::now();
    txn.commit().await?;
    tracing::debug!(
        size = registrations.len(),
        wait_us = (began - queued).as_micros() as u64,
        write_us = (written - began).as_micros() as u64,
        commit_us = written.elapsed().as_micros() as u64,
        "registrations written"
    );
    Ok(registered)
}
