//! Support mailboxes read over IMAP (admins): settings and the connection test.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use shared::api::{Mailbox, MailboxCheck, MailboxList, Meta, NewMailbox};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db::{self, mailboxes as m};
use crate::error::{Error, FieldErrors, Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_mailboxes, create_mailbox))
        .routes(routes!(find_mailbox, update_mailbox, delete_mailbox))
        .routes(routes!(test_mailbox))
}

/// `GET /api/admin/mailboxes` (admins).
#[utoipa::path(
    get,
    path = "/admin/mailboxes",
    tag = "mailboxes",
    summary = "the support mailboxes read over IMAP (admins)",
    responses(
        (status = 200, description = "the mailboxes", body = shared::api::MailboxList),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_mailboxes(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<MailboxList>> {
    user.require_admin()?;
    Ok(Json(MailboxList {
        mailboxes: m::list(&state.db).await?,
        meta: Meta::default(),
    }))
}

/// `GET /api/admin/mailboxes/{id}` (admins).
#[utoipa::path(
    get,
    path = "/admin/mailboxes/{id}",
    tag = "mailboxes",
    summary = "one support mailbox (admins)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    responses(
        (status = 200, description = "the mailbox", body = shared::api::Mailbox),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn find_mailbox(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Mailbox>> {
    user.require_admin()?;
    Ok(Json(m::find(&state.db, id).await?.ok_or(Error::NotFound)?))
}

/// A text field trimmed, between 1 and `max` characters and without control characters.
fn text_field(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let value = value.trim().to_owned();
    if value.is_empty() || value.chars().count() > max || value.chars().any(char::is_control) {
        errors.insert(field.into(), format!("between 1 and {max} characters"));
    }
    value
}

/// The mailbox as stored, every field checked; a new mailbox needs a password.
async fn checked(state: &AppState, input: NewMailbox, creating: bool) -> Result<NewMailbox> {
    let mut errors = FieldErrors::new();
    let name = text_field(&mut errors, "name", &input.name, 200);
    let host = text_field(&mut errors, "host", &input.host, 255);
    if host.contains(|c: char| c.is_whitespace() || c == '/' || c == '@') {
        errors.insert(
            "host".into(),
            "a host name or address, without a scheme".into(),
        );
    }
    if input.port == 0 {
        errors.insert("port".into(), "a port from 1 to 65535".into());
    }
    let username = text_field(&mut errors, "username", &input.username, 255);
    let folder = text_field(&mut errors, "folder", &input.folder, 255);
    let processed_folder = text_field(
        &mut errors,
        "processed_folder",
        &input.processed_folder,
        255,
    );
    let failed_folder = text_field(&mut errors, "failed_folder", &input.failed_folder, 255);
    if processed_folder == folder || failed_folder == folder {
        errors.insert(
            "processed_folder".into(),
            "the processed and failed folders must differ from the folder read".into(),
        );
    }
    match &input.secret {
        Some(secret) if secret.is_empty() || secret.chars().count() > 500 => {
            errors.insert("secret".into(), "between 1 and 500 characters".into());
        }
        None if creating => {
            errors.insert("secret".into(), "the mailbox's password".into());
        }
        _ => {}
    }
    if let Some(product_id) = input.product_id
        && db::products::find(&state.db, product_id).await?.is_none()
    {
        errors.insert("product_id".into(), "no such product".into());
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    Ok(NewMailbox {
        name,
        host,
        port: input.port,
        tls: input.tls,
        username,
        secret: input.secret,
        folder,
        processed_folder,
        failed_folder,
        product_id: input.product_id,
        enabled: input.enabled,
    })
}

/// `POST /api/admin/mailboxes` (admins): the reader picks it up within seconds.
#[utoipa::path(
    post,
    path = "/admin/mailboxes",
    tag = "mailboxes",
    summary = "adds a support mailbox (admins)",
    request_body = shared::api::NewMailbox,
    responses(
        (status = 201, description = "added", body = shared::api::Mailbox),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn create_mailbox(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<NewMailbox>,
) -> Result<(StatusCode, Json<Mailbox>)> {
    user.require_admin()?;
    let input = checked(&state, input, true).await?;
    let secret = input.secret.clone().unwrap_or_default();
    let now = state.clock.now();
    let txn = db::begin(&state.db).await?;
    let created = m::insert(&txn, &input, &secret, now).await?;
    audit(&txn, &user, "mailbox.create", &created, now).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// `PUT /api/admin/mailboxes/{id}` (admins): the reader reconnects with the new settings.
#[utoipa::path(
    put,
    path = "/admin/mailboxes/{id}",
    tag = "mailboxes",
    summary = "changes a support mailbox (admins)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    request_body = shared::api::NewMailbox,
    responses(
        (status = 200, description = "changed", body = shared::api::Mailbox),
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
async fn update_mailbox(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
    Json(input): Json<NewMailbox>,
) -> Result<Json<Mailbox>> {
    user.require_admin()?;
    let input = checked(&state, input, false).await?;
    let now = state.clock.now();
    let txn = db::begin(&state.db).await?;
    let updated = m::update(&txn, id, &input, now)
        .await?
        .ok_or(Error::NotFound)?;
    audit(&txn, &user, "mailbox.update", &updated, now).await?;
    txn.commit().await?;
    Ok(Json(updated))
}

/// `DELETE /api/admin/mailboxes/{id}` (admins): the reader lets go of it.
#[utoipa::path(
    delete,
    path = "/admin/mailboxes/{id}",
    tag = "mailboxes",
    summary = "removes a support mailbox (admins)",
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
async fn delete_mailbox(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    user.require_admin()?;
    let now = state.clock.now();
    let txn = db::begin(&state.db).await?;
    let found = m::find(&txn, id).await?.ok_or(Error::NotFound)?;
    m::delete(&txn, id).await?;
    audit(&txn, &user, "mailbox.delete", &found, now).await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/admin/mailboxes/{id}/test` (admins): signs in and opens the folder as the reader
/// would; a failure answers 200 with the step that failed and why.
#[utoipa::path(
    post,
    path = "/admin/mailboxes/{id}/test",
    tag = "mailboxes",
    summary = "signs in and opens the folder as the reader would; a failure names its step (admins)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    responses(
        (status = 200, description = "the result of the test", body = shared::api::MailboxCheck),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn test_mailbox(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<MailboxCheck>> {
    user.require_admin()?;
    let settings = m::settings(&state.db)
        .await?
        .into_iter()
        .find(|settings| settings.mailbox.id == id)
        .ok_or(Error::NotFound)?;
    Ok(Json(
        crate::mailboxes::check(&settings.mailbox, &settings.secret).await,
    ))
}

async fn audit(
    txn: &db::Write,
    user: &AuthUser,
    action: &str,
    mailbox: &Mailbox,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    db::audit(
        txn,
        now,
        Some(user.id),
        action,
        "mailbox",
        mailbox.id,
        serde_json::json!({
            "name": mailbox.name,
            "host": mailbox.host,
            "port": mailbox.port,
            "tls": mailbox.tls,
            "username": mailbox.username,
            "folder": mailbox.folder,
            "enabled": mailbox.enabled,
        }),
    )
    .await?;
    Ok(())
}
