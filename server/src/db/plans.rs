//! Calendar and plan queries: the library of calendars, SLA plans, and their immutable
//! versions. Validation is `shared`'s (`Calendar::new`, `Plan::new`); this module only stores.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use shared::api::{AdminCalendar, AdminPlan, VersionInfo};
use shared::calendar::CalendarSpec;
use shared::sla::PlanSpec;

use super::entity::{calendar, calendar_version, plan, plan_version, ticket};

fn parse_calendar(id: i64, json: &str) -> Result<CalendarSpec, DbErr> {
    CalendarSpec::from_json(json)
        .map_err(|error| DbErr::Custom(format!("stored calendar {id}: {error}")))
}

fn parse_plan(id: i64, json: &str) -> Result<PlanSpec, DbErr> {
    PlanSpec::from_json(json).map_err(|error| DbErr::Custom(format!("stored plan {id}: {error}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, DbErr> {
    serde_json::to_string(value).map_err(|error| DbErr::Custom(error.to_string()))
}

fn calendar_to_wire(
    model: calendar::Model,
    versions: Vec<VersionInfo>,
) -> Result<AdminCalendar, DbErr> {
    Ok(AdminCalendar {
        spec: parse_calendar(model.id, &model.spec)?,
        id: model.id,
        key: model.key,
        name: model.name,
        version: model.version,
        updated_at: model.updated_at,
        versions,
    })
}

/// Every calendar, by key (without their version lists).
pub async fn list_calendars(db: &impl ConnectionTrait) -> Result<Vec<AdminCalendar>, DbErr> {
    calendar::Entity::find()
        .order_by_asc(calendar::Column::Key)
        .limit(1000)
        .all(db)
        .await?
        .into_iter()
        .map(|model| calendar_to_wire(model, Vec::new()))
        .collect()
}

/// One calendar with its versions, newest first.
pub async fn find_calendar(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<AdminCalendar>, DbErr> {
    let Some(model) = calendar::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let versions = calendar_version::Entity::find()
        .filter(calendar_version::Column::CalendarId.eq(id))
        .order_by_desc(calendar_version::Column::Version)
        .all(db)
        .await?
        .into_iter()
        .map(|row| VersionInfo {
            id: row.id,
            version: row.version,
            created_at: row.created_at,
        })
        .collect();
    calendar_to_wire(model, versions).map(Some)
}

/// The current spec of calendar `id`, if it exists.
pub async fn calendar_spec(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<CalendarSpec>, DbErr> {
    match calendar::Entity::find_by_id(id).one(db).await? {
        Some(model) => parse_calendar(id, &model.spec).map(Some),
        None => Ok(None),
    }
}

/// Stores a new calendar and its first version; returns its id.
pub async fn insert_calendar(
    db: &impl ConnectionTrait,
    key: &str,
    name: &str,
    spec: &CalendarSpec,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let json = to_json(spec)?;
    let created = calendar::ActiveModel {
        key: Set(key.to_owned()),
        name: Set(name.to_owned()),
        spec: Set(json.clone()),
        version: Set(1),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    calendar_version::ActiveModel {
        calendar_id: Set(created.id),
        version: Set(1),
        spec: Set(json),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(created.id)
}

/// Writes the next version of calendar `id` (the unique version index refuses a concurrent
/// writer of the same version); returns the new version number.
pub async fn insert_calendar_version(
    db: &impl ConnectionTrait,
    id: i64,
    name: &str,
    spec: &CalendarSpec,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    let current = calendar::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("calendar {id}")))?;
    let next = calendar_version::Entity::find()
        .filter(calendar_version::Column::CalendarId.eq(id))
        .order_by_desc(calendar_version::Column::Version)
        .one(db)
        .await?
        .map_or(current.version, |row| {
            Ord::max(row.version, current.version)
        })
        + 1;
    let json = to_json(spec)?;
    calendar_version::ActiveModel {
        calendar_id: Set(id),
        version: Set(next),
        spec: Set(json.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut model: calendar::ActiveModel = current.into();
    model.name = Set(name.to_owned());
    model.spec = Set(json);
    model.version = Set(next);
    model.updated_at = Set(now);
    model.update(db).await?;
    Ok(next)
}

fn plan_to_wire(
    model: plan::Model,
    current: &plan_version::Model,
    versions: Vec<VersionInfo>,
) -> Result<AdminPlan, DbErr> {
    Ok(AdminPlan {
        spec: parse_plan(current.id, &current.spec)?,
        id: model.id,
        key: model.key,
        name: model.name,
        version: current.version,
        version_id: current.id,
        calendar_id: model.calendar_id,
        updated_at: model.updated_at,
        versions,
    })
}

/// Every plan with its current version, by key.
pub async fn list_plans(db: &impl ConnectionTrait) -> Result<Vec<AdminPlan>, DbErr> {
    let plans = plan::Entity::find()
        .order_by_asc(plan::Column::Key)
        .limit(1000)
        .all(db)
        .await?;
    let version_ids: Vec<i64> = plans.iter().filter_map(|p| p.current_version_id).collect();
    let versions: std::collections::HashMap<i64, plan_version::Model> =
        plan_version::Entity::find()
            .filter(plan_version::Column::Id.is_in(version_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|row| (row.id, row))
            .collect();
    plans
        .into_iter()
        .filter_map(|model| {
            let current = versions.get(&model.current_version_id?)?;
            Some(plan_to_wire(model, current, Vec::new()))
        })
        .collect()
}

/// One plan with its current version and every version, newest first.
pub async fn find_plan(db: &impl ConnectionTrait, id: i64) -> Result<Option<AdminPlan>, DbErr> {
    let Some(model) = plan::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let rows = plan_version::Entity::find()
        .filter(plan_version::Column::PlanId.eq(id))
        .order_by_desc(plan_version::Column::Version)
        .all(db)
        .await?;
    let Some(current) = rows
        .iter()
        .find(|row| Some(row.id) == model.current_version_id)
        .cloned()
    else {
        return Ok(None);
    };
    let versions = rows
        .into_iter()
        .map(|row| VersionInfo {
            id: row.id,
            version: row.version,
            created_at: row.created_at,
        })
        .collect();
    plan_to_wire(model, &current, versions).map(Some)
}

/// Stores a new plan and its first version; returns its id.
pub async fn insert_plan(
    db: &impl ConnectionTrait,
    key: &str,
    spec: &PlanSpec,
    calendar_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let created = plan::ActiveModel {
        key: Set(key.to_owned()),
        name: Set(spec.name.clone()),
        current_version_id: Set(None),
        calendar_id: Set(calendar_id),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let version = plan_version::ActiveModel {
        plan_id: Set(created.id),
        version: Set(1),
        spec: Set(to_json(spec)?),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut model: plan::ActiveModel = created.into();
    model.current_version_id = Set(Some(version.id));
    let updated = model.update(db).await?;
    Ok(updated.id)
}

/// Writes the next version of plan `id` and makes it current. With `move_open_tickets` the
/// open tickets on older versions of the plan move to it and are marked stale, so the
/// recompute job rebuilds their derived columns; otherwise they keep their version. Returns
/// (the new version's id, tickets moved).
pub async fn insert_plan_version(
    db: &impl ConnectionTrait,
    id: i64,
    spec: &PlanSpec,
    calendar_id: Option<i64>,
    move_open_tickets: bool,
    now: DateTime<Utc>,
) -> Result<(i64, u64), DbErr> {
    let current = plan::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("plan {id}")))?;
    let next = plan_version::Entity::find()
        .filter(plan_version::Column::PlanId.eq(id))
        .order_by_desc(plan_version::Column::Version)
        .one(db)
        .await?
        .map_or(0, |row| row.version)
        + 1;
    let version = plan_version::ActiveModel {
        plan_id: Set(id),
        version: Set(next),
        spec: Set(to_json(spec)?),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut model: plan::ActiveModel = current.into();
    model.name = Set(spec.name.clone());
    model.current_version_id = Set(Some(version.id));
    model.calendar_id = Set(calendar_id);
    model.updated_at = Set(now);
    model.update(db).await?;
    let mut moved = 0;
    if move_open_tickets {
        let older = Query::select()
            .column(plan_version::Column::Id)
            .from(plan_version::Entity)
            .and_where(Expr::col(plan_version::Column::PlanId).eq(id))
            .and_where(Expr::col(plan_version::Column::Id).ne(version.id))
            .to_owned();
        moved = ticket::Entity::update_many()
            .col_expr(ticket::Column::PlanVersionId, Expr::value(version.id))
            .col_expr(ticket::Column::DerivedStale, Expr::value(true))
            .filter(ticket::Column::Open.eq(true))
            .filter(ticket::Column::PlanVersionId.in_subquery(older))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok((version.id, moved))
}

/// The plans that follow calendar `calendar_id`, with their current specs.
pub async fn plans_following(
    db: &impl ConnectionTrait,
    calendar_id: i64,
) -> Result<Vec<(i64, PlanSpec)>, DbErr> {
    let plans = plan::Entity::find()
        .filter(plan::Column::CalendarId.eq(calendar_id))
        .order_by_asc(plan::Column::Id)
        .all(db)
        .await?;
    let mut found = Vec::with_capacity(plans.len());
    for model in plans {
        let Some(version_id) = model.current_version_id else {
            continue;
        };
        let Some(version) = plan_version::Entity::find_by_id(version_id).one(db).await? else {
            continue;
        };
        found.push((model.id, parse_plan(version.id, &version.spec)?));
    }
    Ok(found)
}
