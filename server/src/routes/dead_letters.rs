//! `GET /api/admin/dead-letters`: incoming mail that could not be ingested (admins).

use axum::extract::State;
use shared::api::{DeadLetter, DeadLetterList};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db;
use crate::error::{Json, Result};
use crate::state::AppState;

/// The most dead letters listed.
const LIMIT: u64 = 200;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_dead_letters))
}

/// `GET /api/admin/dead-letters`: the newest first, without their raw bytes.
#[utoipa::path(
    get,
    path = "/admin/dead-letters",
    tag = "dead-letters",
    summary = "incoming mail that could not be ingested (admins)",
    responses(
        (status = 200, description = "the dead letters", body = shared::api::DeadLetterList),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_dead_letters(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<DeadLetterList>> {
    user.require_admin()?;
    let rows = db::dead_letters::list(&state.db, LIMIT).await?;
    Ok(Json(DeadLetterList {
        dead_letters: rows
            .into_iter()
            .map(|row| DeadLetter {
                id: row.id,
                received_at: row.received_at,
                reason: row.reason,
                size: row.size,
                message_id: row.message_id,
                attempts: row.attempts,
            })
            .collect(),
    }))
}
