//! Password reminders of plans and organisations.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use shared::api::PasswordReminder;

use super::entity::{password_reminder, plan_version};

/// Whose reminder: a plan's or an organisation's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    Plan(i64),
    Organisation(i64),
}

impl Owner {
    fn condition(self) -> sea_orm::Condition {
        use password_reminder::Column as C;
        match self {
            Owner::Plan(id) => sea_orm::Condition::all().add(C::PlanId.eq(id)),
            Owner::Organisation(id) => sea_orm::Condition::all().add(C::OrganisationId.eq(id)),
        }
    }
}

fn to_wire(model: password_reminder::Model) -> PasswordReminder {
    PasswordReminder {
        en: model.text_en,
        ru: model.text_ru,
    }
}

/// Whether the plan or organisation `owner` names exists.
pub async fn owner_exists(db: &impl ConnectionTrait, owner: Owner) -> Result<bool, DbErr> {
    Ok(match owner {
        Owner::Plan(id) => super::entity::plan::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_some(),
        Owner::Organisation(id) => super::entity::organisation::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_some(),
    })
}

/// The reminder `owner` has, if any.
pub async fn find(
    db: &impl ConnectionTrait,
    owner: Owner,
) -> Result<Option<PasswordReminder>, DbErr> {
    Ok(password_reminder::Entity::find()
        .filter(owner.condition())
        .one(db)
        .await?
        .map(to_wire))
}

/// Sets the reminder of `owner`; an empty one removes it.
pub async fn save(
    db: &impl ConnectionTrait,
    owner: Owner,
    reminder: &PasswordReminder,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    password_reminder::Entity::delete_many()
        .filter(owner.condition())
        .exec(db)
        .await?;
    if reminder.is_empty() {
        return Ok(());
    }
    let (plan_id, organisation_id) = match owner {
        Owner::Plan(id) => (Some(id), None),
        Owner::Organisation(id) => (None, Some(id)),
    };
    password_reminder::ActiveModel {
        plan_id: Set(plan_id),
        organisation_id: Set(organisation_id),
        text_en: Set(reminder.en.clone()),
        text_ru: Set(reminder.ru.clone()),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The reminder a ticket's resolution mail carries: its organisation's, or else the one of the
/// plan its plan version belongs to.
pub async fn for_ticket(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    plan_version_id: i64,
) -> Result<Option<PasswordReminder>, DbErr> {
    if let Some(found) = find(db, Owner::Organisation(organisation_id)).await? {
        return Ok(Some(found));
    }
    let Some(version) = plan_version::Entity::find_by_id(plan_version_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    find(db, Owner::Plan(version.plan_id)).await
}

/// Every plan's reminder set to `reminder` (the demo's default text).
pub async fn set_for_every_plan(
    db: &impl ConnectionTrait,
    reminder: &PasswordReminder,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let plans = super::entity::plan::Entity::find().all(db).await?;
    for plan in plans {
        save(db, Owner::Plan(plan.id), reminder, now).await?;
    }
    Ok(())
}
