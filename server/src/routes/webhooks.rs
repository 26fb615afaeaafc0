//! Webhook endpoints and their delivery logs (admins).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use shared::api::{Meta, NewWebhook, Webhook, WebhookDeliveryList, WebhookList};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db::{self, webhooks as w};
use crate::error::{Error, FieldErrors, Json, Result};
use crate::state::AppState;

/// The most deliveries one page of a log holds.
const PAGE: u64 = 100;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_webhooks, create_webhook))
        .routes(routes!(find_webhook, update_webhook, delete_webhook))
        .routes(routes!(list_deliveries))
}

/// `GET /api/admin/webhooks` (admins).
#[utoipa::path(
    get,
    path = "/admin/webhooks",
    tag = "webhooks",
    summary = "the webhook endpoints (admins)",
    responses(
        (status = 200, description = "the endpoints", body = shared::api::WebhookList),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_webhooks(State(state): State<AppState>, user: AuthUser) -> Result<Json<WebhookList>> {
    user.require_admin()?;
    Ok(Json(WebhookList {
        webhooks: w::list(&state.db).await?,
        meta: Meta::default(),
    }))
}

/// `GET /api/admin/webhooks/{id}` (admins).
#[utoipa::path(
    get,
    path = "/admin/webhooks/{id}",
    tag = "webhooks",
    summary = "one webhook endpoint (admins)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    responses(
        (status = 200, description = "the endpoint", body = shared::api::Webhook),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn find_webhook(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Webhook>> {
    user.require_admin()?;
    Ok(Json(w::find(&state.db, id).await?.ok_or(Error::NotFound)?))
}

/// The endpoint as stored: the URL trimmed and checked, the events deduplicated. A new
/// endpoint needs a secret; an edit without one keeps the stored secret.
fn checked(input: NewWebhook, creating: bool) -> Result<NewWebhook> {
    let mut errors = FieldErrors::new();
    let url = input.url.trim().to_owned();
    match reqwest::Url::parse(&url) {
        Ok(parsed)
            if matches!(parsed.scheme(), "http" | "https")
                && parsed.host_str().is_some()
                && url.len() <= 2000 => {}
        _ => {
            errors.insert(
                "url".into(),
                "an http:// or https:// address of at most 2000 characters".into(),
            );
        }
    }
    match &input.secret {
        Some(secret) if !(16..=200).contains(&secret.chars().count()) => {
            errors.insert("secret".into(), "between 16 and 200 characters".into());
        }
        None if creating => {
            errors.insert("secret".into(), "a secret of 16 to 200 characters".into());
        }
        _ => {}
    }
    let mut events = input.events;
    events.sort_unstable();
    events.dedup();
    if events.is_empty() {
        errors.insert("events".into(), "choose at least one event".into());
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    Ok(NewWebhook {
        url,
        secret: input.secret,
        events,
        internal: input.internal,
        enabled: input.enabled,
    })
}

/// `POST /api/admin/webhooks` (admins).
#[utoipa::path(
    post,
    path = "/admin/webhooks",
    tag = "webhooks",
    summary = "registers a webhook endpoint (admins)",
    request_body = shared::api::NewWebhook,
    responses(
        (status = 201, description = "registered", body = shared::api::Webhook),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn create_webhook(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<NewWebhook>,
) -> Result<(StatusCode, Json<Webhook>)> {
    user.require_admin()?;
    let input = checked(input, true)?;
    let secret = input.secret.clone().unwrap_or_default();
    let now = state.clock.now();
    let txn = db::begin(&state.db).await?;
    let created = w::insert(&txn, &input, &secret, now).await?;
    audit(&txn, &user, "webhook.create", &created, now).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// `PUT /api/admin/webhooks/{id}` (admins).
#[utoipa::path(
    put,
    path = "/admin/webhooks/{id}",
    tag = "webhooks",
    summary = "changes a webhook endpoint (admins)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    request_body = shared::api::NewWebhook,
    responses(
        (status = 200, description = "changed", body = shared::api::Webhook),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn update_webhook(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
    Json(input): Json<NewWebhook>,
) -> Result<Json<Webhook>> {
    user.require_admin()?;
    let input = checked(input, false)?;
    let now = state.clock.now();
    let txn = db::begin(&state.db).await?;
    let updated = w::update(&txn, id, &input, now)
        .await?
        .ok_or(Error::NotFound)?;
    audit(&txn, &user, "webhook.update", &updated, now).await?;
    txn.commit().await?;
    Ok(Json(updated))
}

/// `DELETE /api/admin/webhooks/{id}` (admins): the endpoint and its log.
#[utoipa::path(
    delete,
    path = "/admin/webhooks/{id}",
    tag = "webhooks",
    summary = "removes a webhook endpoint and its log (admins)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    responses(
        (status = 204, description = "removed"),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn delete_webhook(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    user.require_admin()?;
    let now = state.clock.now();
    let txn = db::begin(&state.db).await?;
    let found = w::find(&txn, id).await?.ok_or(Error::NotFound)?;
    w::delete(&txn, id).await?;
    audit(&txn, &user, "webhook.delete", &found, now).await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DeliveryQuery {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// `GET /api/admin/webhooks/{id}/deliveries` (admins): the log, newest first, a page at a time.
#[utoipa::path(
    get,
    path = "/admin/webhooks/{id}/deliveries",
    tag = "webhooks",
    summary = "the delivery log of an endpoint, newest first (admins)",
    params(
        ("id" = i64, Path, description = "the id"),
        DeliveryQuery
    ),
    responses(
        (status = 200, description = "a page of the log", body = shared::api::WebhookDeliveryList),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_deliveries(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
    Query(query): Query<DeliveryQuery>,
) -> Result<Json<WebhookDeliveryList>> {
    user.require_admin()?;
    w::find(&state.db, id).await?.ok_or(Error::NotFound)?;
    let before = match query.cursor.as_deref() {
        Some(cursor) => Some(
            cursor
                .parse::<i64>()
                .map_err(|_| Error::field("cursor", "not a cursor from this list"))?,
        ),
        None => None,
    };
    let deliveries = w::deliveries(&state.db, id, before, PAGE).await?;
    let next_cursor = (deliveries.len() as u64 == PAGE)
        .then(|| deliveries.last().map(|delivery| delivery.id.to_string()))
        .flatten();
    Ok(Json(WebhookDeliveryList {
        deliveries,
        meta: Meta { next_cursor },
    }))
}

async fn audit(
    txn: &db::Write,
    user: &AuthUser,
    action: &str,
    webhook: &Webhook,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    db::audit(
        txn,
        now,
        Some(user.id),
        action,
        "webhook",
        webhook.id,
        serde_json::json!({
            "url": webhook.url,
            "events": webhook.events,
            "internal": webhook.internal,
            "enabled": webhook.enabled,
        }),
    )
    .await?;
    Ok(())
}
