//! Known errors: L2 (and managers) write them, every member of staff reads them, customers read
//! the published ones; `?q=` searches title, symptoms and number. Marking one fixed tells every linked
//! ticket (an event on the ticket and a notification for its requester).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use shared::api::{KnownError, KnownErrorList, Meta, NewKnownError, UpdateKnownError};

use crate::auth::AuthUser;
use crate::db::entity::known_error;
use crate::db::{self, ConnectionTrait, known_errors as k, tickets as q};
use crate::error::{Error, FieldErrors, Json, Result};
use crate::state::AppState;
use crate::validate::{MAX_LONG_TEXT, MAX_TITLE, MAX_VERSION};

const STATUSES: [&str; 3] = ["investigating", "workaround", "fixed"];

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/known-errors",
            get(list_known_errors).post(create_known_error),
        )
        .route(
            "/known-errors/{id}",
            get(find_known_error).patch(update_known_error),
        )
        .route("/known-errors/{id}/tickets", get(list_linked_tickets))
}

/// `GET /api/known-errors/{id}/tickets`: the tickets linked to a known error (staff), newest
/// first, at most 200.
async fn list_linked_tickets(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<shared::api::TicketList>> {
    user.require_staff()?;
    k::find(&state.db, id).await?.ok_or(Error::NotFound)?;
    let rows = k::linked_tickets(&state.db, id, 200).await?;
    let tickets = state.tickets().render_many(&user, rows).await?;
    Ok(Json(shared::api::TicketList {
        tickets,
        meta: Meta::default(),
    }))
}

fn require_editor(user: &AuthUser) -> Result<()> {
    if user.role.edits_known_errors() {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only L2 engineers and managers edit known errors".into(),
        ))
    }
}

fn to_wire(model: known_error::Model) -> KnownError {
    KnownError {
        id: model.id,
        number: model.number,
        title: model.title,
        symptoms: model.symptoms,
        affected_versions: model.affected_versions,
        workaround: model.workaround,
        solution: model.solution,
        status: model.status,
        fixed_in: model.fixed_in,
        published: model.published,
        created_at: model.created_at,
        updated_at: model.updated_at,
        version: model.version,
    }
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    q: Option<String>,
    cursor: Option<i64>,
    limit: Option<u64>,
}

/// `GET /api/known-errors?q=`: newest first; every word of `q` must appear in the title, the
/// symptoms or the number (case-insensitive).
async fn list_known_errors(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<KnownErrorList>> {
    let limit = query.limit.unwrap_or(50).clamp(1, 200);
    let text = query.q.unwrap_or_default();
    if let Some(message) = crate::validate::search(&text) {
        return Err(Error::field("q", message));
    }
    let words: Vec<&str> = text.split_whitespace().take(8).collect();
    let mut rows = k::list(
        &state.db,
        user.is_customer(),
        query.cursor,
        &words,
        limit + 1,
    )
    .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = if more {
        rows.last().map(|row| row.id.to_string())
    } else {
        None
    };
    Ok(Json(KnownErrorList {
        known_errors: rows.into_iter().map(to_wire).collect(),
        meta: Meta { next_cursor },
    }))
}

async fn find_known_error(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<KnownError>> {
    let found = k::find(&state.db, id)
        .await?
        .filter(|found| found.published || user.is_staff())
        .ok_or(Error::NotFound)?;
    Ok(Json(to_wire(found)))
}

fn check_text(errors: &mut FieldErrors, field: &str, value: &str, required: bool, max: usize) {
    if required && value.trim().is_empty() {
        errors.insert(field.to_owned(), "this field is required".to_owned());
    } else if value.chars().count() > max {
        errors.insert(field.to_owned(), format!("at most {max} characters"));
    }
}

fn check_status(errors: &mut FieldErrors, status: &str) {
    if !STATUSES.contains(&status) {
        errors.insert(
            "status".to_owned(),
            "one of investigating, workaround, fixed".to_owned(),
        );
    }
}

async fn create_known_error(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<NewKnownError>,
) -> Result<Response> {
    require_editor(&user)?;
    let mut errors = FieldErrors::new();
    check_text(&mut errors, "title", &input.title, true, MAX_TITLE);
    check_text(
        &mut errors,
        "symptoms",
        &input.symptoms,
        true,
        MAX_LONG_TEXT,
    );
    check_text(
        &mut errors,
        "workaround",
        &input.workaround,
        false,
        MAX_LONG_TEXT,
    );
    check_text(
        &mut errors,
        "solution",
        &input.solution,
        false,
        MAX_LONG_TEXT,
    );
    check_text(
        &mut errors,
        "affected_versions",
        &input.affected_versions,
        false,
        MAX_TITLE,
    );
    let status = input
        .status
        .clone()
        .unwrap_or_else(|| "investigating".into());
    check_status(&mut errors, &status);
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let now = state.clock.now();
    let txn = crate::db::begin(&state.db).await?;
    let created = k::insert(&txn, input, status, user.id, now).await?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "known_error.create",
        "known_error",
        created.id,
        serde_json::json!({ "number": created.number }),
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(to_wire(created))).into_response())
}

async fn update_known_error(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
    Json(input): Json<UpdateKnownError>,
) -> Result<Json<KnownError>> {
    require_editor(&user)?;
    let mut errors = FieldErrors::new();
    if let Some(title) = &input.title {
        check_text(&mut errors, "title", title, true, MAX_TITLE);
    }
    if let Some(symptoms) = &input.symptoms {
        check_text(&mut errors, "symptoms", symptoms, true, MAX_LONG_TEXT);
    }
    // Every free-text field has its maximum on an edit as on creation.
    for (field, value, max) in [
        ("workaround", &input.workaround, MAX_LONG_TEXT),
        ("solution", &input.solution, MAX_LONG_TEXT),
        ("affected_versions", &input.affected_versions, MAX_TITLE),
        ("fixed_in", &input.fixed_in, MAX_VERSION),
    ] {
        if let Some(value) = value {
            check_text(&mut errors, field, value, false, max);
        }
    }
    if let Some(status) = &input.status {
        check_status(&mut errors, status);
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let now = state.clock.now();
    let txn = crate::db::begin(&state.db).await?;
    let current = k::find(&txn, id).await?.ok_or(Error::NotFound)?;
    let becomes_fixed = input.status.as_deref() == Some("fixed") && current.status != "fixed";
    let updated = k::update(&txn, current, &input, now).await?;
    if becomes_fixed {
        inform_linked_tickets(&txn, &state.composer, &updated, user.id, now).await?;
    }
    db::audit(
        &txn,
        now,
        Some(user.id),
        "known_error.update",
        "known_error",
        id,
        serde_json::to_value(&input).unwrap_or_default(),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(to_wire(updated)))
}

/// A fixed known error: an event on every linked open ticket and a notice to its requester,
/// assignee, followers and the organisation's watchers. Of an unpublished known error they hear
/// only that a fix is available (in which version): its number and title stay with staff.
async fn inform_linked_tickets(
    db: &impl ConnectionTrait,
    composer: &crate::outbox::Composer,
    known: &known_error::Model,
    actor_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    for ticket_id in k::linked_ticket_ids(db, known.id).await? {
        let Some(linked_ticket) = q::find_ticket_by_id(db, ticket_id).await? else {
            continue;
        };
        let event_id = q::insert_event(
            db,
            linked_ticket.id,
            "known_error_fixed",
            Some(actor_id),
            now,
            false,
            None,
            if known.published {
                serde_json::json!({
                    "known_error_id": known.id,
                    "number": known.number,
                    "fixed_in": known.fixed_in,
                })
            } else {
                serde_json::json!({ "fixed_in": known.fixed_in })
            },
        )
        .await?;
        let recipients =
            crate::tickets::recipients(db, &linked_ticket, Some(actor_id), false, false).await?;
        let fixed_in = known
            .fixed_in
            .as_deref()
            .map(|version| format!(" in version {version}"))
            .unwrap_or_default();
        let (notice, comment) = if known.published {
            (
                format!(
                    "{}: {} is fixed{fixed_in}",
                    linked_ticket.reference, known.number
                ),
                format!("{} {}{fixed_in}", known.number, known.title),
            )
        } else {
            (
                format!("{}: a fix is available{fixed_in}", linked_ticket.reference),
                format!("A fix is available{fixed_in}."),
            )
        };
        q::notify(
            db,
            &recipients,
            linked_ticket.id,
            Some(event_id),
            "known_error_fixed",
            &notice,
            now,
        )
        .await?;
        crate::outbox::mail_ticket(
            db,
            composer,
            &linked_ticket,
            &recipients,
            crate::outbox::Notice::KnownError {
                kind: "known_error_fixed",
                number: &known.number,
                published: known.published,
                comment: Some(&comment),
            },
            now,
        )
        .await?;
    }
    Ok(())
}
