//! `GET /api/tickets/counts`: the staff queue's counters per state over a whole view, apart
//! from the list so that counting never slows a page down.

use axum::extract::{Query, State};
use serde::Deserialize;
use shared::api::TicketCounts;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db::tickets as q;
use crate::error::{Json, Result};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(find_ticket_counts))
}

/// The list's own selection parameters; paging has no meaning for a count.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CountQuery {
    view: Option<String>,
    q: Option<String>,
}

/// `GET /api/tickets/counts`: staff only (the counters belong to the queue); the same `view`
/// and `q` as `GET /api/tickets`, counted by the database at the server's "now".
#[utoipa::path(
    get,
    path = "/tickets/counts",
    tag = "counts",
    summary = "the queue's counters per state over a staff view",
    params(
        CountQuery
    ),
    responses(
        (status = 200, description = "the counters", body = shared::api::TicketCounts),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
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
