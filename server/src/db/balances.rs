//! The prepaid balances of organisations for paid work [004]: a ledger of signed changes in
//! minutes, whose sum is the balance.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use shared::api::{BalanceEntry, BalanceEntryKind};

use super::entity::{balance_entry, ticket};

/// The most entries [`entries`] returns.
pub const HISTORY: u64 = 200;

/// One change to write.
pub struct NewEntry<'a> {
    pub organisation_id: i64,
    pub minutes: i64,
    pub kind: BalanceEntryKind,
    pub ticket_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub comment: &'a str,
    pub at: DateTime<Utc>,
}

/// The balance of `organisation_id` in minutes: the sum of its ledger (0 without one).
///
/// # Errors
/// A database failure.
pub async fn balance(db: &impl ConnectionTrait, organisation_id: i64) -> Result<i64, DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        minutes: Option<i64>,
    }
    let query = Query::select()
        .expr_as(
            Func::cast_as(
                Func::coalesce::<[Expr; 2], Expr>([
                    Func::sum(Expr::col(("balance_entries", "minutes"))).into(),
                    Expr::val(0),
                ]),
                "BIGINT",
            ),
            "minutes",
        )
        .from("balance_entries")
        .and_where(Expr::col(("balance_entries", "organisation_id")).eq(organisation_id))
        .to_owned();
    let row = Row::find_by_statement(db.get_database_backend().build(&query))
        .one(db)
        .await?;
    Ok(row.and_then(|row| row.minutes).unwrap_or(0))
}

/// Appends one change to the ledger; returns its id.
///
/// # Errors
/// A database failure.
pub async fn insert(db: &impl ConnectionTrait, entry: NewEntry<'_>) -> Result<i64, DbErr> {
    let model = balance_entry::ActiveModel {
        organisation_id: Set(entry.organisation_id),
        minutes: Set(entry.minutes),
        kind: Set(entry.kind.as_str().to_owned()),
        ticket_id: Set(entry.ticket_id),
        actor_id: Set(entry.actor_id),
        comment: Set(entry.comment.to_owned()),
        created_at: Set(entry.at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.id)
}

/// The latest [`HISTORY`] changes of `organisation_id`, newest first, with the ticket's
/// reference and the actor's name.
///
/// # Errors
/// A database failure.
pub async fn entries(
    db: &impl ConnectionTrait,
    organisation_id: i64,
) -> Result<Vec<BalanceEntry>, DbErr> {
    let rows = balance_entry::Entity::find()
        .filter(balance_entry::Column::OrganisationId.eq(organisation_id))
        .order_by_desc(balance_entry::Column::Id)
        .limit(HISTORY)
        .all(db)
        .await?;
    let actors = rows.iter().filter_map(|row| row.actor_id).collect();
    let names = super::tickets::user_names(db, actors).await?;
    let ticket_ids: Vec<i64> = rows.iter().filter_map(|row| row.ticket_id).collect();
    let references: std::collections::HashMap<i64, String> = if ticket_ids.is_empty() {
        Default::default()
    } else {
        ticket::Entity::find()
            .filter(ticket::Column::Id.is_in(ticket_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|row| (row.id, row.reference))
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|row| BalanceEntry {
            id: row.id,
            minutes: row.minutes,
            kind: BalanceEntryKind::parse(&row.kind).unwrap_or(BalanceEntryKind::Correction),
            ticket: row.ticket_id.and_then(|id| references.get(&id).cloned()),
            actor_name: row
                .actor_id
                .and_then(|id| names.get(&id).map(|(name, _)| name.clone())),
            comment: row.comment,
            created_at: row.created_at,
        })
        .collect())
}
