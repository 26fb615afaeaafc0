//! Canned responses and the staff directory.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::entity::{canned_response, user};

/// The shared canned responses and those of `owner_id`, by title.
pub async fn list(
    db: &impl ConnectionTrait,
    owner_id: i64,
) -> Result<Vec<canned_response::Model>, DbErr> {
    use canned_response::Column as C;
    canned_response::Entity::find()
        .filter(
            Condition::any()
                .add(C::OwnerId.is_null())
                .add(C::OwnerId.eq(owner_id)),
        )
        .order_by_asc(C::Title)
        .order_by_asc(C::Id)
        .limit(500)
        .all(db)
        .await
}

/// Stores a canned response: shared without an owner.
pub async fn insert(
    db: &impl ConnectionTrait,
    title: String,
    body: String,
    owner_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<canned_response::Model, DbErr> {
    canned_response::ActiveModel {
        title: Set(title),
        body: Set(body),
        owner_id: Set(owner_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<canned_response::Model>, DbErr> {
    canned_response::Entity::find_by_id(id).one(db).await
}

pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    canned_response::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// The active members of staff, by name (at most 1,000).
pub async fn staff(db: &impl ConnectionTrait) -> Result<Vec<user::Model>, DbErr> {
    use user::Column as C;
    user::Entity::find()
        .filter(C::Role.ne("customer"))
        .filter(C::Active.eq(true))
        .order_by_asc(C::Name)
        .order_by_asc(C::Id)
        .limit(1000)
        .all(db)
        .await
}
