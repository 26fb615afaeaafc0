//! The staff directory: who a ticket can be assigned to. Staff only; customers never see it.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use shared::api::{StaffList, StaffMember};

use crate::auth::AuthUser;
use crate::error::{Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/staff", get(list_staff))
}

/// `GET /api/staff`: the active members of staff, by name.
async fn list_staff(State(state): State<AppState>, caller: AuthUser) -> Result<Json<StaffList>> {
    caller.require_staff()?;
    let rows = crate::db::canned::staff(&state.db).await?;
    Ok(Json(StaffList {
        staff: rows
            .into_iter()
            .map(|row| StaffMember {
                id: row.id,
                name: row.name,
                role: row.role,
            })
            .collect(),
    }))
}
