use axum::Router;
use axum::extract::State;
use axum::routing::get;
use shared::api::Health;

use crate::db;
use crate::error::{Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/health", get(find_health))
}

/// `GET /api/health`: the server is up and its database answers.
async fn find_health(State(state): State<AppState>) -> Result<Json<Health>> {
    state.db.ping().await?;
    Ok(Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: db::backend_name(&state.db).to_owned(),
    }))
}
