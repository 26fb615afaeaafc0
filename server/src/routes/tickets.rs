//! Tickets over HTTP: registration, the lists, the detail page, messages and lifecycle
//! actions. Each handler reads its request, hands a typed command to the ticket service
//! (`crate::tickets`) and answers with what it returns.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use shared::api::{
    ActionRequest, Meta, NewMessage, NewRating, NewReclassification, NewTicket,
    ReclassificationDecision, Ticket, TicketDetail, TicketList,
};
use shared::ticket::Classification;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db::tickets as q;
use crate::error::{Error, Json, Result};
use crate::limits::ClientIp;
use crate::state::AppState;
use crate::tickets::{Command, Request};

mod counts;

const PAGE_SIZE: u64 = 50;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tickets, create_ticket))
        .merge(counts::router())
        .routes(routes!(find_ticket))
        .routes(routes!(create_message))
        .routes(routes!(create_action))
        .routes(routes!(create_rating))
        .routes(routes!(create_reclassification))
        .routes(routes!(accept_reclassification))
        .routes(routes!(reject_reclassification))
        .routes(routes!(create_follower, delete_follower))
}

pub(crate) fn write_limit(state: &AppState, user: &AuthUser, ip: std::net::IpAddr) -> Result<()> {
    let window = std::time::Duration::from_secs(60);
    state
        .limiter
        .hit(&format!("write-user:{}", user.id), 120, window)?;
    state.limiter.hit(&format!("write-ip:{ip}"), 600, window)
}

/// `POST /api/tickets`: a customer registers a request.
#[utoipa::path(
    post,
    path = "/tickets",
    tag = "tickets",
    summary = "register a request (customers), or one for a customer (staff)",
    request_body = shared::api::NewTicket,
    responses(
        (status = 201, description = "registered", body = shared::api::Ticket),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = 429, description = "rate_limited: too many requests; Retry-After says when to try again", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn create_ticket(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: AuthUser,
    Json(input): Json<NewTicket>,
) -> Result<(StatusCode, Json<Ticket>)> {
    write_limit(&state, &user, ip)?;
    let ticket = state.tickets().create(&user, input).await?;
    Ok((StatusCode::CREATED, Json(ticket)))
}

/// The tickets a list of `user` shows: for customers their organisation's, for staff the open
/// queue or one `view` of it; `text` searches references and subjects. Both the list and its
/// counters (`GET /api/tickets/counts`) select through this.
pub(crate) fn ticket_filter(
    user: &AuthUser,
    view: Option<&str>,
    text: Option<String>,
) -> Result<q::TicketFilter> {
    if let Some(message) = text.as_deref().and_then(crate::validate::search) {
        return Err(Error::field("q", message));
    }
    let staff_view = if user.is_staff() {
        Some(match view.unwrap_or("queue") {
            "queue" | "" => q::StaffView::Queue,
            "mine" => q::StaffView::Mine,
            "unassigned" => q::StaffView::Unassigned,
            "l2" => q::StaffView::L2,
            "special" => q::StaffView::Special,
            "at_risk" => q::StaffView::AtRisk,
            "breached" => q::StaffView::Breached,
            _ => {
                return Err(Error::field(
                    "view",
                    "one of queue, mine, unassigned, l2, special, at_risk, breached",
                ));
            }
        })
    } else {
        None
    };
    let organisation_id = if user.is_staff() {
        None
    } else {
        Some(user.organisation_id.ok_or(Error::NotFound)?)
    };
    Ok(q::TicketFilter {
        organisation_id,
        staff_view,
        viewer_id: user.id,
        text,
    })
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    view: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
    limit: Option<u64>,
}

/// `GET /api/tickets`: customers see their organisation's tickets, newest first; staff see the
/// open queue in queue order, optionally one view of it.
#[utoipa::path(
    get,
    path = "/tickets",
    tag = "tickets",
    summary = "customers: their organisation's tickets; staff: the queue",
    params(
        ListQuery
    ),
    responses(
        (status = 200, description = "a page", body = shared::api::TicketList),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_tickets(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<TicketList>> {
    let filter = ticket_filter(&user, query.view.as_deref(), query.q)?;
    let staff_view = filter.staff_view;
    let cursor = match query.cursor.as_deref() {
        Some(text) => Some(
            q::Cursor::decode(text)
                .ok_or_else(|| Error::field("cursor", "not a cursor of this list"))?,
        ),
        None => None,
    };
    let limit = query.limit.unwrap_or(PAGE_SIZE).clamp(1, 200);
    let mut rows = q::list_tickets(&state.db, &filter, cursor.as_ref(), limit).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = if more {
        rows.last()
            .map(|last| q::Cursor::after(last, staff_view.is_some()).encode())
    } else {
        None
    };
    let tickets = state.tickets().render_many(&user, rows).await?;
    Ok(Json(TicketList {
        tickets,
        meta: Meta { next_cursor },
    }))
}

/// `GET /api/tickets/{reference}`.
#[utoipa::path(
    get,
    path = "/tickets/{reference}",
    tag = "tickets",
    summary = "the ticket with thread, events and clocks",
    params(
        ("reference" = String, Path, description = "the ticket's reference")
    ),
    responses(
        (status = 200, description = "the ticket", body = shared::api::TicketDetail),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn find_ticket(
    State(state): State<AppState>,
    user: AuthUser,
    Path(reference): Path<String>,
) -> Result<Json<TicketDetail>> {
    Ok(Json(state.tickets().detail(&user, &reference).await?))
}

/// The version in `If-Match` (`3` or `"3"`), if given.
fn if_match(headers: &HeaderMap) -> Result<Option<i32>> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .map_err(|_| Error::BadRequest("If-Match must be a ticket version".into()))?;
    let text = text.trim().trim_start_matches("W/").trim_matches('"');
    text.parse()
        .map(Some)
        .map_err(|_| Error::BadRequest("If-Match must be a ticket version".into()))
}

/// Applies `command` to the ticket `reference` for `user` and answers with the ticket as
/// committed, under `status`.
pub(crate) async fn answer(
    state: &AppState,
    user: &AuthUser,
    reference: String,
    expected_version: Option<i32>,
    command: Command,
    status: StatusCode,
) -> Result<(StatusCode, Json<Ticket>)> {
    let tickets = state.tickets();
    let request = Request {
        reference,
        expected_version,
        command,
        email: None,
    };
    let applied = tickets.apply(user, request).await?;
    Ok((status, Json(tickets.render(user, applied.ticket).await?)))
}

/// `POST /api/tickets/{reference}/messages`.
#[utoipa::path(
    post,
    path = "/tickets/{reference}/messages",
    tag = "tickets",
    summary = "a public message or (staff) an internal note",
    params(
        ("reference" = String, Path, description = "the ticket's reference"),
        ("If-Match" = Option<String>, Header, pattern = r#"^(W/)?"?[0-9]{1,9}"?$"#, description = "the ticket's version the change is meant for; a stale one answers 409 with `current`")
    ),
    request_body = shared::api::NewMessage,
    responses(
        (status = 201, description = "added", body = shared::api::Ticket),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = 409, description = "conflict: a stale If-Match version or a state that changed; `current` holds the resource as it is now", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = 429, description = "rate_limited: too many requests; Retry-After says when to try again", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn create_message(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: AuthUser,
    Path(reference): Path<String>,
    headers: HeaderMap,
    Json(input): Json<NewMessage>,
) -> Result<(StatusCode, Json<Ticket>)> {
    write_limit(&state, &user, ip)?;
    let command = Command::Message {
        body: input.body,
        internal: input.internal,
        minutes: input.minutes,
    };
    let version = if_match(&headers)?;
    answer(
        &state,
        &user,
        reference,
        version,
        command,
        StatusCode::CREATED,
    )
    .await
}

/// `POST /api/tickets/{reference}/actions` with `If-Match: <version>`.
#[utoipa::path(
    post,
    path = "/tickets/{reference}/actions",
    tag = "tickets",
    summary = "a lifecycle action",
    params(
        ("reference" = String, Path, description = "the ticket's reference"),
        ("If-Match" = Option<String>, Header, pattern = r#"^(W/)?"?[0-9]{1,9}"?$"#, description = "the ticket's version the change is meant for; a stale one answers 409 with `current`")
    ),
    request_body = shared::api::ActionRequest,
    responses(
        (status = 200, description = "applied", body = shared::api::Ticket),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = 409, description = "conflict: a stale If-Match version or a state that changed; `current` holds the resource as it is now", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = 429, description = "rate_limited: too many requests; Retry-After says when to try again", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn create_action(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: AuthUser,
    Path(reference): Path<String>,
    headers: HeaderMap,
    Json(input): Json<ActionRequest>,
) -> Result<(StatusCode, Json<Ticket>)> {
    write_limit(&state, &user, ip)?;
    let command = Command::from_action(input)?;
    let version = if_match(&headers)?;
    answer(&state, &user, reference, version, command, StatusCode::OK).await
}

/// `POST /api/tickets/{reference}/rating`: customers of the ticket's organisation rate a
/// resolved (or closed) ticket once.
#[utoipa::path(
    post,
    path = "/tickets/{reference}/rating",
    tag = "tickets",
    summary = "rate a resolved ticket once (customers)",
    params(
        ("reference" = String, Path, description = "the ticket's reference")
    ),
    request_body = shared::api::NewRating,
    responses(
        (status = 201, description = "rated", body = shared::api::Ticket),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = 409, description = "conflict: a stale If-Match version or a state that changed; `current` holds the resource as it is now", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = 429, description = "rate_limited: too many requests; Retry-After says when to try again", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn create_rating(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: AuthUser,
    Path(reference): Path<String>,
    Json(input): Json<NewRating>,
) -> Result<(StatusCode, Json<Ticket>)> {
    write_limit(&state, &user, ip)?;
    let command = Command::Rate {
        score: input.score,
        comment: input.comment,
    };
    answer(&state, &user, reference, None, command, StatusCode::CREATED).await
}

/// `POST /api/tickets/{reference}/followers`: the caller follows the ticket (staff, or customers
/// of its organisation).
#[utoipa::path(
    post,
    path = "/tickets/{reference}/followers",
    tag = "tickets",
    summary = "follow the ticket",
    params(
        ("reference" = String, Path, description = "the ticket's reference")
    ),
    responses(
        (status = 204, description = "following"),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn create_follower(
    State(state): State<AppState>,
    user: AuthUser,
    Path(reference): Path<String>,
) -> Result<StatusCode> {
    state.tickets().follow(&user, &reference, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/tickets/{reference}/followers`: the caller stops following.
#[utoipa::path(
    delete,
    path = "/tickets/{reference}/followers",
    tag = "tickets",
    summary = "stop following the ticket",
    params(
        ("reference" = String, Path, description = "the ticket's reference")
    ),
    responses(
        (status = 204, description = "not following"),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn delete_follower(
    State(state): State<AppState>,
    user: AuthUser,
    Path(reference): Path<String>,
) -> Result<StatusCode> {
    state.tickets().follow(&user, &reference, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/tickets/{reference}/reclassifications`: staff propose; the customer decides.
#[utoipa::path(
    post,
    path = "/tickets/{reference}/reclassifications",
    tag = "tickets",
    summary = "propose a new category and severity (staff)",
    params(
        ("reference" = String, Path, description = "the ticket's reference")
    ),
    request_body = shared::api::NewReclassification,
    responses(
        (status = 201, description = "proposed", body = shared::api::Ticket),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = 409, description = "conflict: a stale If-Match version or a state that changed; `current` holds the resource as it is now", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = 429, description = "rate_limited: too many requests; Retry-After says when to try again", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn create_reclassification(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: AuthUser,
    Path(reference): Path<String>,
    Json(input): Json<NewReclassification>,
) -> Result<(StatusCode, Json<Ticket>)> {
    write_limit(&state, &user, ip)?;
    if input.reason.trim().is_empty() {
        return Err(Error::field("reason", "explain the new classification"));
    }
    if input.reason.chars().count() > crate::validate::MAX_REASON {
        return Err(Error::field(
            "reason",
            format!(
                "a reason may have at most {} characters",
                crate::validate::MAX_REASON
            ),
        ));
    }
    let to = Classification::new(input.category, input.severity, false)
        .map_err(|error| Error::field(error.field(), error.to_string()))?;
    let command = Command::ProposeReclassification {
        to,
        reason: input.reason,
    };
    answer(&state, &user, reference, None, command, StatusCode::CREATED).await
}

async fn decide_reclassification(
    state: AppState,
    ip: std::net::IpAddr,
    user: AuthUser,
    id: i64,
    accept: bool,
    input: Option<ReclassificationDecision>,
) -> Result<(StatusCode, Json<Ticket>)> {
    write_limit(&state, &user, ip)?;
    let reference = state.tickets().proposal_reference(&user, id).await?;
    let comment = input.and_then(|input| input.comment);
    let command = Command::decide(id, accept, comment);
    answer(&state, &user, reference, None, command, StatusCode::OK).await
}

/// `POST /api/reclassifications/{id}/accept` (the customer), with an optional comment.
#[utoipa::path(
    post,
    path = "/reclassifications/{id}/accept",
    tag = "tickets",
    summary = "accept a proposal, with an optional comment (customers)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    request_body = Option<shared::api::ReclassificationDecision>,
    responses(
        (status = 200, description = "accepted", body = shared::api::Ticket),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = 409, description = "conflict: a stale If-Match version or a state that changed; `current` holds the resource as it is now", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = 429, description = "rate_limited: too many requests; Retry-After says when to try again", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn accept_reclassification(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: AuthUser,
    Path(id): Path<i64>,
    input: Option<Json<ReclassificationDecision>>,
) -> Result<(StatusCode, Json<Ticket>)> {
    let input = input.map(|Json(input)| input);
    decide_reclassification(state, ip, user, id, true, input).await
}

/// `POST /api/reclassifications/{id}/reject` (the customer), with an optional comment.
#[utoipa::path(
    post,
    path = "/reclassifications/{id}/reject",
    tag = "tickets",
    summary = "reject a proposal, with an optional comment (customers)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    request_body = Option<shared::api::ReclassificationDecision>,
    responses(
        (status = 200, description = "rejected", body = shared::api::Ticket),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = 409, description = "conflict: a stale If-Match version or a state that changed; `current` holds the resource as it is now", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = 429, description = "rate_limited: too many requests; Retry-After says when to try again", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn reject_reclassification(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: AuthUser,
    Path(id): Path<i64>,
    input: Option<Json<ReclassificationDecision>>,
) -> Result<(StatusCode, Json<Ticket>)> {
    let input = input.map(|Json(input)| input);
    decide_reclassification(state, ip, user, id, false, input).await
}
