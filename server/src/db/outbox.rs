//! Outgoing mail rows and the accounts they go to.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, Statement,
};

use super::entity::user;

/// One outbox row to write: the headers already as JSON.
pub struct NewMail<'a> {
    pub to_address: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub headers: String,
    pub ticket_id: Option<i64>,
}

/// Writes `rows` to the outbox in one statement, due at `now`.
pub async fn insert(
    db: &impl ConnectionTrait,
    rows: Vec<NewMail<'_>>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert.into_table("outbox").columns([
        "to_address",
        "subject",
        "body",
        "headers",
        "ticket_id",
        "created_at",
        "attempts",
        "next_attempt_at",
    ]);
    for row in rows {
        insert.values_panic([
            row.to_address.into(),
            row.subject.into(),
            row.body.into(),
            row.headers.into(),
            row.ticket_id.into(),
            now.into(),
            0i32.into(),
            now.into(),
        ]);
    }
    db.execute(&insert).await?;
    Ok(())
}

/// The active accounts among `ids`, or every active account (by id) without `ids`.
pub async fn active_users(
    db: &impl ConnectionTrait,
    ids: Option<&[i64]>,
) -> Result<Vec<user::Model>, DbErr> {
    let mut select = user::Entity::find().filter(user::Column::Active.eq(true));
    if let Some(ids) = ids {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        select = select.filter(user::Column::Id.is_in(ids.iter().copied()));
    }
    select.order_by_asc(user::Column::Id).all(db).await
}

/// An outbox row due for delivery.
#[derive(Clone, Debug, FromQueryResult)]
pub struct DueMail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub headers: String,
    pub attempts: i32,
}

/// Claims up to `batch` rows due at `now` with fewer than `max_attempts` attempts: on
/// PostgreSQL with row locks and a lease until `lease_until`, on SQLite (one instance) plainly.
pub async fn claim(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    max_attempts: i32,
    batch: u64,
) -> Result<Vec<DueMail>, DbErr> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let sql = "UPDATE outbox SET next_attempt_at = $1 WHERE id IN (\
                SELECT id FROM outbox WHERE sent_at IS NULL AND attempts < $2 \
                AND next_attempt_at <= $3 ORDER BY next_attempt_at, id LIMIT $4 \
                FOR UPDATE SKIP LOCKED) \
                RETURNING id, to_address, subject, body, headers, attempts";
            let statement = Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                sql,
                [
                    lease_until.into(),
                    max_attempts.into(),
                    now.into(),
                    i64::try_from(batch).unwrap_or(i64::MAX).into(),
                ],
            );
            DueMail::find_by_statement(statement).all(db).await
        }
        backend => {
            let query = Query::select()
                .columns(["id", "to_address", "subject", "body", "headers", "attempts"])
                .from("outbox")
                .and_where(Expr::col("sent_at").is_null())
                .and_where(Expr::col("attempts").lt(max_attempts))
                .and_where(Expr::col("next_attempt_at").lte(now))
                .order_by("next_attempt_at", Order::Asc)
                .order_by("id", Order::Asc)
                .limit(batch)
                .to_owned();
            DueMail::find_by_statement(backend.build(&query))
                .all(db)
                .await
        }
    }
}

/// Marks the rows `ids` sent at `at`.
pub async fn mark_sent(
    db: &impl ConnectionTrait,
    ids: &[i64],
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    db.execute(
        Query::update()
            .table("outbox")
            .value("sent_at", at)
            .value("attempts", Expr::col("attempts").add(1))
            .and_where(Expr::col("id").is_in(ids.iter().copied())),
    )
    .await?;
    Ok(())
}

/// Records a failed attempt at row `id`: the attempts so far, when to try again and why.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    id: i64,
    attempts: i32,
    next_attempt_at: DateTime<Utc>,
    error: &str,
) -> Result<(), DbErr> {
    db.execute(
        Query::update()
            .table("outbox")
            .value("attempts", attempts)
            .value("next_attempt_at", next_attempt_at)
            .value("last_error", error)
            .and_where(Expr::col("id").eq(id)),
    )
    .await?;
    Ok(())
}

/// How many outbox rows are sent, and how many there are.
pub async fn delivery_counts(db: &impl ConnectionTrait) -> Result<(i64, i64), DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS queued, COUNT(sent_at) AS sent FROM outbox",
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the outbox count".into()))?;
    Ok((row.try_get("", "sent")?, row.try_get("", "queued")?))
}

/// How many outbox rows wait for delivery, and when the oldest of them was written.
pub async fn backlog(db: &impl ConnectionTrait) -> Result<(i64, Option<DateTime<Utc>>), DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS backlog, MIN(created_at) AS oldest FROM outbox WHERE sent_at IS NULL",
        ))
        .await?;
    match row {
        Some(row) => Ok((
            row.try_get("", "backlog")?,
            row.try_get("", "oldest").unwrap_or(None),
        )),
        None => Ok((0, None)),
    }
}
