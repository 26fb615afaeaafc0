//! Announcements: supervisors publish schedule changes, holiday hours and outages with a
//! validity period; everyone signed in reads the current ones; the public ones also show on the
//! sign-in page without a session. Publishing mails the announcement once to every active user
//! who takes announcements by mail; editing it does not mail it again.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use shared::api::{
    Announcement, AnnouncementList, Meta, NewAnnouncement, PublicAnnouncement,
    PublicAnnouncementList, UpdateAnnouncement,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db::{self, DatabaseConnection, announcements as a, entity::announcement};
use crate::error::{Error, FieldErrors, Json, Result};
use crate::outbox;
use crate::state::AppState;
use crate::validate::{MAX_LONG_TEXT, MAX_TITLE};

const KINDS: [&str; 4] = ["schedule", "holiday", "outage", "info"];

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_announcements, create_announcement))
        .routes(routes!(list_public_announcements))
        .routes(routes!(update_announcement, delete_announcement))
}

fn to_wire(model: announcement::Model) -> Announcement {
    Announcement {
        id: model.id,
        kind: model.kind,
        title: model.title,
        body: model.body,
        starts_at: model.starts_at,
        ends_at: model.ends_at,
        public: model.public,
        created_at: model.created_at,
    }
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// Managers: every announcement, past and future too.
    #[serde(default)]
    all: bool,
}

async fn current(
    db: &DatabaseConnection,
    public_only: bool,
    all: bool,
) -> Result<Vec<Announcement>> {
    Ok(a::list(db, Utc::now(), public_only, all)
        .await?
        .into_iter()
        .map(to_wire)
        .collect())
}

/// `GET /api/announcements`.
#[utoipa::path(
    get,
    path = "/announcements",
    tag = "announcements",
    summary = "current announcements (?all=true for managers)",
    params(
        ListQuery
    ),
    responses(
        (status = 200, description = "the announcements", body = shared::api::AnnouncementList),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_announcements(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<AnnouncementList>> {
    let all = query.all && user.is_manager();
    Ok(Json(AnnouncementList {
        announcements: current(&state.db, false, all).await?,
        meta: Meta::default(),
    }))
}

/// `GET /api/announcements/public`: for the sign-in page, no session needed; only the words
/// and the period of the current ones marked for it.
#[utoipa::path(
    get,
    path = "/announcements/public",
    tag = "announcements",
    summary = "current announcements for the sign-in page",
    responses(
        (status = 200, description = "the announcements", body = shared::api::PublicAnnouncementList),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
    security(()),
)]
async fn list_public_announcements(
    State(state): State<AppState>,
) -> Result<Json<PublicAnnouncementList>> {
    let announcements = current(&state.db, true, false)
        .await?
        .into_iter()
        .map(|announcement| PublicAnnouncement {
            title: announcement.title,
            body: announcement.body,
            starts_at: announcement.starts_at,
            ends_at: announcement.ends_at,
        })
        .collect();
    Ok(Json(PublicAnnouncementList {
        announcements,
        meta: Meta::default(),
    }))
}

fn check(
    kind: Option<&str>,
    title: Option<&str>,
    body: Option<&str>,
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
) -> Result<()> {
    let mut errors = FieldErrors::new();
    if let Some(kind) = kind
        && !KINDS.contains(&kind)
    {
        errors.insert(
            "kind".into(),
            "one of schedule, holiday, outage, info".into(),
        );
    }
    if let Some(title) = title
        && (title.trim().is_empty() || title.chars().count() > MAX_TITLE)
    {
        errors.insert(
            "title".into(),
            format!("between 1 and {MAX_TITLE} characters"),
        );
    }
    if let Some(body) = body
        && body.len() > MAX_LONG_TEXT
    {
        errors.insert("body".into(), "the text is too long".into());
    }
    if let (Some(starts_at), Some(ends_at)) = (starts_at, ends_at)
        && ends_at <= starts_at
    {
        errors.insert("ends_at".into(), "must be after the start".into());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

#[utoipa::path(
    post,
    path = "/announcements",
    tag = "announcements",
    summary = "publish an announcement (supervisors, admins)",
    request_body = shared::api::NewAnnouncement,
    responses(
        (status = 201, description = "published", body = shared::api::Announcement),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn create_announcement(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<NewAnnouncement>,
) -> Result<Response> {
    user.require_manager()?;
    let now = Utc::now();
    let starts_at = input.starts_at.unwrap_or(now);
    check(
        Some(&input.kind),
        Some(&input.title),
        Some(&input.body),
        Some(starts_at),
        input.ends_at,
    )?;
    let txn = crate::db::begin(&state.db).await?;
    let created = a::insert(&txn, input, starts_at, user.id, now).await?;
    // Publication is the one moment the announcement is mailed, in the transaction that stores
    // it, scheduled ones included (readers learn of a holiday ahead): edits change what readers
    // see on the site but send nothing again. One that is over already (back-filled history) is
    // not mailed at all.
    let mailed = if created.ends_at.is_none_or(|ends_at| ends_at > now) {
        outbox::mail_announcement(&txn, &state.composer, &created, now).await?
    } else {
        0
    };
    db::audit(
        &txn,
        now,
        Some(user.id),
        "announcement.create",
        "announcement",
        created.id,
        serde_json::json!({ "title": created.title, "mailed": mailed }),
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(to_wire(created))).into_response())
}

#[utoipa::path(
    patch,
    path = "/announcements/{id}",
    tag = "announcements",
    summary = "edit an announcement (supervisors, admins)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    request_body = shared::api::UpdateAnnouncement,
    responses(
        (status = 200, description = "changed", body = shared::api::Announcement),
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
async fn update_announcement(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
    Json(input): Json<UpdateAnnouncement>,
) -> Result<Json<Announcement>> {
    user.require_manager()?;
    let now = Utc::now();
    let txn = crate::db::begin(&state.db).await?;
    let current = a::find(&txn, id).await?.ok_or(Error::NotFound)?;
    check(
        input.kind.as_deref(),
        input.title.as_deref(),
        input.body.as_deref(),
        Some(input.starts_at.unwrap_or(current.starts_at)),
        input.ends_at.or(current.ends_at),
    )?;
    let updated = a::update(&txn, current, &input).await?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "announcement.update",
        "announcement",
        id,
        serde_json::to_value(&input).unwrap_or_default(),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(to_wire(updated)))
}

#[utoipa::path(
    delete,
    path = "/announcements/{id}",
    tag = "announcements",
    summary = "remove an announcement (supervisors, admins)",
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
async fn delete_announcement(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    user.require_manager()?;
    let txn = crate::db::begin(&state.db).await?;
    if !a::delete(&txn, id).await? {
        return Err(Error::NotFound);
    }
    db::audit(
        &txn,
        Utc::now(),
        Some(user.id),
        "announcement.delete",
        "announcement",
        id,
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
