//! The prepaid balance of an organisation for paid work [004]: supervisors read it with its
//! history; admins top it up or correct it, each change audited. Work on the organisation's
//! paid tickets draws it down through the ticket service.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use shared::api::{Balance, BalanceEntryKind, NewBalanceEntry};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db::{self, password_reminders::Owner};
use crate::error::{Error, FieldErrors, Json, Result};
use crate::state::AppState;

/// The largest change one entry may make: 100,000 hours.
const MAX_CHANGE: i64 = 6_000_000;

/// The longest comment.
const MAX_COMMENT: usize = 500;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(find_balance, create_balance_entry))
}

/// `GET /api/admin/organisations/{id}/balance`: the balance in minutes and its latest
/// changes, newest first.
#[utoipa::path(
    get,
    path = "/admin/organisations/{id}/balance",
    tag = "admin",
    summary = "the prepaid balance of an organisation in minutes and its latest changes (managers)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    responses(
        (status = 200, description = "the balance", body = shared::api::Balance),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn find_balance(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Balance>> {
    user.require_manager()?;
    if !db::password_reminders::owner_exists(&state.db, Owner::Organisation(id)).await? {
        return Err(Error::NotFound);
    }
    Ok(Json(read(&state.db, id).await?))
}

async fn read(db: &impl db::ConnectionTrait, id: i64) -> Result<Balance> {
    Ok(Balance {
        organisation_id: id,
        minutes: db::balances::balance(db, id).await?,
        entries: db::balances::entries(db, id).await?,
    })
}

/// `POST /api/admin/organisations/{id}/balance`: an admin's top-up (positive minutes) or
/// correction (either sign, not zero) with a comment; 201 with the balance after it.
#[utoipa::path(
    post,
    path = "/admin/organisations/{id}/balance",
    tag = "admin",
    summary = "tops up or corrects the prepaid balance (admins)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    request_body = shared::api::NewBalanceEntry,
    responses(
        (status = 201, description = "the balance after the change", body = shared::api::Balance),
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
async fn create_balance_entry(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
    Json(input): Json<NewBalanceEntry>,
) -> Result<(StatusCode, Json<Balance>)> {
    user.require_admin()?;
    let mut errors = FieldErrors::new();
    match input.kind {
        BalanceEntryKind::TopUp if input.minutes <= 0 => {
            errors.insert("minutes".into(), "a top-up adds at least one minute".into());
        }
        BalanceEntryKind::Correction if input.minutes == 0 => {
            errors.insert("minutes".into(), "a correction changes the balance".into());
        }
        BalanceEntryKind::Work => {
            errors.insert(
                "kind".into(),
                "work is recorded on the ticket's replies, not here".into(),
            );
        }
        _ => {}
    }
    if input.minutes.unsigned_abs() > MAX_CHANGE.unsigned_abs() {
        errors.insert("minutes".into(), format!("at most {MAX_CHANGE} minutes"));
    }
    let comment = input.comment.trim();
    if comment.is_empty() {
        errors.insert("comment".into(), "say what the change is for".into());
    } else if comment.chars().count() > MAX_COMMENT {
        errors.insert(
            "comment".into(),
            format!("at most {MAX_COMMENT} characters"),
        );
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let now = state.clock.now();
    let txn = db::begin(&state.db).await?;
    if !db::password_reminders::owner_exists(&txn, Owner::Organisation(id)).await? {
        return Err(Error::NotFound);
    }
    let entry_id = db::balances::insert(
        &txn,
        db::balances::NewEntry {
            organisation_id: id,
            minutes: input.minutes,
            kind: input.kind,
            ticket_id: None,
            actor_id: Some(user.id),
            comment,
            at: now,
        },
    )
    .await?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "balance.change",
        "organisation",
        id,
        serde_json::json!({
            "entry_id": entry_id,
            "kind": input.kind,
            "minutes": input.minutes,
            "comment": comment,
        }),
    )
    .await?;
    let balance = read(&txn, id).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(balance)))
}
