//! The staff directory: who a ticket can be assigned to. Staff only; customers never see it.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use shared::api::{StaffList, StaffMember};

use crate::auth::AuthUser;
use crate::db::entity::user;
use crate::error::{Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/staff", get(list_staff))
}

/// `GET /api/staff`: the active members of staff, by name.
async fn list_staff(State(state): State<AppState>, caller: AuthUser) -> Result<Json<StaffList>> {
    use user::Column as C;
    caller.require_staff()?;
    let rows = user::Entity::find()
        .filter(C::Role.ne("customer"))
        .filter(C::Active.eq(true))
        .order_by_asc(C::Name)
        .order_by_asc(C::Id)
        .limit(1000)
        .all(&state.db)
        .await?;
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
