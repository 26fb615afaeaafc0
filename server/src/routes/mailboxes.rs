//! Support mailboxes read over IMAP (admins): settings and the connection test.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use shared::api::{Mailbox, MailboxCheck, MailboxList, Meta, NewMailbox};

use crate::auth::AuthUser;
use crate::db::{self, mailboxes as m};
use crate::error::{Error, FieldErrors, Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/mailboxes", get(list_mailboxes).post(create_mailbox))
        .route(
            "/admin/mailboxes/{id}",
            get(find_mailbox).put(update_mailbox).delete(delete_mailbox),
        )
        .route("/admin/mailboxes/{id}/test", post(test_mailbox))
}

/// `GET /api/admin/mailboxes` (admins).
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
