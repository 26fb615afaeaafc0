//! The staff directory: who a ticket can be assigned to, and the customers staff register
//! tickets for. Staff only; customers never see it.

use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use serde::Deserialize;
use shared::api::{CustomerList, CustomerSummary, StaffList, StaffMember};

use crate::auth::AuthUser;
use crate::db::{self, tickets as q};
use crate::error::{Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/staff", get(list_staff))
        .route("/customers", get(list_customers))
}

/// `GET /api/staff`: the active members of staff, by name.
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

#[derive(Debug, Default, Deserialize)]
struct CustomerQuery {
    q: Option<String>,
}

/// `GET /api/customers?q=`: up to 20 active customers whose name or e-mail contains `q`, by
/// name, with their organisations: the picker of a ticket registered for a customer.
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
