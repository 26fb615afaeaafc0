//! The background jobs' queries: claiming batches of tickets, recording alerts once, storing
//! recomputed derived columns, and when a customer was last asked for information.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use shared::sla::Clocks;
use shared::ticket::Status;

use super::entity::{ticket, ticket_event};
use super::tickets::set_derived;

/// The most tickets one transaction of a job handles.
pub const BATCH: u64 = 100;

/// Which tickets a job claims.
#[derive(Clone, Copy, Debug)]
pub enum Due {
    /// Open tickets whose clocks change state by the instant.
    Alerts(DateTime<Utc>),
    /// Tickets whose derived columns wait for a recompute.
    Stale,
    /// Tickets waiting for the customer.
    Waiting,
    /// Resolved tickets without a rating, resolved at or before the instant.
    UnratedSince(DateTime<Utc>),
    /// Tickets on hold until the instant or before.
    HoldEnded(DateTime<Utc>),
}

/// Claims up to [`BATCH`] tickets that are `due`, in the caller's transaction: locked with
/// `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several instances share the work.
pub async fn claim(txn: &impl ConnectionTrait, due: Due) -> Result<Vec<ticket::Model>, DbErr> {
    let (condition, order) = match due {
        Due::Alerts(now) => (
            Condition::all()
                .add(ticket::Column::Open.eq(true))
                .add(ticket::Column::NextCheckAt.lte(now)),
            ticket::Column::NextCheckAt,
        ),
        Due::Stale => (
            Condition::all().add(ticket::Column::DerivedStale.eq(true)),
            ticket::Column::Id,
        ),
        Due::Waiting => (
            Condition::all().add(ticket::Column::Status.eq(Status::WaitingForCustomer.as_str())),
            ticket::Column::Id,
        ),
        Due::HoldEnded(now) => (
            Condition::all()
                .add(ticket::Column::Status.eq(Status::OnHold.as_str()))
                .add(ticket::Column::HoldUntil.lte(now)),
            ticket::Column::HoldUntil,
        ),
        Due::UnratedSince(before) => {
            let rated = Query::select()
                .column("ticket_id")
                .from("ratings")
                .to_owned();
            (
                Condition::all()
                    .add(ticket::Column::Status.eq(Status::Resolved.as_str()))
                    .add(ticket::Column::ResolvedAt.lte(before))
                    .add(Expr::col(ticket::Column::Id).not_in_subquery(rated)),
                ticket::Column::ResolvedAt,
            )
        }
    };
    let mut select = ticket::Entity::find()
        .filter(condition)
        .order_by_asc(order)
        .limit(BATCH);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        select = select.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    select.all(txn).await
}

/// Records an alert once; returns whether this call recorded it.
pub async fn alert_once(
    txn: &impl ConnectionTrait,
    ticket_id: i64,
    clock: &str,
    kind: &str,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let insert = Query::insert()
        .into_table("sla_alerts")
        .columns(["ticket_id", "clock", "kind", "deadline", "created_at"])
        .values_panic([
            ticket_id.into(),
            clock.into(),
            kind.into(),
            deadline.into(),
            now.into(),
        ])
        .on_conflict(
            OnConflict::columns(["ticket_id", "clock", "kind", "deadline"])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    Ok(txn.execute(&insert).await?.rows_affected() == 1)
}

/// Stores derived columns from `clocks` without a new version (they are not the caller's
/// state); with `version`, only while the ticket is still at it.
pub async fn store_derived(
    txn: &impl ConnectionTrait,
    ticket_id: i64,
    version: Option<i32>,
    clocks: Option<&Clocks>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut model = ticket::ActiveModel::default();
    set_derived(&mut model, clocks, now);
    let mut update = ticket::Entity::update_many()
        .set(model)
        .filter(ticket::Column::Id.eq(ticket_id));
    if let Some(version) = version {
        update = update.filter(ticket::Column::Version.eq(version));
    }
    update.exec(txn).await?;
    Ok(())
}

/// When staff last asked the customer of the ticket for information.
pub async fn last_request_info_at(
    txn: &impl ConnectionTrait,
    ticket_id: i64,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(ticket_event::Entity::find()
        .filter(ticket_event::Column::TicketId.eq(ticket_id))
        .filter(ticket_event::Column::Kind.eq("request_info"))
        .order_by_desc(ticket_event::Column::Id)
        .one(txn)
        .await?
        .map(|event| event.at))
}

/// How many tickets have a clock at risk, and how many a breached one.
pub async fn clock_counts(db: &impl ConnectionTrait) -> Result<(i64, i64), DbErr> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT (SELECT COUNT(*) FROM tickets WHERE at_risk) AS at_risk, \
             (SELECT COUNT(*) FROM tickets WHERE breached) AS breached",
        ))
        .await?;
    match row {
        Some(row) => Ok((row.try_get("", "at_risk")?, row.try_get("", "breached")?)),
        None => Ok((0, 0)),
    }
}
