//! The HTTP surface: each module has its own `router()`; this one joins them under `/api`.

mod auth;
mod events;
mod health;
pub(crate) mod notifications;

use axum::Router;
use axum::http::Uri;

use crate::error::Error;
use crate::state::AppState;

pub(crate) fn api_router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(auth::router())
        .merge(events::router())
        .merge(notifications::router())
        .fallback(api_not_found)
}

async fn api_not_found(uri: Uri) -> Error {
    tracing::debug!(%uri, "no such API route");
    Error::NotFound
}
