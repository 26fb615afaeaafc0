//! The live tail's reads: stored events and notifications after an id, in id order.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

/// The PostgreSQL listener the live hub and the directory hear other instances on.
pub use sea_orm::sqlx::postgres::PgListener;

/// The highest id in `table`, 0 when it is empty.
pub async fn max_id(db: &impl ConnectionTrait, table: &'static str) -> Result<i64, DbErr> {
    #[derive(FromQueryResult)]
    struct Max {
        max_id: Option<i64>,
    }
    let query = Query::select()
        .expr_as(Expr::col("id").max(), Alias::new("max_id"))
        .from(table)
        .to_owned();
    let row = Max::find_by_statement(db.get_database_backend().build(&query))
        .one(db)
        .await?;
    Ok(row.and_then(|row| row.max_id).unwrap_or(0))
}

/// A stored event with its ticket's live columns.
#[derive(FromQueryResult)]
pub struct EventRow {
    pub id: i64,
    pub kind: String,
    pub at: DateTime<Utc>,
    pub internal: bool,
    pub reference: String,
    pub organisation_id: i64,
    pub status: String,
    pub version: i32,
    pub special: bool,
    pub assignee_id: Option<i64>,
    pub next_deadline: Option<DateTime<Utc>>,
    pub at_risk: bool,
    pub breached: bool,
}

fn event_query(after: i64, organisation: Option<i64>, limit: u64) -> SelectStatement {
    let mut query = Query::select();
    query
        .expr_as(Expr::col(("e", "id")), Alias::new("id"))
        .expr_as(Expr::col(("e", "kind")), Alias::new("kind"))
        .expr_as(Expr::col(("e", "at")), Alias::new("at"))
        .expr_as(Expr::col(("e", "internal")), Alias::new("internal"))
        .expr_as(Expr::col(("t", "reference")), Alias::new("reference"))
        .expr_as(
            Expr::col(("t", "organisation_id")),
            Alias::new("organisation_id"),
        )
        .expr_as(Expr::col(("t", "status")), Alias::new("status"))
        .expr_as(Expr::col(("t", "version")), Alias::new("version"))
        .expr_as(Expr::col(("t", "special")), Alias::new("special"))
        .expr_as(Expr::col(("t", "assignee_id")), Alias::new("assignee_id"))
        .expr_as(
            Expr::col(("t", "next_deadline")),
            Alias::new("next_deadline"),
        )
        .expr_as(Expr::col(("t", "at_risk")), Alias::new("at_risk"))
        .expr_as(Expr::col(("t", "breached")), Alias::new("breached"))
        .from_as("ticket_events", "e")
        .join_as(
            JoinType::InnerJoin,
            "tickets",
            "t",
            Expr::col(("t", "id")).equals(("e", "ticket_id")),
        )
        .and_where(Expr::col(("e", "id")).gt(after))
        .order_by(("e", "id"), Order::Asc)
        .limit(limit);
    if let Some(organisation_id) = organisation {
        query
            .and_where(Expr::col(("t", "organisation_id")).eq(organisation_id))
            .and_where(Expr::col(("e", "internal")).eq(false));
    }
    query.to_owned()
}

/// Up to `limit` events after `after` in id order; with `organisation`, only that
/// organisation's public ones (what a customer may see).
pub async fn event_rows(
    db: &impl ConnectionTrait,
    after: i64,
    organisation: Option<i64>,
    limit: u64,
) -> Result<Vec<EventRow>, DbErr> {
    let query = event_query(after, organisation, limit);
    EventRow::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await
}

/// A stored notification with its ticket's reference.
#[derive(FromQueryResult)]
pub struct NotificationRow {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub reference: Option<String>,
}

/// Up to `limit` notifications after `after` in id order, of one user if given.
pub async fn notification_rows(
    db: &impl ConnectionTrait,
    after: i64,
    user_id: Option<i64>,
    limit: u64,
) -> Result<Vec<NotificationRow>, DbErr> {
    let mut query = Query::select();
    query
        .expr_as(Expr::col(("n", "id")), Alias::new("id"))
        .expr_as(Expr::col(("n", "user_id")), Alias::new("user_id"))
        .expr_as(Expr::col(("n", "kind")), Alias::new("kind"))
        .expr_as(Expr::col(("n", "text")), Alias::new("text"))
        .expr_as(Expr::col(("n", "created_at")), Alias::new("created_at"))
        .expr_as(Expr::col(("t", "reference")), Alias::new("reference"))
        .from_as("notifications", "n")
        .join_as(
            JoinType::LeftJoin,
            "tickets",
            "t",
            Expr::col(("t", "id")).equals(("n", "ticket_id")),
        )
        .and_where(Expr::col(("n", "id")).gt(after))
        .order_by(("n", "id"), Order::Asc)
        .limit(limit);
    if let Some(user_id) = user_id {
        query.and_where(Expr::col(("n", "user_id")).eq(user_id));
    }
    let query = query.to_owned();
    NotificationRow::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await
}
