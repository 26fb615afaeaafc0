//! The Reglament server: a thin JSON API over the rules in `shared`, serving the built app.
//!
//! `main.rs` parses the command line and calls [`run`]; tests build the router with [`app`] and
//! drive it without a socket.

pub mod auth;
pub mod backup;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod directory;
pub mod error;
pub mod files;
pub mod inbound;
pub mod intake;
pub mod jobs;
pub mod limits;
pub mod live;
pub mod mail;
pub mod mailboxes;
pub mod metrics;
pub mod outbox;
mod routes;
pub mod second_factor;
pub mod security;
pub mod sender_auth;
pub mod sessions;
pub mod shutdown;
pub mod site;
pub mod state;
pub mod templates;
pub mod text;
pub mod throttle;
pub mod tickets;
pub mod validate;
pub mod webhooks;

use std::net::SocketAddr;

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::config::{Cli, Command, Config, LogFormat, Operations};
use crate::directory::Directory;
use crate::state::AppState;

/// The largest request body: an attachment plus its multipart framing.
pub const BODY_LIMIT: usize = 21 * 1024 * 1024;

/// The whole HTTP application: the API under `/api`, the built app everywhere else, with
/// `index.html` for client routes. A file of the app is sent as its Brotli or gzip sibling
/// (`app_bg.wasm.br`, `app_bg.wasm.gz`, written by `cargo xtask build`) to a browser that
/// accepts it.
pub fn app(state: AppState) -> Router {
    let site = state.config.site_dir.clone();
    let index = ServeFile::new(site.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let api = routes::api_router()
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            wake_live_streams,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::api_guard,
        ))
        .layer(axum::middleware::from_fn(error::envelope))
        .layer(axum::middleware::from_fn(metrics::track));
    let router = Router::new().nest("/api", api);
    let router = if state.config.embedded_app {
        site::attach(router)
    } else {
        router.fallback_service(
            ServeDir::new(&site)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(index),
        )
    };
    router
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(shutdown::end_streams_on_stop))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::browser_headers,
        ))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// The span of one request: every log line written while it runs carries its id (the
/// `x-request-id` it came with, or a new UUID, sent back in the same header).
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    )
}

/// After a request that may have committed an action, wakes this instance's live tailer, so the
/// events it appended reach the streams at once rather than at the next poll of the log; after
/// one that may have changed users, organisations, contracts or plans, makes every instance
/// forget what its [`Directory`] remembers.
async fn wake_live_streams(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::Method;
    let writes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let directory_changes = writes && Directory::changed_by(request.uri().path());
    let response = next.run(request).await;
    if directory_changes {
        // Failed requests too: forgetting costs one read, remembering wrongly a stale account.
        state.directory.forget();
        if state.config.is_postgres() {
            use crate::db::ConnectionTrait;
            if let Err(error) = state
                .db
                .execute_unprepared(&format!("NOTIFY {}", live::DIRECTORY_CHANNEL))
                .await
            {
                tracing::warn!(%error, "cannot tell other instances of a directory change");
            }
        }
    }
    if writes && response.status().is_success() {
        state.live.wake();
    }
    response
}

/// Runs one command of the `reglament` binary.
///
/// # Errors
/// Any start-up failure (configuration, database, port), as one line for the operator.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let log = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("RG_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr);
    let _ = match cli.operations.log_format {
        LogFormat::Text => log.try_init(),
        LogFormat::Json => log.json().with_current_span(true).try_init(),
    };
    if let Some(Command::Restore { from }) = &cli.command {
        let with_database = backup::restore(from, &cli.options.data_dir)?;
        println!(
            "reglament: restored {} into {}{}",
            from.display(),
            cli.options.data_dir.display(),
            if with_database {
                ""
            } else {
                " (attachments and secret; restore the PostgreSQL database with pg_restore)"
            }
        );
        return Ok(());
    }
    let config = Config::load(&cli.options)?.with_operations(&cli.operations)?;
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            println!("reglament: migrations applied");
            Ok(())
        }
        Command::Backup { to } => {
            let written = backup::backup(&config, &db, &to).await?;
            println!(
                "reglament: wrote {} ({} bytes, {} attachments{}) in {:.1} s",
                to.display(),
                written.bytes,
                written.attachments,
                if written.database_included {
                    ", the SQLite database"
                } else {
                    "; dump the PostgreSQL database with pg_dump"
                },
                written.seconds
            );
            Ok(())
        }
        Command::Restore { .. } => unreachable!("restored above"),
        Command::Demo => {
            if demo::seed_if_empty(&db).await? {
                demo::print_accounts(&config.public_url);
            } else {
                println!("reglament: the database is not empty; demo data was not added");
            }
            Ok(())
        }
        Command::IngestMail => ingest_mail(config, db).await,
        Command::Serve => serve(config, &cli.operations, db).await,
    }
}

/// `reglament ingest-mail`: one message from standard input. The mail it causes is left in the
/// outbox for the server's worker, so a server running beside it never sends a row twice.
async fn ingest_mail(config: Config, db: db::DatabaseConnection) -> anyhow::Result<()> {
    use tokio::io::AsyncReadExt;
    let mut raw = Vec::new();
    tokio::io::stdin()
        .take(BODY_LIMIT as u64 + 1)
        .read_to_end(&mut raw)
        .await
        .context("cannot read the message from standard input")?;
    if raw.len() > BODY_LIMIT {
        anyhow::bail!("the message is larger than {BODY_LIMIT} bytes");
    }
    let state = AppState::new(db, config)?;
    let ingested = intake::ingest(&state, &raw, chrono::Utc::now())
        .await
        .map_err(|error| match error {
            error::Error::Validation(fields) => anyhow::anyhow!(
                "{}",
                fields
                    .iter()
                    .map(|(field, message)| format!("{field}: {message}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            other => anyhow::anyhow!("{other}"),
        })?;
    println!("{}", serde_json::to_string(&ingested)?);
    Ok(())
}

async fn serve(
    config: Config,
    operations: &Operations,
    db: db::DatabaseConnection,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("--bind / RG_BIND: cannot listen on {}", config.bind))?;
    let address = listener.local_addr()?;
    let mut config = config;
    if config.public_url == format!("http://{}", config.bind) {
        config.public_url = format!("http://{address}");
    }
    let seeded = if config.demo {
        demo::seed_if_empty(&db).await?
    } else {
        false
    };
    if !config.embedded_app && !config.site_dir.join("index.html").exists() {
        tracing::warn!(
            site_dir = %config.site_dir.display(),
            "the built app is missing; run `cargo xtask build` (the API works without it)"
        );
    }
    // The first line on standard output is the address: `cargo xtask test` reads it.
    println!("reglament: listening on http://{address}");
    let metrics_endpoint = match &operations.metrics_bind {
        Some(bind) => {
            let handle = metrics::install()?;
            let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| {
                format!("--metrics-bind / RG_METRICS_BIND: cannot listen on {bind}")
            })?;
            println!(
                "reglament: metrics on http://{}/metrics",
                listener.local_addr()?
            );
            Some((listener, handle))
        }
        None => None,
    };
    if seeded {
        demo::print_accounts(&config.public_url);
    }
    let state = AppState::new(db, config)?;
    if let Some((listener, handle)) = metrics_endpoint {
        tokio::spawn(metrics::serve(listener, state.clone(), handle));
    }
    start_background(&state).await?;
    let stop = shutdown::token();
    let server = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown::signal().await;
        tracing::info!("stopping: no new connections; finishing requests in flight");
        stop.cancel();
    });
    let stopping = shutdown::token();
    tokio::select! {
        served = std::future::IntoFuture::into_future(server) => {
            served.context("the server stopped with an error")?;
        }
        () = async {
            stopping.cancelled().await;
            tokio::time::sleep(shutdown::DRAIN).await;
        } => tracing::warn!("requests still running at the shutdown limit were cut off"),
    }
    shutdown::token().cancel();
    shutdown::finish_workers(shutdown::FINISH).await;
    tracing::info!("stopped");
    Ok(())
}

/// Starts what runs beside the HTTP server: the live-event tailer (and, on PostgreSQL, the
/// listener that hears other instances) and the outbox worker.
///
/// # Errors
/// A database failure while finding the end of the event log.
pub async fn start_background(state: &AppState) -> anyhow::Result<()> {
    state.live.start_at_end(&state.db).await?;
    let poll = if state.config.is_postgres() {
        std::time::Duration::from_secs(2)
    } else {
        std::time::Duration::from_millis(250)
    };
    tokio::spawn(state.live.clone().run(state.db.clone(), poll));
    let jobs = jobs::run(
        state.db.clone(),
        state.composer.as_ref().clone(),
        state.config.auto_close_days,
        std::time::Duration::from_secs(state.config.job_interval_seconds),
    );
    let stop = shutdown::token();
    // A run cut off by the shutdown rolls back; the next start does it again.
    tokio::spawn(async move {
        tokio::select! {
            () = jobs => {}
            () = stop.cancelled() => {}
        }
    });
    if state.config.is_postgres() {
        tokio::spawn(live::listen_postgres(
            state.live.clone(),
            state.directory.clone(),
            state.config.database_url.clone(),
        ));
    }
    shutdown::track(tokio::spawn(mailboxes::run(
        state.clone(),
        std::time::Duration::from_secs(state.config.job_interval_seconds.min(5)),
        shutdown::token(),
    )));
    shutdown::track(tokio::spawn(webhooks::run(
        state.db.clone(),
        webhooks::Sender::new(state.config.webhook_retry)?,
        std::time::Duration::from_secs(state.config.job_interval_seconds.min(2)),
        shutdown::token(),
    )));
    shutdown::track(tokio::spawn(mail::run(
        state.db.clone(),
        state.mailer.clone(),
        std::time::Duration::from_secs(state.config.job_interval_seconds.min(5)),
        shutdown::token(),
    )));
    Ok(())
}
