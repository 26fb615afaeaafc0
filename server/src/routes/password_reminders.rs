//! The reminder to change temporary passwords that the resolution mail carries: admins set it
//! per plan and, overriding the plan's, per organisation, in English and Russian.

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use shared::api::PasswordReminder;

use crate::auth::AuthUser;
use crate::db::{self, password_reminders::Owner};
use crate::error::{Error, FieldErrors, Json, Result};
use crate::state::AppState;

/// The longest reminder text in each language.
const MAX_TEXT: usize = 2000;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/plans/{id}/password-reminder",
            get(find_plan_reminder).put(update_plan_reminder),
        )
        .route(
            "/admin/organisations/{id}/password-reminder",
            get(find_organisation_reminder).put(update_organisation_reminder),
        )
}

/// `GET /api/admin/plans/{id}/password-reminder`: both texts empty when the plan has none.
async fn find_plan_reminder(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<PasswordReminder>> {
    find(&state, &user, Owner::Plan(id)).await
}

/// `PUT /api/admin/plans/{id}/password-reminder`: both texts empty removes it.
async fn update_plan_reminder(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
    Json(input): Json<PasswordReminder>,
) -> Result<Json<PasswordReminder>> {
    update(&state, &user, Owner::Plan(id), input).await
}

/// `GET /api/admin/organisations/{id}/password-reminder`: the organisation's own, which
/// overrides its plan's; both texts empty when it follows its plan.
async fn find_organisation_reminder(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<PasswordReminder>> {
    find(&state, &user, Owner::Organisation(id)).await
}

/// `PUT /api/admin/organisations/{id}/password-reminder`: both texts empty and the
/// organisation follows its plan again.
async fn update_organisation_reminder(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
    Json(input): Json<PasswordReminder>,
) -> Result<Json<PasswordReminder>> {
    update(&state, &user, Owner::Organisation(id), input).await
}

async fn find(state: &AppState, user: &AuthUser, owner: Owner) -> Result<Json<PasswordReminder>> {
    user.require_manager()?;
    if !db::password_reminders::owner_exists(&state.db, owner).await? {
        return Err(Error::NotFound);
    }
    Ok(Json(
        db::password_reminders::find(&state.db, owner)
            .await?
            .unwrap_or_default(),
    ))
}

async fn update(
    state: &AppState,
    user: &AuthUser,
    owner: Owner,
    input: PasswordReminder,
) -> Result<Json<PasswordReminder>> {
    user.require_admin()?;
    let mut errors = FieldErrors::new();
    for (field, text) in [("en", &input.en), ("ru", &input.ru)] {
        if text.chars().count() > MAX_TEXT {
            errors.insert(field.into(), format!("at most {MAX_TEXT} characters"));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let reminder = PasswordReminder {
        en: input.en.trim().to_owned(),
        ru: input.ru.trim().to_owned(),
    };
    let now = state.clock.now();
    let txn = db::begin(&state.db).await?;
    if !db::password_reminders::owner_exists(&txn, owner).await? {
        return Err(Error::NotFound);
    }
    db::password_reminders::save(&txn, owner, &reminder, now).await?;
    let (entity, id) = match owner {
        Owner::Plan(id) => ("plan", id),
        Owner::Organisation(id) => ("organisation", id),
    };
    db::audit(
        &txn,
        now,
        Some(user.id),
        "password_reminder.update",
        entity,
        id,
        serde_json::json!({ "en": reminder.en, "ru": reminder.ru }),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(reminder))
}
