//! `GET /api/admin/dead-letters`: incoming mail that could not be ingested (admins).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use shared::api::{DeadLetter, DeadLetterList};

use crate::auth::AuthUser;
use crate::db;
use crate::error::{Json, Result};
use crate::state::AppState;

/// The most dead letters listed.
const LIMIT: u64 = 200;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/admin/dead-letters", get(list_dead_letters))
}

/// `GET /api/admin/dead-letters`: the newest first, without their raw bytes.
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
