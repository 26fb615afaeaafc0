//! The intake log of incoming mail: one row per Message-ID.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

/// The ticket an earlier ingestion of `message_id` touched: `None` if it was never ingested,
/// `Some(None)` if it touched no ticket.
pub async fn ingested(
    db: &impl ConnectionTrait,
    message_id: &str,
) -> Result<Option<Option<i64>>, DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        ticket_id: Option<i64>,
    }
    let query = Query::select()
        .column("ticket_id")
        .from("inbound_mail")
        .and_where(Expr::col("message_id").eq(message_id))
        .to_owned();
    Ok(
        Row::find_by_statement(db.get_database_backend().build(&query))
            .one(db)
            .await?
            .map(|row| row.ticket_id),
    )
}

/// Whether `sender` was refused since `since`.
pub async fn refused_since(
    db: &impl ConnectionTrait,
    sender: &str,
    since: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let query = Query::select()
        .column("id")
        .from("inbound_mail")
        .and_where(Expr::col("sender").eq(sender))
        .and_where(Expr::col("outcome").eq("refused"))
        .and_where(Expr::col("received_at").gt(since))
        .limit(1)
        .to_owned();
    Ok(db.query_one(&query).await?.is_some())
}

/// Records the message in the intake log; returns false if its Message-ID is already there.
pub async fn log_message(
    db: &impl ConnectionTrait,
    message_id: &str,
    sender: &str,
    ticket_id: Option<i64>,
    outcome: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let insert = Query::insert()
        .into_table("inbound_mail")
        .columns([
            "message_id",
            "sender",
            "ticket_id",
            "outcome",
            "received_at",
        ])
        .values_panic([
            message_id.into(),
            sender.into(),
            ticket_id.into(),
            outcome.into(),
            now.into(),
        ])
        .on_conflict(OnConflict::column("message_id").do_nothing().to_owned())
        .to_owned();
    Ok(db.execute(&insert).await?.rows_affected() == 1)
}
