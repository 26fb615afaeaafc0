//! `GET /api/tickets/counts`: the staff queue's counters per state over a whole view, apart
//! from the list so that counting never slows a page down.

use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use serde::Deserialize;
use shared::api::TicketCounts;

use crate::auth::AuthUser;
use crate::db::tickets as q;
use crate::error::{Json, Result};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/tickets/counts", get(find_ticket_counts))
}

/// The list's own selection parameters; paging has no meaning for a count.
#[derive(Debug, Default, Deserialize)]
struct CountQuery {
    view: Option<String>,
    q: Option<String>,
}

/// `GET /api/tickets/counts`: staff only (the counters belong to the queue); the same `view`
/// and `q` as `GET /api/tickets`, counted by the database at the server's "now".
async fn find_ticket_counts(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<CountQuery>,
) -> Result<Json<TicketCounts>> {
    user.require_staff()?;
    let filter = super::ticket_filter(&user, query.view.as_deref(), query.q)?;
    let counts = q::count_tickets(&state.db, &filter, chrono::Utc::now()).await?;
    Ok(Json(counts))
}
