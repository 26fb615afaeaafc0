//! A user's in-app notifications and profile.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::entity::{notification, user};

/// Up to `limit` notifications of `user_id`, newest first, before the id `before`, unread only
/// if asked; and how many are unread in all.
pub async fn page(
    db: &impl ConnectionTrait,
    user_id: i64,
    before: Option<i64>,
    unread_only: bool,
    limit: u64,
) -> Result<(Vec<notification::Model>, u64), DbErr> {
    let mut select = notification::Entity::find().filter(notification::Column::UserId.eq(user_id));
    if let Some(before) = before {
        select = select.filter(notification::Column::Id.lt(before));
    }
    if unread_only {
        select = select.filter(notification::Column::ReadAt.is_null());
    }
    let rows = select
        .order_by_desc(notification::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let unread = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?;
    Ok((rows, unread))
}

/// Marks notification `id` of `user_id` read (once). Returns false if it is not theirs.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    user_id: i64,
    id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    if let Some(id) = id {
        let exists = notification::Entity::find_by_id(id)
            .filter(notification::Column::UserId.eq(user_id))
            .one(db)
            .await?
            .is_some();
        if !exists {
            return Ok(false);
        }
    }
    let mut update = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(now))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(id) = id {
        update = update.filter(notification::Column::Id.eq(id));
    }
    update.exec(db).await?;
    Ok(true)
}

/// What a user changes of their own profile; `None` keeps a value.
#[derive(Debug, Default)]
pub struct ProfileChange {
    pub name: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
    /// The mail preferences as JSON.
    pub preferences: Option<String>,
}

/// Writes `change` to user `id`; returns the row as stored, or `None` for no such user.
pub async fn update_profile(
    db: &impl ConnectionTrait,
    id: i64,
    change: ProfileChange,
) -> Result<Option<user::Model>, DbErr> {
    let Some(row) = user::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let mut active: user::ActiveModel = row.into();
    if let Some(name) = change.name {
        active.name = Set(name);
    }
    if let Some(locale) = change.locale {
        active.locale = Set(locale);
    }
    if let Some(zone) = change.time_zone {
        active.time_zone = Set(zone);
    }
    if let Some(preferences) = change.preferences {
        active.preferences = Set(preferences);
    }
    active.update(db).await.map(Some)
}
