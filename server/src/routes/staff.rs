//! The staff directory: who a ticket can be assigned to, and the customers staff register
//! tickets for. Staff only; customers never see it.

use axum::extract::{Query, State};
use serde::Deserialize;
use shared::api::{CustomerList, CustomerSummary, StaffList, StaffMember};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db::{self, tickets as q};
use crate::error::{Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_staff))
        .routes(routes!(list_customers))
}

/// `GET /api/staff`: the active members of staff, by name.
#[utoipa::path(
    get,
    path = "/staff",
    tag = "staff",
    summary = "the active members of staff (staff)",
    responses(
        (status = 200, description = "the staff", body = shared::api::StaffList),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_staff(State(state): State<AppState>, caller: AuthUser) -> Result<Json<StaffList>> {
    caller.require_staff()?;
    let rows = crate::db::canned::staff(&state.db).await?;
    Ok(Json(StaffList {
        staff: rows
            .into_iter()
            .map(|row| {
                Ok(StaffMember {
                    role: db::role_of(&row)?,
                    id: row.id,
                    name: row.name,
                })
            })
            .collect::<Result<_>>()?,
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CustomerQuery {
    q: Option<String>,
}

/// `GET /api/customers?q=`: up to 20 active customers whose name or e-mail contains `q`, by
/// name, with their organisations: the picker of a ticket registered for a customer.
#[utoipa::path(
    get,
    path = "/customers",
    tag = "staff",
    summary = "up to 20 active customers matching ?q= (staff)",
    params(
        CustomerQuery
    ),
    responses(
        (status = 200, description = "the customers", body = shared::api::CustomerList),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_customers(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(query): Query<CustomerQuery>,
) -> Result<Json<CustomerList>> {
    caller.require_staff()?;
    let text = query.q.unwrap_or_default();
    if text.chars().count() > 200 {
        return Err(crate::error::Error::field("q", "at most 200 characters"));
    }
    let rows = q::search_customers(&state.db, &text, 20).await?;
    let organisations = q::organisation_names(
        &state.db,
        rows.iter().filter_map(|row| row.organisation_id).collect(),
    )
    .await?;
    Ok(Json(CustomerList {
        customers: rows
            .into_iter()
            .map(|row| CustomerSummary {
                id: row.id,
                organisation_name: row
                    .organisation_id
                    .and_then(|id| organisations.get(&id).cloned()),
                organisation_id: row.organisation_id,
                name: row.name,
                email: row.email,
            })
            .collect(),
    }))
}
