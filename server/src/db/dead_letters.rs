//! Queries of `dead_letters`: incoming messages that could not be ingested, each kept once with
//! how many times it failed; those given up on (`dead`) are what an admin lists.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Order, Query};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

/// A dead letter as an admin lists it (without its raw bytes).
#[derive(Clone, Debug, FromQueryResult)]
pub struct DeadLetterRow {
    pub id: i64,
    pub received_at: DateTime<Utc>,
    pub reason: String,
    pub message_id: Option<String>,
    pub size: i64,
    pub attempts: i32,
}

/// A message that failed.
pub struct Failure<'a> {
    pub received_at: DateTime<Utc>,
    pub reason: &'a str,
    /// The SHA-256 of `raw`, hex.
    pub digest: &'a str,
    pub message_id: Option<&'a str>,
    pub raw: &'a [u8],
}

/// Records one more failure of a message (kept once, by its digest) and returns how many times
/// it has failed.
///
/// # Errors
/// A database failure.
pub async fn record_failure(db: &impl ConnectionTrait, failure: Failure<'_>) -> Result<i32, DbErr> {
    let insert = Query::insert()
        .into_table("dead_letters")
        .columns([
            "received_at",
            "reason",
            "digest",
            "message_id",
            "size",
            "raw",
            "attempts",
            "dead",
        ])
        .values_panic([
            failure.received_at.into(),
            failure.reason.into(),
            failure.digest.into(),
            failure.message_id.map(str::to_owned).into(),
            i64::try_from(failure.raw.len()).unwrap_or(i64::MAX).into(),
            failure.raw.to_vec().into(),
            1.into(),
            false.into(),
        ])
        .on_conflict(
            OnConflict::column("digest")
                .value("attempts", Expr::col(("dead_letters", "attempts")).add(1))
                .update_column("reason")
                .to_owned(),
        )
        .to_owned();
    db.execute(&insert).await?;
    let query = Query::select()
        .column("attempts")
        .from("dead_letters")
        .and_where(Expr::col("digest").eq(failure.digest))
        .to_owned();
    match db.query_one(&query).await? {
        Some(row) => row.try_get::<i32>("", "attempts"),
        None => Ok(1),
    }
}

/// Gives up on the message with `digest`: it is dead and listed.
///
/// # Errors
/// A database failure.
pub async fn mark_dead(db: &impl ConnectionTrait, digest: &str) -> Result<(), DbErr> {
    let update = Query::update()
        .table("dead_letters")
        .value("dead", true)
        .and_where(Expr::col("digest").eq(digest))
        .to_owned();
    db.execute(&update).await?;
    Ok(())
}

/// The newest `limit` dead letters.
///
/// # Errors
/// A database failure.
pub async fn list(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<DeadLetterRow>, DbErr> {
    let query = Query::select()
        .columns([
            "id",
            "received_at",
            "reason",
            "message_id",
            "size",
            "attempts",
        ])
        .from("dead_letters")
        .and_where(Expr::col("dead").eq(true))
        .order_by("id", Order::Desc)
        .limit(limit)
        .to_owned();
    DeadLetterRow::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await
}
