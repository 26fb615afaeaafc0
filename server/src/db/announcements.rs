//! Announcements.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use shared::api::{NewAnnouncement, UpdateAnnouncement};

use super::entity::announcement;

/// Up to 100 announcements, latest start first: those in force at `now` unless `all`, public
/// ones only if asked.
pub async fn list(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    public_only: bool,
    all: bool,
) -> Result<Vec<announcement::Model>, DbErr> {
    use announcement::Column as C;
    let mut select = announcement::Entity::find();
    if !all {
        select = select.filter(C::StartsAt.lte(now)).filter(
            Condition::any()
                .add(C::EndsAt.is_null())
                .add(C::EndsAt.gt(now)),
        );
    }
    if public_only {
        select = select.filter(C::Public.eq(true));
    }
    select.order_by_desc(C::StartsAt).limit(100).all(db).await
}

/// Stores a new announcement starting at `starts_at`.
pub async fn insert(
    db: &impl ConnectionTrait,
    input: NewAnnouncement,
    starts_at: DateTime<Utc>,
    created_by: i64,
    now: DateTime<Utc>,
) -> Result<announcement::Model, DbErr> {
    announcement::ActiveModel {
        kind: Set(input.kind),
        title: Set(input.title),
        body: Set(input.body),
        starts_at: Set(starts_at),
        ends_at: Set(input.ends_at),
        public: Set(input.public),
        created_by: Set(Some(created_by)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<announcement::Model>, DbErr> {
    announcement::Entity::find_by_id(id).one(db).await
}

/// Applies `input` to `current`; returns the row as stored.
pub async fn update(
    db: &impl ConnectionTrait,
    current: announcement::Model,
    input: &UpdateAnnouncement,
) -> Result<announcement::Model, DbErr> {
    let mut model: announcement::ActiveModel = current.into();
    if let Some(value) = input.kind.clone() {
        model.kind = Set(value);
    }
    if let Some(value) = input.title.clone() {
        model.title = Set(value);
    }
    if let Some(value) = input.body.clone() {
        model.body = Set(value);
    }
    if let Some(value) = input.starts_at {
        model.starts_at = Set(value);
    }
    if let Some(value) = input.ends_at {
        model.ends_at = Set(Some(value));
    }
    if let Some(value) = input.public {
        model.public = Set(value);
    }
    model.update(db).await
}

/// Deletes announcement `id`; returns whether there was one.
pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    let result = announcement::Entity::delete_by_id(id).exec(db).await?;
    Ok(result.rows_affected > 0)
}
