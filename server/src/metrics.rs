//! Prometheus metrics, served on their own address (`--metrics-bind`) at `GET /metrics`:
//! requests by route and status with their latency, open event streams, the outbox's backlog
//! and its oldest row's age, how long ago the background jobs last ran, how long writers wait
//! for SQLite's write lock, and the clocks at risk and breached.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::state::AppState;

/// Latency buckets in seconds, for requests and for the SQLite write queue.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// When the background jobs last finished a run (Unix seconds; 0 before the first).
static JOBS_RAN_AT: AtomicI64 = AtomicI64::new(0);

/// Installs the process's Prometheus recorder.
///
/// # Errors
/// A recorder installed already.
pub fn install() -> anyhow::Result<PrometheusHandle> {
    PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &BUCKETS)
        .context("metrics buckets")?
        .install_recorder()
        .context("cannot install the metrics recorder")
}

/// Serves `GET /metrics` on `listener` until the process stops.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState, handle: PrometheusHandle) {
    let router = Router::new()
        .route("/metrics", get(render))
        .with_state((state, handle));
    let stop = crate::shutdown::token();
    if let Err(error) = axum::serve(listener, router)
        .with_graceful_shutdown(stop.cancelled_owned())
        .await
    {
        tracing::warn!(%error, "the metrics endpoint stopped");
    }
}

async fn render(State((state, handle)): State<(AppState, PrometheusHandle)>) -> Response {
    if let Err(error) = sample(&state.db).await {
        tracing::warn!(%error, "cannot read the metrics from the database");
    }
    let ran_at = JOBS_RAN_AT.load(Ordering::Relaxed);
    if ran_at > 0 {
        metrics::gauge!("reglament_jobs_lag_seconds").set((Utc::now().timestamp() - ran_at) as f64);
    }
    handle.run_upkeep();
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}

/// Sets the gauges read from the database: the outbox and the clocks.
async fn sample(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COUNT(*) AS backlog, MIN(created_at) AS oldest FROM outbox WHERE sent_at IS NULL",
        ))
        .await?;
    if let Some(row) = row {
        let backlog: i64 = row.try_get("", "backlog")?;
        let oldest: Option<DateTime<Utc>> = row.try_get("", "oldest").unwrap_or(None);
        metrics::gauge!("reglament_outbox_backlog").set(backlog as f64);
        let age = oldest.map_or(0.0, |at| (Utc::now() - at).num_milliseconds() as f64 / 1e3);
        metrics::gauge!("reglament_outbox_oldest_age_seconds").set(age.max(0.0));
    }
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT (SELECT COUNT(*) FROM tickets WHERE at_risk) AS at_risk, \
             (SELECT COUNT(*) FROM tickets WHERE breached) AS breached",
        ))
        .await?;
    if let Some(row) = row {
        let at_risk: i64 = row.try_get("", "at_risk")?;
        let breached: i64 = row.try_get("", "breached")?;
        metrics::gauge!("reglament_clocks_at_risk").set(at_risk as f64);
        metrics::gauge!("reglament_clocks_breached").set(breached as f64);
    }
    Ok(())
}

/// Middleware on the API's routes: counts each request by method, matched route (the
/// template, such as `/api/tickets/{reference}`) and status, and records its latency.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!(
        "reglament_http_requests_total",
        "method" => method.clone(),
        "route" => route.clone(),
        "status" => status.clone()
    )
    .increment(1);
    metrics::histogram!(
        "reglament_http_request_duration_seconds",
        "method" => method,
        "route" => route,
        "status" => status
    )
    .record(started.elapsed().as_secs_f64());
    response
}

/// Records that the background jobs finished a run.
pub fn jobs_ran() {
    JOBS_RAN_AT.store(Utc::now().timestamp(), Ordering::Relaxed);
}

/// Records how long a writer waited for its turn at SQLite's write lock.
pub fn write_waited(waited: Duration) {
    metrics::histogram!("reglament_sqlite_write_wait_seconds").record(waited.as_secs_f64());
}

/// One open event stream, counted in `reglament_event_streams_open` until dropped.
pub struct StreamOpen(());

impl StreamOpen {
    pub fn new() -> StreamOpen {
        metrics::gauge!("reglament_event_streams_open").increment(1.0);
        StreamOpen(())
    }
}

impl Default for StreamOpen {
    fn default() -> StreamOpen {
        StreamOpen::new()
    }
}

impl Drop for StreamOpen {
    fn drop(&mut self) {
        metrics::gauge!("reglament_event_streams_open").decrement(1.0);
    }
}
