//! Graceful shutdown: on SIGTERM (or Ctrl-C) the server stops accepting connections, lets the
//! requests in flight finish for at most [`DRAIN`], tells every event stream to reconnect
//! (a `retry:` line, then the end of the stream), lets the outbox worker finish its pass, and
//! exits with status 0.

use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use futures::StreamExt;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// How long requests in flight may run on after the signal.
pub const DRAIN: Duration = Duration::from_secs(6);

/// How long the background workers may take to finish their pass after the requests.
pub const FINISH: Duration = Duration::from_secs(3);

/// What an event stream sends last: reconnect after half a second (to another instance, or to
/// this one restarted).
const RECONNECT: &[u8] = b"retry: 500\n\n";

static STOP: LazyLock<CancellationToken> = LazyLock::new(CancellationToken::new);
static WORKERS: Mutex<Vec<JoinHandle<()>>> = Mutex::new(Vec::new());

/// Cancelled when the process has been asked to stop.
pub fn token() -> CancellationToken {
    STOP.clone()
}

/// Keeps a background worker that ends by itself once [`token`] is cancelled, so that the
/// shutdown waits for it (see [`finish_workers`]).
pub fn track(worker: JoinHandle<()>) {
    WORKERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(worker);
}

/// Waits up to `within` for the tracked workers to end.
pub async fn finish_workers(within: Duration) {
    let workers: Vec<_> = std::mem::take(
        &mut *WORKERS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    if tokio::time::timeout(within, futures::future::join_all(workers))
        .await
        .is_err()
    {
        tracing::warn!("background work was still running at the shutdown limit");
    }
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// Middleware: an event stream (`text/event-stream`) ends with a `retry:` line when the server
/// stops, and is counted in the open-streams gauge while it runs.
pub async fn end_streams_on_stop(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_stream = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"text/event-stream"));
    if !is_stream {
        return response;
    }
    let (parts, body) = response.into_parts();
    let open = crate::metrics::StreamOpen::new();
    let stream = body
        .into_data_stream()
        .take_until(token().cancelled_owned())
        .chain(futures::stream::once(async move {
            drop(open);
            Ok(Bytes::from_static(RECONNECT))
        }));
    Response::from_parts(parts, Body::from_stream(stream))
}
