//! The HTTP surface: each module has its own `router()`; this one joins them under `/api`.

mod admin;
mod announcements;
pub(crate) mod attachments;
mod auth;
mod balances;
mod canned;
mod dead_letters;
mod events;
mod health;
mod inbound;
mod known_errors;
mod login_throttles;
pub(crate) mod notifications;
mod openapi;
mod password;
mod password_reminders;
mod plan_templates;
mod plans;
mod products;
mod rating_links;
mod reports;
mod second_factor;
mod sessions;
mod sla;
mod staff;
pub(crate) mod tickets;

use axum::Router;
use axum::http::Uri;

use crate::error::Error;
use crate::state::AppState;

pub(crate) fn api_router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(auth::router())
        .merge(sessions::router())
        .merge(password::router())
        .merge(second_factor::router())
        .merge(events::router())
        .merge(notifications::router())
        .merge(tickets::router())
        .merge(known_errors::router())
        .merge(announcements::router())
        .merge(canned::router())
        .merge(staff::router())
        .merge(sla::router())
        .merge(admin::router())
        .merge(login_throttles::router())
        .merge(plans::router())
        .merge(plan_templates::router())
        .merge(password_reminders::router())
        .merge(balances::router())
        .merge(products::router())
        .merge(reports::router())
        .merge(attachments::router())
        .merge(inbound::router())
        .merge(dead_letters::router())
        .merge(rating_links::router())
        .merge(openapi::router())
        .fallback(api_not_found)
}

async fn api_not_found(uri: Uri) -> Error {
    tracing::debug!(%uri, "no such API route");
    Error::NotFound
}
