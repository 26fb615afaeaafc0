//! `GET /api/events`: the caller's live events as Server-Sent Events.
//!
//! A stream starts at the end of the log, or after `Last-Event-ID` (the header browsers send
//! when they reconnect, or `?last_event_id=`), replaying from the database what the caller may
//! see, then follows the live tail. Event ids are the event log's ids.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::ReceiverStream;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{AuthUser, SessionId};
use crate::error::{Error, Result};
use crate::live::{Audience, Delivery, read_events};
use crate::state::AppState;

const REPLAY_BATCH: u64 = 500;
/// How often an open stream checks that its caller is still signed in.
const SIGNED_IN_CHECK: Duration = Duration::from_millis(500);

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stream_events))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct EventsQuery {
    last_event_id: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/events",
    tag = "events",
    summary = "server-sent events of the caller's tickets",
    params(
        EventsQuery,
        ("Last-Event-ID" = Option<String>, Header, pattern = "^[0-9]{1,18}$", description = "resume after this event id (sent by EventSource on reconnect)")
    ),
    responses(
        (status = 200, description = "the event stream: one event per change of a ticket the caller may see", body = crate::routes::openapi::ServerSentEvent, content_type = "text/event-stream"),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn stream_events(
    State(state): State<AppState>,
    user: AuthUser,
    axum::Extension(SessionId(session_id)): axum::Extension<SessionId>,
    headers: HeaderMap,
    Query(query): Query<EventsQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let header = match headers.get("last-event-id") {
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(|text| text.trim().parse::<i64>().ok())
                .ok_or_else(|| Error::BadRequest("Last-Event-ID must be an event id".into()))?,
        ),
        None => None,
    };
    let resume_after = header.or(query.last_event_id);
    // Subscribe before reading the log so nothing committed in between is missed; the cursor
    // drops what the replay already sent.
    let mut receiver = state.live.subscribe();
    let start = state.live.last_event_id();
    let (sender, stream) = mpsc::channel::<Event>(256);
    let db = state.db.clone();
    let mut check = tokio::time::interval(SIGNED_IN_CHECK);
    tokio::spawn(async move {
        let mut cursor = resume_after.unwrap_or(start);
        if resume_after.is_some() && !replay(&db, &user, &mut cursor, &sender).await {
            return;
        }
        if sender.send(Event::default().comment("live")).await.is_err() {
            return;
        }
        loop {
            let received = tokio::select! {
                received = receiver.recv() => received,
                _ = check.tick() => {
                    // A deactivation or an ended session closes the stream.
                    if !crate::sessions::still_signed_in(&state, user.id, &session_id).await {
                        return;
                    }
                    continue;
                }
            };
            match received {
                Ok(delivery) => {
                    if delivery.user_id.is_none() {
                        if delivery.event.id <= cursor {
                            continue;
                        }
                        cursor = delivery.event.id;
                    }
                    if delivery.visible_to(&user) && sender.send(to_sse(&delivery)).await.is_err() {
                        return;
                    }
                }
                Err(RecvError::Lagged(_)) => {
                    // This stream fell behind the fan-out: read what it missed from the log.
                    if !replay(&db, &user, &mut cursor, &sender).await {
                        return;
                    }
                }
                Err(RecvError::Closed) => return,
            }
        }
    });
    let stream = ReceiverStream::new(stream).map(Ok::<_, Infallible>);
    Ok(Sse::new(stream).keep_alive(
        KeepAlive::new()
            .interval(Duration::from_secs(15))
            .text("heartbeat"),
    ))
}

/// Sends every visible event after `cursor` from the database; false when the client is gone.
async fn replay(
    db: &crate::db::DatabaseConnection,
    user: &AuthUser,
    cursor: &mut i64,
    sender: &mpsc::Sender<Event>,
) -> bool {
    loop {
        let batch = match read_events(db, *cursor, Some(Audience(user)), REPLAY_BATCH).await {
            Ok(batch) => batch,
            Err(error) => {
                tracing::warn!(%error, "cannot replay live events");
                return false;
            }
        };
        let done = (batch.len() as u64) < REPLAY_BATCH;
        for delivery in batch {
            *cursor = delivery.event.id;
            // The query keeps to the audience's organisation and public events; the support's
            // own steps are left out here.
            if !delivery.visible_to(user) {
                continue;
            }
            if sender.send(to_sse(&delivery)).await.is_err() {
                return false;
            }
        }
        if done {
            return true;
        }
    }
}

fn to_sse(delivery: &Delivery) -> Event {
    let data = serde_json::to_string(&delivery.event).unwrap_or_else(|_| "{}".to_owned());
    let event = Event::default().data(data);
    if delivery.user_id.is_none() {
        event.id(delivery.event.id.to_string())
    } else {
        event
    }
}
