//! The signed link in the resolution mail: rate or reopen a ticket without signing in.
//!
//! The token (see [`crate::auth::issue_link_token`]) names the ticket, the customer and the
//! ticket version the mail was written for. Any change to the ticket — the rating or reopen the
//! link makes, among others — moves the version on, so a link works once; a used link is 410.
//! A forged or expired token is 404. The action itself is the portal's: the same
//! ticket service (`crate::tickets`) with the same rules.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use shared::api::{RatingLink, RatingLinkAction, Ticket};
use shared::ticket::{Action, Status};

use crate::auth::AuthUser;
use crate::db::entity::ticket;
use crate::db::{self, tickets as q};
use crate::error::{Error, Json, Result};
use crate::limits::ClientIp;
use crate::outbox::RATING_LINK;
use crate::state::AppState;
use crate::tickets::{self, Command};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route(
        "/rating-links/{token}",
        get(find_rating_link).post(create_rating_link_action),
    )
}

/// The ticket and the customer a valid token names, with the version it was issued for.
async fn resolve(state: &AppState, token: &str) -> Result<(ticket::Model, AuthUser, i32)> {
    let (ticket_id, user_id, version) =
        crate::auth::verify_link_token(&state.keys, RATING_LINK, token).ok_or(Error::NotFound)?;
    let user = db::find_user(&state.db, user_id)
        .await?
        .filter(|user| user.active)
        .map(AuthUser::try_from)
        .transpose()?
        .ok_or(Error::NotFound)?;
    let found = q::find_ticket_by_id(&state.db, ticket_id).await?;
    let found = tickets::visible(&user, found)?;
    Ok((found, user, version))
}

/// `GET /api/rating-links/{token}`: what the link is about and what it can still do.
async fn find_rating_link(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> Result<Json<RatingLink>> {
    limit(&state, ip)?;
    let (found, user, version) = resolve(&state, &token).await?;
    let status = q::status_of(&found)?;
    let current = found.version == version;
    let mut actions = Vec::new();
    if current && matches!(status, Status::Resolved | Status::Closed) {
        let allowed = shared::ticket::allowed_actions(status, user.role);
        if allowed.contains(&Action::Rate) && !q::is_rated(&state.db, found.id).await? {
            actions.push("rate".to_owned());
        }
        let within_window = found.closed_at.is_none_or(|closed_at| {
            state.clock.now() - closed_at <= chrono::Duration::days(state.config.reopen_days)
        });
        if allowed.contains(&Action::Reopen) && within_window {
            actions.push("reopen".to_owned());
        }
    }
    Ok(Json(RatingLink {
        reference: found.reference,
        subject: found.subject,
        status,
        usable: !actions.is_empty(),
        actions,
    }))
}

/// `POST /api/rating-links/{token}`: `{"action": "rate", "score": 1..5, "comment": …}` or
/// `{"action": "reopen", "comment": …}`; answers with the ticket as the customer sees it.
async fn create_rating_link_action(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
    Json(input): Json<RatingLinkAction>,
) -> Result<(StatusCode, Json<Ticket>)> {
    limit(&state, ip)?;
    let (found, user, version) = resolve(&state, &token).await?;
    let command = match input {
        RatingLinkAction::Rate { score, comment } => Command::Rate { score, comment },
        RatingLinkAction::Reopen { comment } => {
            if comment.trim().is_empty() {
                return Err(Error::field("comment", "say what is still wrong"));
            }
            Command::reopen(Some(comment))
        }
    };
    command.check(&user)?;
    if found.version != version {
        return Err(Error::Gone(
            "this link was already used or the ticket has changed since; sign in to the portal"
                .into(),
        ));
    }
    // The version the link was issued for is the one the change must find, so two uses racing
    // each other cannot both succeed: the loser gets 409.
    let reference = found.reference;
    super::tickets::answer(
        &state,
        &user,
        reference,
        Some(version),
        command,
        StatusCode::CREATED,
    )
    .await
}

fn limit(state: &AppState, ip: std::net::IpAddr) -> Result<()> {
    state.limiter.hit(
        &format!("rating-link-ip:{ip}"),
        60,
        std::time::Duration::from_secs(60),
    )
}
