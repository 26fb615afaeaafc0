//! Outgoing mail rows and the accounts they go to.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

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
