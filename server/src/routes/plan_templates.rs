//! Plan templates: the seed regulations as ready plans [000–004]. Managers list them; an admin
//! turns one into a plan (or finds the plan made from it before) to put on a contract.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use shared::api::AdminPlan;
use shared::sla::{PlanTemplate, plan_template, plan_templates};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db::{self, admin as a, plans as p};
use crate::error::{Error, Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plan_templates))
        .routes(routes!(create_plan_from_template))
}

/// `GET /api/admin/plan-templates`: every template, in seed order (supervisors, admins).
#[utoipa::path(
    get,
    path = "/admin/plan-templates",
    tag = "plan-templates",
    summary = "the seed regulations as plan templates (supervisors, admins)",
    responses(
        (status = 200, description = "the templates", body = Vec<shared::sla::PlanTemplate>),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_plan_templates(user: AuthUser) -> Result<Json<Vec<PlanTemplate>>> {
    user.require_manager()?;
    Ok(Json(plan_templates()))
}

/// `POST /api/admin/plan-templates/{key}`: the plan made from template `key` under the same key
/// (201), or the plan that already has that key (200). The plan follows the library calendar
/// whose spec is the template's, if there is one.
#[utoipa::path(
    post,
    path = "/admin/plan-templates/{key}",
    tag = "plan-templates",
    summary = "the plan made from a template under its key (admins)",
    params(
        ("key" = String, Path, description = "the template's key")
    ),
    responses(
        (status = 201, description = "created", body = shared::api::AdminPlan),
        (status = 200, description = "the plan that already has the key", body = shared::api::AdminPlan),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn create_plan_from_template(
    State(state): State<AppState>,
    user: AuthUser,
    Path(key): Path<String>,
) -> Result<Response> {
    user.require_admin()?;
    let template = plan_template(&key).ok_or(Error::NotFound)?;
    if let Some(existing) = a::plan_by_key(&state.db, &template.key).await? {
        let plan = found(&state, existing.id).await?;
        return Ok((StatusCode::OK, Json(plan)).into_response());
    }
    let calendar_id = p::list_calendars(&state.db)
        .await?
        .into_iter()
        .find(|calendar| calendar.spec == template.spec.calendar)
        .map(|calendar| calendar.id);
    let now = Utc::now();
    let txn = db::begin(&state.db).await?;
    let id = p::insert_plan(&txn, &template.key, &template.spec, calendar_id, now).await?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "plan.create",
        "plan",
        id,
        serde_json::json!({
            "key": template.key,
            "version": 1,
            "calendar_id": calendar_id,
            "template": template.key,
            "seed": template.seed,
        }),
    )
    .await?;
    txn.commit().await?;
    let plan = found(&state, id).await?;
    Ok((StatusCode::CREATED, Json(plan)).into_response())
}

async fn found(state: &AppState, id: i64) -> Result<AdminPlan> {
    p::find_plan(&state.db, id).await?.ok_or(Error::NotFound)
}
