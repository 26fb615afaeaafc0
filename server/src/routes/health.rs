use axum::extract::State;
use shared::api::Health;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db;
use crate::error::{Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(find_health))
        .routes(routes!(find_readiness))
}

/// `GET /api/ready`: whether this instance can take traffic — its database answers and every
/// migration is applied; 503 with the reason otherwise (for load balancers).
#[utoipa::path(
    get,
    path = "/ready",
    tag = "health",
    summary = "whether this instance can take traffic",
    responses(
        (status = 200, description = "ready", body = shared::api::Readiness),
        (status = 503, description = "not ready: the database does not answer or migrations are pending", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
    security(()),
)]
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
        None => Json(shared::api::Readiness {
            status: "ready".to_owned(),
        })
        .into_response(),
        Some(message) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Json(shared::api::ErrorBody {
                error: "not_ready".to_owned(),
                message,
                field: None,
                fields: Default::default(),
            }),
        )
            .into_response(),
    }
}

/// `GET /api/health`: the server is up and its database answers.
#[utoipa::path(
    get,
    path = "/health",
    tag = "health",
    summary = "the server and its database answer",
    responses(
        (status = 200, description = "up", body = shared::api::Health),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
    security(()),
)]
async fn find_health(State(state): State<AppState>) -> Result<Json<Health>> {
    state.db.ping().await?;
    Ok(Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: db::backend_name(&state.db).to_owned(),
    }))
}
