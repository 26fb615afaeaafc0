//! Known errors and the tickets linked to them.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use shared::api::{NewKnownError, UpdateKnownError};

use super::entity::{known_error, ticket};

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<known_error::Model>, DbErr> {
    known_error::Entity::find_by_id(id).one(db).await
}

/// Up to `limit` known errors, newest first, before the id `cursor`, published ones only if
/// asked; every one of `words` must appear in the title, the symptoms or the number
/// (case-insensitive: `KE-0003`, `ke-0003` and `0003` find KE-0003).
pub async fn list(
    db: &impl ConnectionTrait,
    published_only: bool,
    cursor: Option<i64>,
    words: &[&str],
    limit: u64,
) -> Result<Vec<known_error::Model>, DbErr> {
    use known_error::Column as C;
    let mut select = known_error::Entity::find();
    if published_only {
        select = select.filter(C::Published.eq(true));
    }
    if let Some(cursor) = cursor {
        select = select.filter(C::Id.lt(cursor));
    }
    for word in words {
        let pattern = format!(
            "%{}%",
            word.to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let like = |column: C| {
            Expr::expr(Func::lower(Expr::col(column)))
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
        };
        select = select.filter(
            Condition::any()
                .add(like(C::Title))
                .add(like(C::Symptoms))
                .add(like(C::Number)),
        );
    }
    select.order_by_desc(C::Id).limit(limit).all(db).await
}

/// The ids of the tickets linked to a known error.
pub async fn linked_ticket_ids(
    db: &impl ConnectionTrait,
    known_error_id: i64,
) -> Result<Vec<i64>, DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        ticket_id: i64,
    }
    let query = Query::select()
        .column("ticket_id")
        .from("ticket_known_errors")
        .and_where(Expr::col("known_error_id").eq(known_error_id))
        .to_owned();
    Ok(
        Row::find_by_statement(db.get_database_backend().build(&query))
            .all(db)
            .await?
            .into_iter()
            .map(|row| row.ticket_id)
            .collect(),
    )
}

/// Up to `limit` tickets linked to a known error, newest first.
pub async fn linked_tickets(
    db: &impl ConnectionTrait,
    known_error_id: i64,
    limit: u64,
) -> Result<Vec<ticket::Model>, DbErr> {
    let ids = linked_ticket_ids(db, known_error_id).await?;
    ticket::Entity::find()
        .filter(ticket::Column::Id.is_in(ids))
        .order_by_desc(ticket::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The known errors linked to a ticket, in the order they were linked; published ones only if
/// asked.
pub async fn linked_to_ticket(
    db: &impl ConnectionTrait,
    ticket_id: i64,
    published_only: bool,
) -> Result<Vec<known_error::Model>, DbErr> {
    let linked = Query::select()
        .column("known_error_id")
        .from("ticket_known_errors")
        .and_where(Expr::col("ticket_id").eq(ticket_id))
        .to_owned();
    let mut select =
        known_error::Entity::find().filter(Expr::col(known_error::Column::Id).in_subquery(linked));
    if published_only {
        select = select.filter(known_error::Column::Published.eq(true));
    }
    select.order_by_asc(known_error::Column::Id).all(db).await
}

/// Stores a new known error numbered `KE-<id>`.
pub async fn insert(
    db: &impl ConnectionTrait,
    input: NewKnownError,
    status: String,
    created_by: i64,
    now: DateTime<Utc>,
) -> Result<known_error::Model, DbErr> {
    let created = known_error::ActiveModel {
        number: Set(format!("KE-pending-{:016x}", rand::random::<u64>())),
        title: Set(input.title),
        symptoms: Set(input.symptoms),
        affected_versions: Set(input.affected_versions),
        workaround: Set(input.workaround),
        solution: Set(input.solution),
        status: Set(status),
        fixed_in: Set(input.fixed_in),
        published: Set(input.published),
        created_by: Set(Some(created_by)),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let number = format!("KE-{:04}", created.id);
    let mut model: known_error::ActiveModel = created.into();
    model.number = Set(number);
    model.update(db).await
}

/// Applies `input` to `current` (a new version); returns the row as stored.
pub async fn update(
    db: &impl ConnectionTrait,
    current: known_error::Model,
    input: &UpdateKnownError,
    now: DateTime<Utc>,
) -> Result<known_error::Model, DbErr> {
    let version = current.version;
    let mut model: known_error::ActiveModel = current.into();
    if let Some(value) = input.title.clone() {
        model.title = Set(value);
    }
    if let Some(value) = input.symptoms.clone() {
        model.symptoms = Set(value);
    }
    if let Some(value) = input.affected_versions.clone() {
        model.affected_versions = Set(value);
    }
    if let Some(value) = input.workaround.clone() {
        model.workaround = Set(value);
    }
    if let Some(value) = input.solution.clone() {
        model.solution = Set(value);
    }
    if let Some(value) = input.status.clone() {
        model.status = Set(value);
    }
    if let Some(value) = input.fixed_in.clone() {
        model.fixed_in = Set(Some(value));
    }
    if let Some(value) = input.published {
        model.published = Set(value);
    }
    model.updated_at = Set(now);
    model.version = Set(version + 1);
    model.update(db).await
}
