//! The caller's own things: in-app notifications and the profile (language, time zone, mail
//! preferences).

use std::str::FromStr;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::Deserialize;
use shared::api::Meta;
use shared::live::{Notification, NotificationList, Profile, UpdateProfile};

use crate::auth::AuthUser;
use crate::db::entity::user;
use crate::db::notifications as n;
use crate::error::{Error, FieldErrors, Json, Result};
use crate::state::AppState;

const PAGE: u64 = 50;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list_notifications))
        .route("/notifications/read-all", post(read_all_notifications))
        .route("/notifications/{id}/read", post(read_notification))
        .route("/me/preferences", get(find_profile))
        .route("/me", axum::routing::patch(update_profile))
}

#[derive(Deserialize)]
struct ListQuery {
    /// Keyset cursor: the id of the last notification of the previous page.
    before: Option<i64>,
    #[serde(default)]
    unread: bool,
}

/// `GET /api/notifications`: newest first, 50 a page.
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
async fn find_profile(State(state): State<AppState>, user: AuthUser) -> Result<Json<Profile>> {
    let row = crate::db::find_user(&state.db, user.id)
        .await?
        .ok_or(Error::Unauthorized)?;
    Ok(Json(profile_of(&row)))
}

/// `PATCH /api/me`: name, language, time zone and mail preferences.
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
