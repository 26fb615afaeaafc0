//! The Reglament server: a thin JSON API over the rules in `shared`, serving the built app.
//!
//! `main.rs` parses the command line and calls [`run`]; tests build the router with [`app`] and
//! drive it without a socket.

pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod directory;
pub mod error;
pub mod inbound;
pub mod intake;
pub mod jobs;
pub mod limits;
pub mod live;
pub mod mail;
pub mod outbox;
mod routes;
pub mod security;
pub mod sender_auth;
pub mod sessions;
pub mod state;
pub mod templates;
pub mod text;
pub mod throttle;
pub mod validate;

use std::net::SocketAddr;

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::config::{Cli, Command, Config};
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
        ));
    Router::new()
        .nest("/api", api)
        .fallback_service(
            ServeDir::new(&site)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(index),
        )
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::browser_headers,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
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
            use sea_orm::ConnectionTrait;
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
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("RG_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let config = Config::load(&cli.options)?;
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            println!("reglament: migrations applied");
            Ok(())
        }
        Command::Demo => {
            if demo::seed_if_empty(&db).await? {
                demo::print_accounts(&config.public_url);
            } else {
                println!("reglament: the database is not empty; demo data was not added");
            }
            Ok(())
        }
        Command::IngestMail => ingest_mail(config, db).await,
        Command::Serve => serve(config, db).await,
    }
}

/// `reglament ingest-mail`: one message from standard input. The mail it causes is left in the
/// outbox for the server's worker, so a server running beside it never sends a row twice.
async fn ingest_mail(config: Config, db: sea_orm::DatabaseConnection) -> anyhow::Result<()> {
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

async fn serve(config: Config, db: sea_orm::DatabaseConnection) -> anyhow::Result<()> {
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
    if !config.site_dir.join("index.html").exists() {
        tracing::warn!(
            site_dir = %config.site_dir.display(),
            "the built app is missing; run `cargo xtask build` (the API works without it)"
        );
    }
    // The first line on standard output is the address: `cargo xtask test` reads it.
    println!("reglament: listening on http://{address}");
    if seeded {
        demo::print_accounts(&config.public_url);
    }
    let state = AppState::new(db, config)?;
    start_background(&state).await?;
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("the server stopped with an error")
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
    tokio::spawn(jobs::run(
        state.db.clone(),
        state.composer.as_ref().clone(),
        state.config.auto_close_days,
        std::time::Duration::from_secs(state.config.job_interval_seconds),
    ));
    if state.config.is_postgres() {
        tokio::spawn(live::listen_postgres(
            state.live.clone(),
            state.directory.clone(),
            state.config.database_url.clone(),
        ));
    }
    tokio::spawn(mail::run(
        state.db.clone(),
        state.mailer.clone(),
        std::time::Duration::from_secs(state.config.job_interval_seconds.min(5)),
    ));
    Ok(())
}

async fn shutdown_signal() {
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
