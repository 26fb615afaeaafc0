//! `POST /api/sla/preview`: deadlines from `shared::sla`, for admins editing plans and for
//! staff checking a classification.

use axum::extract::State;
use shared::api::{PlanInForce, SlaPreview, SlaPreviewRequest};
use shared::sla::{ClockEvent, ClockEventKind, Plan, PlanSpec};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db::tickets as q;
use crate::error::{Error, Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_sla_preview))
        .routes(routes!(find_plan_in_force))
}

/// `GET /api/sla/plan`: the plan a ticket the caller registers now would get, decided by the
/// same function as registration.
#[utoipa::path(
    get,
    path = "/sla/plan",
    tag = "sla",
    summary = "the plan a ticket the caller registers now would get",
    responses(
        (status = 200, description = "the plan", body = shared::api::PlanInForce),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn find_plan_in_force(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<PlanInForce>> {
    let Some(organisation_id) = user.organisation_id.filter(|_| user.is_customer()) else {
        return Err(Error::Forbidden(
            "only customers of an organisation register tickets".into(),
        ));
    };
    let service = crate::tickets::service_at(&state.db, organisation_id, state.clock.now()).await?;
    let version = &service.plan;
    Ok(Json(PlanInForce {
        key: version.key.clone(),
        name: version.name.clone(),
        spec: version.plan.spec().clone(),
        special_requests: service.special_requests,
    }))
}

#[utoipa::path(
    post,
    path = "/sla/preview",
    tag = "sla",
    summary = "deadlines of a classification under a plan",
    request_body = shared::api::SlaPreviewRequest,
    responses(
        (status = 200, description = "the deadlines", body = shared::api::SlaPreview),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn create_sla_preview(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<SlaPreviewRequest>,
) -> Result<Json<SlaPreview>> {
    user.require_staff()?;
    let plan = match (&input.plan, input.plan_spec) {
        (_, Some(spec)) => {
            let spec: PlanSpec = serde_json::from_value(spec)
                .map_err(|error| Error::field("plan_spec", error.to_string()))?;
            Plan::new(&spec).map_err(|error| {
                Error::field(&format!("plan_spec.{}", error.field), error.message)
            })?
        }
        (Some(key), None) => {
            let version = q::current_plan_version_by_key(&state.db, key)
                .await?
                .ok_or_else(|| Error::field("plan", "no plan with this key"))?;
            q::plan_version(&state.db, version).await?.plan.clone()
        }
        (None, None) => return Err(Error::field("plan", "give a plan key or a plan_spec")),
    };
    let events = [ClockEvent::new(
        input.registered_at,
        ClockEventKind::Registered,
    )];
    let clocks = shared::sla::clocks(&plan, &input.classification, &events, input.registered_at);
    Ok(Json(SlaPreview {
        plan: plan.spec().name.clone(),
        targets: plan.targets_for(&input.classification),
        first_response_deadline: clocks.first_response.deadline,
        resolution_deadline: clocks.resolution.deadline,
        clocks,
    }))
}
