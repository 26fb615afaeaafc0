//! Organisation watchers: who they are, replacing the set, and which of them hear of an event.
//!
//! The rule of who may watch (active staff, or an active customer of that very organisation) is
//! checked by the admin route before [`replace`]; [`recipients`] applies it again when an event
//! is told, so an account deactivated since it was made a watcher hears nothing.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
};

use shared::ticket::Role;

use super::entity::{organisation_watcher as watcher, user};

/// The ids of the accounts that watch `organisation_id`, as a subquery.
fn watching(organisation_id: i64) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(watcher::Column::UserId)
        .from(watcher::Entity)
        .and_where(watcher::Column::OrganisationId.eq(organisation_id))
        .to_owned()
}

/// The accounts that watch `organisation_id`, by name.
pub async fn list(
    db: &impl ConnectionTrait,
    organisation_id: i64,
) -> Result<Vec<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Id.in_subquery(watching(organisation_id)))
        .order_by_asc(user::Column::Name)
        .order_by_asc(user::Column::Id)
        .all(db)
        .await
}

/// Makes `user_ids` the whole set of watchers of `organisation_id`, inside the caller's
/// transaction.
pub async fn replace(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    user_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    watcher::Entity::delete_many()
        .filter(watcher::Column::OrganisationId.eq(organisation_id))
        .exec(db)
        .await?;
    if user_ids.is_empty() {
        return Ok(());
    }
    watcher::Entity::insert_many(user_ids.iter().map(|&user_id| watcher::ActiveModel {
        organisation_id: Set(organisation_id),
        user_id: Set(user_id),
        created_at: Set(now),
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// The watchers of `organisation_id` to tell about an event of one of its tickets: active staff
/// always, active customers of the organisation unless the event is `internal`.
pub async fn recipients(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    internal: bool,
) -> Result<Vec<i64>, DbErr> {
    Ok(list(db, organisation_id)
        .await?
        .into_iter()
        .filter(|user| user.active)
        .filter(|user| {
            if user.role == Role::Customer.as_str() {
                !internal && user.organisation_id == Some(organisation_id)
            } else {
                true
            }
        })
        .map(|user| user.id)
        .collect())
}

/// Everyone a new ticket of `organisation_id` filed by `requester_id` is announced to, as
/// active accounts read in one query: the requester, the supervisors, and the organisation's
/// watchers as [`recipients`] chooses them (staff, and customers of the organisation).
pub async fn registration_audience(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    requester_id: i64,
) -> Result<Vec<user::Model>, DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(
            Condition::any()
                .add(user::Column::Id.eq(requester_id))
                .add(user::Column::Role.eq("supervisor"))
                .add(user::Column::Id.in_subquery(watching(organisation_id))),
        )
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|user| {
            user.id == requester_id
                || user.role != Role::Customer.as_str()
                || user.organisation_id == Some(organisation_id)
        })
        .collect())
}
