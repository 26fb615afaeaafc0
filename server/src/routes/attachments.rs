//! Attachments: the `shared::attachment` policy decides what is accepted; content lives in the
//! data folder by SHA-256 (never in ticket tables); downloads are authorised like the ticket,
//! and the requester's first download of a staff file is recorded (delivery confirmation).

use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use shared::attachment::AttachmentError;
use shared::ticket::Role;

use crate::auth::AuthUser;
use crate::db::{self, tickets as q};
use crate::error::{Error, Json, Result};
use crate::limits::ClientIp;
use crate::state::AppState;
use crate::tickets::visible;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/tickets/{reference}/attachments", post(create_attachment))
        .route("/attachments/{id}", get(find_attachment))
}

fn policy_error(error: AttachmentError) -> Error {
    match error {
        AttachmentError::TooLarge { .. } => Error::PayloadTooLarge,
        AttachmentError::Empty | AttachmentError::NoExtension => {
            Error::field("file", error.to_string())
        }
        other => Error::UnsupportedMediaType(other.to_string()),
    }
}

/// `POST /api/tickets/{reference}/attachments`: multipart with one `file` part.
async fn create_attachment(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(reference): Path<String>,
    mut multipart: Multipart,
) -> Result<Response> {
    crate::routes::tickets::write_limit(&state, &user, ip)?;
    let found = state.tickets().find(&user, &reference).await?;
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|error| Error::BadRequest(format!("malformed multipart body: {error}")))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let file_name = field.file_name().unwrap_or_default().to_owned();
        if crate::text::has_control(&file_name) {
            return Err(Error::field("file", crate::text::CONTROL_MESSAGE));
        }
        let bytes = field.bytes().await.map_err(|error| {
            if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::PayloadTooLarge
            } else {
                Error::BadRequest(format!("malformed multipart body: {error}"))
            }
        })?;
        file = Some((file_name, bytes));
        break;
    }
    let (file_name, bytes) = file.ok_or_else(|| Error::field("file", "attach a file"))?;
    let head = &bytes[..bytes.len().min(64)];
    let kind =
        shared::attachment::check(&file_name, head, bytes.len() as u64).map_err(policy_error)?;
    let used = db::attachments::organisation_usage(&state.db, found.organisation_id).await?;
    let quota = state.config.storage_quota_bytes;
    if used.saturating_add(bytes.len() as u64) > quota {
        return Err(Error::QuotaExceeded(format!(
            "the organisation's attachment storage of {} MiB is used up ({} MiB stored); \
             ask support to remove old files",
            quota / (1024 * 1024),
            used.div_ceil(1024 * 1024)
        )));
    }
    let sha256 = crate::files::store_content(&state.config.data_dir, &bytes).await?;
    let now = state.clock.now();
    let txn = crate::db::begin(&state.db).await?;
    let file_name: String = file_name.chars().take(255).collect();
    let created = q::insert_attachment(
        &txn,
        q::NewAttachment {
            ticket_id: found.id,
            message_id: None,
            uploader_id: Some(user.id),
            file_name: &file_name,
            content_type: kind.mime(),
            size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            sha256: &sha256,
        },
        now,
    )
    .await?;
    q::insert_event(
        &txn,
        found.id,
        "attachment_added",
        Some(user.id),
        now,
        false,
        None,
        serde_json::json!({ "attachment_id": created.id, "file_name": created.file_name }),
    )
    .await?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "attachment.create",
        "ticket",
        &found.reference,
        serde_json::json!({ "attachment_id": created.id }),
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(q::attachment_to_wire(created))).into_response())
}

/// `GET /api/attachments/{id}`.
async fn find_attachment(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Response> {
    let found = q::find_attachment(&state.db, id)
        .await?
        .ok_or(Error::NotFound)?;
    let owner = visible(
        &user,
        q::find_ticket_by_id(&state.db, found.ticket_id).await?,
    )?;
    let bytes = tokio::fs::read(
        state
            .config
            .data_dir
            .join("attachments")
            .join(&found.sha256),
    )
    .await
    .map_err(|error| Error::Internal(error.into()))?;
    let uploaded_by_staff = match found.uploader_id {
        Some(uploader) => db::find_user(&state.db, uploader)
            .await?
            .is_some_and(|uploader| uploader.role != Role::Customer.as_str()),
        None => false,
    };
    if user.id == owner.requester_id && uploaded_by_staff && found.first_downloaded_at.is_none() {
        q::mark_first_download(&state.db, found.id, state.clock.now()).await?;
    }
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&found.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    let safe_name: String = found
        .file_name
        .chars()
        .filter(|c| c.is_ascii_graphic() && *c != '"' && *c != '\\')
        .collect();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{safe_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}
