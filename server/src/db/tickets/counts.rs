//! The queue's counters per state: one `COUNT` query over the derived columns of the tickets a
//! [`TicketFilter`] selects. It never loads a ticket row.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Asterisk, Expr, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect,
};
use shared::api::TicketCounts;
use shared::ticket::Status;

use super::TicketFilter;
use crate::db::entity::ticket;

/// Counts the tickets `filter` selects, per state, at `now` (the meaning of each counter is
/// documented on [`TicketCounts`]). Each counter is a `COUNT(CASE WHEN … THEN 1 END)` over the
/// columns every action stores with the ticket: status, next deadline, the at-risk and breached
/// flags.
///
/// # Errors
/// A database failure.
pub async fn count_tickets(
    db: &impl ConnectionTrait,
    filter: &TicketFilter,
    now: DateTime<Utc>,
) -> Result<TicketCounts, DbErr> {
    use ticket::Column as C;
    #[derive(FromQueryResult)]
    struct Row {
        total: i64,
        running: i64,
        at_risk: i64,
        breached: i64,
        paused: i64,
    }
    // A ticket waiting for its customer or put on hold is paused, whatever its deadline: a
    // hold (a vendor fix, scheduled work) is not a risk of the support team's making.
    let paused_statuses = [Status::WaitingForCustomer.as_str(), Status::OnHold.as_str()];
    let waiting = || C::Status.is_in(paused_statuses);
    let working = || C::Status.is_not_in(paused_statuses);
    let count_where = |condition: Condition| Expr::from(Func::count(Expr::case(condition, 1)));
    let breached = Condition::all().add(working()).add(
        Condition::any().add(C::NextDeadline.lte(now)).add(
            Condition::all()
                .add(C::NextDeadline.is_null())
                .add(C::Breached.eq(true)),
        ),
    );
    let running_with = |at_risk: bool| {
        Condition::all()
            .add(working())
            .add(C::NextDeadline.gt(now))
            .add(C::AtRisk.eq(at_risk))
    };
    let row = ticket::Entity::find()
        .filter(filter.condition())
        .select_only()
        .column_as(Expr::from(Func::count(Expr::col(Asterisk))), "total")
        .column_as(count_where(running_with(false)), "running")
        .column_as(count_where(running_with(true)), "at_risk")
        .column_as(count_where(breached), "breached")
        .column_as(count_where(Condition::all().add(waiting())), "paused")
        .into_model::<Row>()
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("an aggregate without a row".to_owned()))?;
    let count = |value: i64| u64::try_from(value).unwrap_or(0);
    Ok(TicketCounts {
        total: count(row.total),
        running: count(row.running),
        at_risk: count(row.at_risk),
        breached: count(row.breached),
        paused: count(row.paused),
    })
}
