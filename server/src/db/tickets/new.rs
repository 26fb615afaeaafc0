//! Writing new tickets and their acknowledgements, many in one statement each.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set, TryIntoModel};
use shared::sla::Clocks;
use shared::ticket::scheduled::ScheduledWork;
use shared::ticket::{Channel, Classification, Status};

use super::{PlanVersion, set_derived};
use crate::db::entity::{message, ticket};

/// A new ticket row, its id taken already.
pub struct NewTicketRow<'a> {
    pub id: i64,
    pub organisation_id: i64,
    pub requester_id: i64,
    pub subject: &'a str,
    pub description: &'a str,
    pub steps: Option<&'a str>,
    pub product_version: &'a str,
    /// The product the ticket names (id, name), the values of its fields as a JSON object, and
    /// whether the version is not one it supports.
    pub product_id: Option<i64>,
    pub product: Option<&'a str>,
    pub product_fields: Option<String>,
    pub unsupported_version: bool,
    pub classification: Classification,
    /// A special request waiting for staff confirmation.
    pub special_requested: bool,
    pub plan: &'a Arc<PlanVersion>,
    pub at: DateTime<Utc>,
    pub clocks: &'a Clocks,
    pub channel: Channel,
    /// Scheduled off-hours work: the window asked for.
    pub scheduled_work: Option<ScheduledWork>,
    /// Paid work.
    pub paid: bool,
}

/// Writes `rows` in one statement (reference `RG-<id>`, status new, derived columns from
/// their clocks); returns them as stored.
pub async fn insert_tickets(
    db: &impl ConnectionTrait,
    rows: Vec<NewTicketRow<'_>>,
) -> Result<Vec<ticket::Model>, DbErr> {
    let mut models = Vec::with_capacity(rows.len());
    let mut tickets = Vec::with_capacity(rows.len());
    for item in rows {
        let classification = item.classification;
        let mut row = ticket::ActiveModel {
            id: Set(item.id),
            reference: Set(format!("RG-{:06}", item.id)),
            organisation_id: Set(item.organisation_id),
            requester_id: Set(item.requester_id),
            subject: Set(item.subject.to_owned()),
            description: Set(item.description.to_owned()),
            steps: Set(item.steps.map(str::to_owned)),
            product_version: Set(item.product_version.to_owned()),
            product_id: Set(item.product_id),
            product: Set(item.product.map(str::to_owned)),
            product_fields: Set(item.product_fields),
            unsupported_version: Set(item.unsupported_version),
            category: Set(classification.category.code().to_owned()),
            severity: Set(classification.severity.map(|s| i16::from(s.number()))),
            special: Set(classification.special),
            special_requested: Set(item.special_requested),
            status: Set(Status::New.as_str().to_owned()),
            assignee_id: Set(None),
            tier: Set(1),
            plan_version_id: Set(item.plan.id),
            sla_level: Set(item.plan.key.clone()),
            registered_at: Set(item.at),
            updated_at: Set(item.at),
            version: Set(1),
            open: Set(true),
            reopen_count: Set(0),
            close_reason: Set(None),
            resolved_at: Set(None),
            closed_at: Set(None),
            channel: Set(item.channel.as_str().to_owned()),
            hold_kind: Set(None),
            hold_reason: Set(None),
            hold_until: Set(None),
            scheduled_start: Set(item.scheduled_work.map(|window| window.start)),
            scheduled_end: Set(item.scheduled_work.map(|window| window.end)),
            paid: Set(item.paid),
            ..Default::default()
        };
        set_derived(&mut row, Some(item.clocks), item.at);
        tickets.push(row.clone().try_into_model()?);
        models.push(row);
    }
    ticket::Entity::insert_many(models)
        .exec_without_returning(db)
        .await?;
    Ok(tickets)
}

/// Writes automatic public messages from the portal (ticket id, text, time) in one statement.
pub async fn insert_automatic_messages(
    db: &impl ConnectionTrait,
    rows: Vec<(i64, String, DateTime<Utc>)>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let models = rows
        .into_iter()
        .map(|(ticket_id, body, at)| message::ActiveModel {
            ticket_id: Set(ticket_id),
            author_id: Set(None),
            body: Set(body),
            internal: Set(false),
            automatic: Set(true),
            source: Set("portal".to_owned()),
            email_message_id: Set(None),
            created_at: Set(at),
            ..Default::default()
        });
    message::Entity::insert_many(models).exec(db).await?;
    Ok(())
}

/// `count` new ticket ids, taken inside the caller's transaction. On SQLite that transaction
/// holds the database's one write lock (see [`crate::db::begin`]), so the ids after the
/// highest ever given are free until it commits; PostgreSQL hands them out from the table's
/// sequence.
pub async fn next_ticket_ids(db: &impl ConnectionTrait, count: usize) -> Result<Vec<i64>, DbErr> {
    use sea_orm::{DatabaseBackend, Statement};
    let backend = db.get_database_backend();
    let count_i64 = i64::try_from(count).unwrap_or(i64::MAX);
    if backend == DatabaseBackend::Postgres {
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                "SELECT nextval(pg_get_serial_sequence('tickets', 'id')) AS id \
                 FROM generate_series(1, $1)",
                [count_i64.into()],
            ))
            .await?;
        return rows
            .iter()
            .map(|row| row.try_get::<i64>("", "id"))
            .collect();
    }
    // AUTOINCREMENT: an id once given is never given again, even after its row is gone.
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT MAX(top) AS top FROM (SELECT COALESCE(MAX(id), 0) AS top FROM tickets \
             UNION ALL SELECT seq AS top FROM sqlite_sequence WHERE name = 'tickets')",
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the highest ticket id".into()))?;
    let top: i64 = row.try_get("", "top")?;
    Ok((1..=count_i64).map(|offset| top + offset).collect())
}
