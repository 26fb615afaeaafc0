//! The caller's own things: in-app notifications and the profile (language, time zone, mail
//! preferences).

use std::str::FromStr;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use shared::api::Meta;
use shared::live::{Notification, NotificationList, Profile, UpdateProfile};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db::entity::user;
use crate::db::notifications as n;
use crate::error::{Error, FieldErrors, Json, Result};
use crate::state::AppState;

const PAGE: u64 = 50;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notifications))
        .routes(routes!(read_all_notifications))
        .routes(routes!(read_notification))
        .routes(routes!(find_profile))
        .routes(routes!(update_profile))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// Keyset cursor: the id of the last notification of the previous page.
    before: Option<i64>,
    #[serde(default)]
    unread: bool,
}

/// `GET /api/notifications`: newest first, 50 a page.
#[utoipa::path(
    get,
    path = "/notifications",
    tag = "notifications",
    summary = "in-app notifications, newest first",
    params(
        ListQuery
    ),
    responses(
        (status = 200, description = "a page", body = shared::live::NotificationList),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_notifications(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<NotificationList>> {
    let (rows, unread) = n::page(&state.db, user.id, query.before, query.unread, PAGE + 1).await?;
    let more = rows.len() as u64 > PAGE;
    let rows: Vec<_> = rows.into_iter().take(PAGE as usize).collect();
    let next_cursor = more
        .then(|| rows.last().map(|row| row.id.to_string()))
        .flatten();
    let ticket_ids: Vec<i64> = rows.iter().filter_map(|row| row.ticket_id).collect();
    let references = crate::db::ticket_references(&state.db, &ticket_ids).await?;
    let notifications = rows
        .into_iter()
        .map(|row| Notification {
            id: row.id,
            kind: row.kind,
            text: row.text,
            reference: row.ticket_id.and_then(|id| references.get(&id).cloned()),
            created_at: row.created_at,
            read_at: row.read_at,
        })
        .collect();
    Ok(Json(NotificationList {
        notifications,
        unread,
        meta: Meta { next_cursor },
    }))
}

/// `POST /api/notifications/{id}/read`.
#[utoipa::path(
    post,
    path = "/notifications/{id}/read",
    tag = "notifications",
    summary = "mark one notification read",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    responses(
        (status = 204, description = "done"),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn read_notification(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    if !n::mark_read(&state.db, user.id, Some(id), state.clock.now()).await? {
        return Err(Error::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/notifications/read-all`.
#[utoipa::path(
    post,
    path = "/notifications/read-all",
    tag = "notifications",
    summary = "mark every notification read",
    responses(
        (status = 204, description = "done"),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn read_all_notifications(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<StatusCode> {
    n::mark_read(&state.db, user.id, None, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn profile_of(row: &user::Model) -> Profile {
    Profile {
        name: row.name.clone(),
        locale: row.locale.clone(),
        time_zone: row.time_zone.clone(),
        mail: serde_json::from_str(&row.preferences).unwrap_or_default(),
    }
}

/// `GET /api/me/preferences`.
#[utoipa::path(
    get,
    path = "/me/preferences",
    tag = "notifications",
    summary = "the caller's preferences",
    responses(
        (status = 200, description = "the preferences", body = shared::live::Profile),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn find_profile(State(state): State<AppState>, user: AuthUser) -> Result<Json<Profile>> {
    let row = crate::db::find_user(&state.db, user.id)
        .await?
        .ok_or(Error::Unauthorized)?;
    Ok(Json(profile_of(&row)))
}

/// `PATCH /api/me`: name, language, time zone and mail preferences.
#[utoipa::path(
    patch,
    path = "/me",
    tag = "notifications",
    summary = "name, language, time zone, mail preferences",
    request_body = shared::live::UpdateProfile,
    responses(
        (status = 200, description = "the preferences", body = shared::live::Profile),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn update_profile(
    State(state): State<AppState>,
    user: AuthUser,
    Json(update): Json<UpdateProfile>,
) -> Result<Json<Profile>> {
    let mut errors = FieldErrors::new();
    if let Some(name) = &update.name
        && (name.trim().is_empty() || name.chars().count() > crate::validate::MAX_NAME)
    {
        errors.insert(
            "name".into(),
            "enter a name of at most 200 characters".into(),
        );
    }
    if let Some(locale) = &update.locale
        && !matches!(locale.as_str(), "en" | "ru")
    {
        errors.insert("locale".into(), "choose en or ru".into());
    }
    if let Some(zone) = &update.time_zone
        && chrono_tz::Tz::from_str(zone).is_err()
    {
        errors.insert(
            "time_zone".into(),
            format!("{zone:?} is not a supported time zone"),
        );
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let preferences = match update.mail {
        Some(mail) => Some(serde_json::to_string(&mail).map_err(anyhow::Error::from)?),
        None => None,
    };
    let change = n::ProfileChange {
        name: update.name.map(|name| name.trim().to_owned()),
        locale: update.locale,
        time_zone: update.time_zone,
        preferences,
    };
    let row = n::update_profile(&state.db, user.id, change)
        .await?
        .ok_or(Error::Unauthorized)?;
    Ok(Json(profile_of(&row)))
}
