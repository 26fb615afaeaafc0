//! Attachments: the `shared::attachment` policy decides what is accepted; content lives in the
//! data folder by SHA-256 (never in ticket tables); downloads are authorised like the ticket,
//! and the requester's first download of a staff file is recorded (delivery confirmation).

use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use shared::api::Attachment;
use shared::attachment::AttachmentError;

use crate::auth::AuthUser;
use crate::db::entity::{attachment, ticket};
use crate::db::{self, tickets as q};
use crate::error::{Error, Json, Result};
use crate::limits::ClientIp;
use crate::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/tickets/{reference}/attachments", post(create_attachment))
        .route("/attachments/{id}", get(find_attachment))
}

pub(crate) fn to_wire(model: attachment::Model) -> Attachment {
    Attachment {
        id: model.id,
        file_name: model.file_name,
        content_type: model.content_type,
        size: model.size,
        uploader_id: model.uploader_id,
        created_at: model.created_at,
        first_downloaded_at: model.first_downloaded_at,
    }
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

/// Keeps `bytes` in the data folder under their SHA-256 (written once, atomically) and returns
/// the hash. Content is stored before the transaction that records it: an orphaned file after a
/// rollback is harmless, a row without its file would not be.
///
/// # Errors
/// A data folder that cannot be written.
pub(crate) async fn store_content(data_dir: &std::path::Path, bytes: &[u8]) -> Result<String> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let folder = data_dir.join("attachments");
    let path = folder.join(&sha256);
    if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
        tokio::fs::create_dir_all(&folder)
            .await
            .map_err(|error| Error::Internal(error.into()))?;
        let temporary = folder.join(format!("{sha256}.{:016x}.part", rand::random::<u64>()));
        let contents = bytes.to_vec();
        let target = temporary.clone();
        tokio::task::spawn_blocking(move || crate::security::write_private(&target, &contents))
            .await
            .map_err(|error| Error::Internal(error.into()))?
            .map_err(|error| Error::Internal(error.into()))?;
        tokio::fs::rename(&temporary, &path)
            .await
            .map_err(|error| Error::Internal(error.into()))?;
    }
    Ok(sha256)
}

fn visible(user: &AuthUser, found: Option<ticket::Model>) -> Result<ticket::Model> {
    match found {
        Some(found) if user.is_staff() || user.organisation_id == Some(found.organisation_id) => {
            Ok(found)
        }
        _ => Err(Error::NotFound),
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
    let found = visible(&user, q::find_ticket(&state.db, &reference).await?)?;
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
    let sha256 = store_content(&state.config.data_dir, &bytes).await?;
    let now = Utc::now();
    let txn = crate::db::begin(&state.db).await?;
    let created = attachment::ActiveModel {
        ticket_id: Set(found.id),
        message_id: Set(None),
        uploader_id: Set(Some(user.id)),
        file_name: Set(file_name.chars().take(255).collect()),
        content_type: Set(kind.mime().to_owned()),
        size: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
        sha256: Set(sha256),
        created_at: Set(now),
        first_downloaded_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
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
    Ok((StatusCode::CREATED, Json(to_wire(created))).into_response())
}

/// `GET /api/attachments/{id}`.
async fn find_attachment(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Response> {
    let found = attachment::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(Error::NotFound)?;
    let owner = visible(
        &user,
        ticket::Entity::find_by_id(found.ticket_id)
            .one(&state.db)
            .await?,
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
            .is_some_and(|uploader| uploader.role != "customer"),
        None => false,
    };
    if user.id == owner.requester_id && uploaded_by_staff && found.first_downloaded_at.is_none() {
        // Only the first download sets it, even when two race.
        attachment::Entity::update_many()
            .col_expr(
                attachment::Column::FirstDownloadedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(attachment::Column::Id.eq(found.id))
            .filter(attachment::Column::FirstDownloadedAt.is_null())
            .exec(&state.db)
            .await?;
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
