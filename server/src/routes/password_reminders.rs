//! The reminder to change temporary passwords that the resolution mail carries: admins set it
//! per plan and, overriding the plan's, per organisation, in English and Russian.

use axum::extract::{Path, State};
use shared::api::PasswordReminder;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db::{self, password_reminders::Owner};
use crate::error::{Error, FieldErrors, Json, Result};
use crate::state::AppState;

/// The longest reminder text in each language.
const MAX_TEXT: usize = 2000;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(find_plan_reminder, update_plan_reminder))
        .routes(routes!(
            find_organisation_reminder,
            update_organisation_reminder
        ))
}

/// `GET /api/admin/plans/{id}/password-reminder`: both texts empty when the plan has none.
#[utoipa::path(
    get,
    path = "/admin/plans/{id}/password-reminder",
    tag = "password-reminders",
    summary = "the plan's reminder to change temporary passwords (supervisors, admins)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    responses(
        (status = 200, description = "the reminder", body = shared::api::PasswordReminder),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn find_plan_reminder(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<PasswordReminder>> {
    find(&state, &user, Owner::Plan(id)).await
}

/// `PUT /api/admin/plans/{id}/password-reminder`: both texts empty removes it.
#[utoipa::path(
    put,
    path = "/admin/plans/{id}/password-reminder",
    tag = "password-reminders",
    summary = "set the plan's reminder; both texts empty removes it (admins)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    request_body = shared::api::PasswordReminder,
    responses(
        (status = 200, description = "the reminder", body = shared::api::PasswordReminder),
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
#[utoipa::path(
    get,
    path = "/admin/organisations/{id}/password-reminder",
    tag = "password-reminders",
    summary = "the organisation's own reminder (supervisors, admins)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    responses(
        (status = 200, description = "the reminder", body = shared::api::PasswordReminder),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn find_organisation_reminder(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<PasswordReminder>> {
    find(&state, &user, Owner::Organisation(id)).await
}

/// `PUT /api/admin/organisations/{id}/password-reminder`: both texts empty and the
/// organisation follows its plan again.
#[utoipa::path(
    put,
    path = "/admin/organisations/{id}/password-reminder",
    tag = "password-reminders",
    summary = "set the organisation's reminder (admins)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    request_body = shared::api::PasswordReminder,
    responses(
        (status = 200, description = "the reminder", body = shared::api::PasswordReminder),
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
