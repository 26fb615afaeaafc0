//! Calendars and SLA plans, versioned: admins create and edit (every edit is a new immutable
//! version), supervisors read. `shared`'s `Calendar::new` and `Plan::new` decide validity; a
//! failure is a 422 naming the field under `spec`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use shared::api::{
    AdminCalendar, AdminPlan, CalendarChange, NewCalendar, NewPlan, PlanChange, UpdateCalendar,
    UpdatePlan,
};
use shared::calendar::{Calendar, CalendarSpec};
use shared::sla::{Plan, PlanSpec};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db::{self, plans as p};
use crate::error::{Error, Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_calendars, create_calendar))
        .routes(routes!(find_calendar, update_calendar))
        .routes(routes!(list_plans, create_plan))
        .routes(routes!(find_plan, update_plan))
}

fn check_key(key: &str) -> Result<String> {
    let key = key.trim();
    let valid = !key.is_empty()
        && key.len() <= 40
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if valid {
        Ok(key.to_owned())
    } else {
        Err(Error::field(
            "key",
            "1 to 40 lowercase letters, digits, `_` or `-`",
        ))
    }
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > crate::validate::MAX_NAME {
        return Err(Error::field("name", "between 1 and 200 characters"));
    }
    Ok(name.to_owned())
}

fn check_calendar(spec: &CalendarSpec) -> Result<()> {
    Calendar::new(spec)
        .map(|_| ())
        .map_err(|error| Error::field(&format!("spec.{}", error.field), error.message))
}

fn check_plan(spec: &PlanSpec) -> Result<()> {
    Plan::new(spec)
        .map(|_| ())
        .map_err(|error| Error::field(&format!("spec.{}", error.field), error.message))
}

/// A unique-key violation as a 422 on `field` (a duplicate key) or a 409 (a concurrent edit
/// that wrote the same version first).
fn unique_error(error: db::DbErr, field: Option<&str>) -> Error {
    match (db::is_unique_violation(&error), field) {
        (true, Some(field)) => Error::field(field, "this key is taken"),
        (true, None) => {
            Error::conflict("somebody saved another version at the same time; reload it")
        }
        (false, _) => Error::Db(error),
    }
}

/// The spec a plan stores: with `calendar_id`, the plan's calendar is that calendar's spec.
async fn resolve_calendar(
    db: &impl db::ConnectionTrait,
    mut spec: PlanSpec,
    calendar_id: Option<i64>,
) -> Result<PlanSpec> {
    if let Some(calendar_id) = calendar_id {
        spec.calendar = p::calendar_spec(db, calendar_id)
            .await?
            .ok_or_else(|| Error::field("calendar_id", "no such calendar"))?;
    }
    check_plan(&spec)?;
    Ok(spec)
}

#[utoipa::path(
    get,
    path = "/admin/calendars",
    tag = "plans",
    summary = "the calendar library (supervisors, admins)",
    responses(
        (status = 200, description = "the calendars", body = Vec<shared::api::AdminCalendar>),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_calendars(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<Vec<AdminCalendar>>> {
    user.require_manager()?;
    Ok(Json(p::list_calendars(&state.db).await?))
}

#[utoipa::path(
    get,
    path = "/admin/calendars/{id}",
    tag = "plans",
    summary = "a calendar with its versions",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    responses(
        (status = 200, description = "the calendar", body = shared::api::AdminCalendar),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn find_calendar(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<AdminCalendar>> {
    user.require_manager()?;
    p::find_calendar(&state.db, id)
        .await?
        .map(Json)
        .ok_or(Error::NotFound)
}

#[utoipa::path(
    post,
    path = "/admin/calendars",
    tag = "plans",
    summary = "a new calendar (admins)",
    request_body = shared::api::NewCalendar,
    responses(
        (status = 201, description = "created", body = shared::api::AdminCalendar),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn create_calendar(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<NewCalendar>,
) -> Result<Response> {
    user.require_admin()?;
    let key = check_key(&input.key)?;
    let name = check_name(&input.name)?;
    check_calendar(&input.spec)?;
    let now = Utc::now();
    let txn = crate::db::begin(&state.db).await?;
    let id = p::insert_calendar(&txn, &key, &name, &input.spec, now)
        .await
        .map_err(|error| unique_error(error, Some("key")))?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "calendar.create",
        "calendar",
        id,
        serde_json::json!({ "key": key, "version": 1 }),
    )
    .await?;
    txn.commit().await?;
    let created = p::find_calendar(&state.db, id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// `PUT /api/admin/calendars/{id}`: a new calendar version, and a new version of every plan
/// that follows it, in one transaction.
#[utoipa::path(
    put,
    path = "/admin/calendars/{id}",
    tag = "plans",
    summary = "a new calendar version (admins)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    request_body = shared::api::UpdateCalendar,
    responses(
        (status = 200, description = "the new version", body = shared::api::CalendarChange),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn update_calendar(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
    Json(input): Json<UpdateCalendar>,
) -> Result<Json<CalendarChange>> {
    user.require_admin()?;
    check_calendar(&input.spec)?;
    let existing = p::find_calendar(&state.db, id)
        .await?
        .ok_or(Error::NotFound)?;
    let name = match &input.name {
        Some(name) => check_name(name)?,
        None => existing.name,
    };
    let now = Utc::now();
    let txn = crate::db::begin(&state.db).await?;
    let version = p::insert_calendar_version(&txn, id, &name, &input.spec, now)
        .await
        .map_err(|error| unique_error(error, None))?;
    let mut plan_ids = Vec::new();
    let mut moved_tickets = 0;
    for (plan_id, mut spec) in p::plans_following(&txn, id).await? {
        spec.calendar = input.spec.clone();
        Plan::new(&spec).map_err(|error| {
            Error::field(
                &format!("spec.{}", error.field),
                format!("plan {plan_id}: {}", error.message),
            )
        })?;
        let (version_id, moved) =
            p::insert_plan_version(&txn, plan_id, &spec, Some(id), input.move_open_tickets, now)
                .await
                .map_err(|error| unique_error(error, None))?;
        moved_tickets += moved;
        plan_ids.push((plan_id, version_id));
    }
    db::audit(
        &txn,
        now,
        Some(user.id),
        "calendar.update",
        "calendar",
        id,
        serde_json::json!({
            "version": version,
            "plan_versions": plan_ids.iter().map(|(_, v)| v).collect::<Vec<_>>(),
            "moved_tickets": moved_tickets,
        }),
    )
    .await?;
    txn.commit().await?;
    let calendar = p::find_calendar(&state.db, id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut plans = Vec::with_capacity(plan_ids.len());
    for (plan_id, _) in plan_ids {
        plans.extend(p::find_plan(&state.db, plan_id).await?);
    }
    Ok(Json(CalendarChange {
        calendar,
        plans,
        moved_tickets,
    }))
}

#[utoipa::path(
    get,
    path = "/admin/plans",
    tag = "plans",
    summary = "SLA plans at their current versions (supervisors, admins)",
    responses(
        (status = 200, description = "the plans", body = Vec<shared::api::AdminPlan>),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_plans(State(state): State<AppState>, user: AuthUser) -> Result<Json<Vec<AdminPlan>>> {
    user.require_manager()?;
    Ok(Json(p::list_plans(&state.db).await?))
}

#[utoipa::path(
    get,
    path = "/admin/plans/{id}",
    tag = "plans",
    summary = "a plan with its versions",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    responses(
        (status = 200, description = "the plan", body = shared::api::AdminPlan),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn find_plan(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<AdminPlan>> {
    user.require_manager()?;
    p::find_plan(&state.db, id)
        .await?
        .map(Json)
        .ok_or(Error::NotFound)
}

#[utoipa::path(
    post,
    path = "/admin/plans",
    tag = "plans",
    summary = "a new plan (admins)",
    request_body = shared::api::NewPlan,
    responses(
        (status = 201, description = "created", body = shared::api::AdminPlan),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn create_plan(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<NewPlan>,
) -> Result<Response> {
    user.require_admin()?;
    let key = check_key(&input.key)?;
    let spec = resolve_calendar(&state.db, input.spec, input.calendar_id).await?;
    let now = Utc::now();
    let txn = crate::db::begin(&state.db).await?;
    let id = p::insert_plan(&txn, &key, &spec, input.calendar_id, now)
        .await
        .map_err(|error| unique_error(error, Some("key")))?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "plan.create",
        "plan",
        id,
        serde_json::json!({ "key": key, "version": 1, "calendar_id": input.calendar_id }),
    )
    .await?;
    txn.commit().await?;
    let created = p::find_plan(&state.db, id).await?.ok_or(Error::NotFound)?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// `PUT /api/admin/plans/{id}`: a new plan version; open tickets move to it only on request.
#[utoipa::path(
    put,
    path = "/admin/plans/{id}",
    tag = "plans",
    summary = "a new plan version (admins)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    request_body = shared::api::UpdatePlan,
    responses(
        (status = 200, description = "the new version", body = shared::api::PlanChange),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn update_plan(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
    Json(input): Json<UpdatePlan>,
) -> Result<Json<PlanChange>> {
    user.require_admin()?;
    if p::find_plan(&state.db, id).await?.is_none() {
        return Err(Error::NotFound);
    }
    let spec = resolve_calendar(&state.db, input.spec, input.calendar_id).await?;
    let now = Utc::now();
    let txn = crate::db::begin(&state.db).await?;
    let (version_id, moved_tickets) = p::insert_plan_version(
        &txn,
        id,
        &spec,
        input.calendar_id,
        input.move_open_tickets,
        now,
    )
    .await
    .map_err(|error| unique_error(error, None))?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "plan.update",
        "plan",
        id,
        serde_json::json!({
            "version_id": version_id,
            "calendar_id": input.calendar_id,
            "move_open_tickets": input.move_open_tickets,
            "moved_tickets": moved_tickets,
        }),
    )
    .await?;
    txn.commit().await?;
    let plan = p::find_plan(&state.db, id).await?.ok_or(Error::NotFound)?;
    Ok(Json(PlanChange {
        plan,
        moved_tickets,
    }))
}
