use axum::Router;
use axum::extract::State;
use axum::routing::get;
use shared::api::Health;

use crate::db;
use crate::error::{Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(find_health))
        .route("/ready", get(find_readiness))
}

/// `GET /api/ready`: whether this instance can take traffic — its database answers and every
/// migration is applied; 503 with the reason otherwise (for load balancers).
async fn find_readiness(State(state): State<AppState>) -> axum::response::Response {
    use axum::response::IntoResponse;
    use migrations::MigratorTrait;
    let problem = match state.db.ping().await {
        Err(error) => Some(format!("the database does not answer: {error}")),
        Ok(()) => match migrations::Migrator::get_pending_migrations(&state.db).await {
            Ok(pending) if pending.is_empty() => None,
            Ok(pending) => Some(format!("{} migrations are not applied", pending.len())),
            Err(error) => Some(format!("cannot read the applied migrations: {error}")),
        },
    };
    match problem {
        None => axum::Json(serde_json::json!({"status": "ready"})).into_response(),
        Some(message) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({"error": "not_ready", "message": message})),
        )
            .into_response(),
    }
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
