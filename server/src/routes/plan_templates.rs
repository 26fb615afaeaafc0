//! Plan templates: the seed regulations as ready plans [000–004]. Managers list them; an admin
//! turns one into a plan (or finds the plan made from it before) to put on a contract.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use shared::api::AdminPlan;
use shared::sla::{PlanTemplate, plan_template, plan_templates};

use crate::auth::AuthUser;
use crate::db::{self, admin as a, plans as p};
use crate::error::{Error, Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/plan-templates", get(list_plan_templates))
        .route(
            "/admin/plan-templates/{key}",
            post(create_plan_from_template),
        )
}

/// `GET /api/admin/plan-templates`: every template, in seed order (supervisors, admins).
async fn list_plan_templates(user: AuthUser) -> Result<Json<Vec<PlanTemplate>>> {
    user.require_manager()?;
    Ok(Json(plan_templates()))
}

/// `POST /api/admin/plan-templates/{key}`: the plan made from template `key` under the same key
/// (201), or the plan that already has that key (200). The plan follows the library calendar
/// whose spec is the template's, if there is one.
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
