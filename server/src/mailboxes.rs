//! Support mailboxes over IMAP: the reader that watches each enabled mailbox and ingests its
//! messages through the same intake as the mail gateway (`crate::intake`).
//!
//! A watcher opens the mailbox (plain, STARTTLS or TLS), reads every message in its folder in
//! arrival order, a batch at a time, and only after intake has committed marks each one seen and
//! moves it to the processed folder (or, when intake gave it up as a dead letter, to the failed
//! folder). A restart between the commit and the move finds the message again, and intake knows
//! its Message-ID, so nothing is ingested twice and nothing is lost. It then waits with IDLE
//! where the server offers it, and polls otherwise. A failure is recorded on the mailbox (the
//! step and the server's words, for the Admin screen) and retried with a growing pause.
//!
//! On PostgreSQL several instances may run: one at a time holds each mailbox's lease
//! (`db::leases`), renewed while it reads. On SQLite there is one instance and no lease.
//!
//! This module must not decide what a message does; that is intake's and the ticket service's.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_imap::Client;
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use shared::api::{IngestOutcome, Mailbox, MailboxCheck, MailboxStep, MailboxTls};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_util::either::Either;
use tokio_util::sync::CancellationToken;

use crate::db::{self, mailboxes::Settings};
use crate::error::Error;
use crate::state::AppState;

type Stream = Either<TcpStream, TlsStream<TcpStream>>;
type Session = async_imap::Session<Stream>;

/// How many messages one fetch reads.
const BATCH: usize = 25;
/// How long connecting, the TLS handshake and the login may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// How long one IDLE lasts before the watcher looks again (and renews its lease).
const IDLE_WAIT: Duration = Duration::from_secs(20);
/// How often a server without IDLE is polled.
const POLL: Duration = Duration::from_secs(10);
/// How long an instance holds a mailbox without renewing (PostgreSQL).
const LEASE: chrono::Duration = chrono::Duration::seconds(45);
/// The longest pause after repeated failures.
const MAX_PAUSE: Duration = Duration::from_secs(60);

/// What failed while reading a mailbox: the step and the server's (or the system's) words.
#[derive(Clone, Debug)]
pub struct Failure {
    pub step: MailboxStep,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn failure(step: MailboxStep, message: impl Into<String>) -> Failure {
    Failure {
        step,
        message: message.into(),
    }
}

fn protocol(error: async_imap::error::Error) -> Failure {
    failure(MailboxStep::Protocol, format!("IMAP: {error}"))
}

fn tls_config() -> Result<Arc<tokio_rustls::rustls::ClientConfig>, Failure> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
    let config = tokio_rustls::rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_platform_verifier())
        .map_err(|error| failure(MailboxStep::Tls, format!("TLS set-up: {error}")))?
        .with_no_client_auth();
    Ok(Arc::new(config))
}

async fn handshake(host: &str, tcp: TcpStream) -> Result<TlsStream<TcpStream>, Failure> {
    let name = tokio_rustls::rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|error| failure(MailboxStep::Tls, format!("{host:?}: {error}")))?;
    tokio_rustls::TlsConnector::from(tls_config()?)
        .connect(name, tcp)
        .await
        .map_err(|error| {
            failure(
                MailboxStep::Tls,
                format!("TLS handshake with {host} failed: {error}"),
            )
        })
}

async fn greeting(client: &mut Client<Stream>) -> Result<(), Failure> {
    match client.read_response().await {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(failure(
            MailboxStep::Protocol,
            "the server closed the connection before its greeting",
        )),
        Err(error) => Err(failure(
            MailboxStep::Protocol,
            format!("no greeting: {error}"),
        )),
    }
}

/// Connects and signs in: the session and whether the server offers IDLE and MOVE.
async fn open(mailbox: &Mailbox, secret: &str) -> Result<(Session, bool, bool), Failure> {
    let address = format!("{}:{}", mailbox.host, mailbox.port);
    let tcp = TcpStream::connect(&address).await.map_err(|error| {
        failure(
            MailboxStep::Connect,
            format!("cannot connect to {address}: {error}"),
        )
    })?;
    let client = match mailbox.tls {
        MailboxTls::Tls => {
            let mut client = Client::new(Either::Right(handshake(&mailbox.host, tcp).await?));
            greeting(&mut client).await?;
            client
        }
        MailboxTls::Starttls => {
            let mut client = Client::new(Either::Left(tcp));
            greeting(&mut client).await?;
            client
                .run_command_and_check_ok("STARTTLS", None)
                .await
                .map_err(|error| {
                    failure(
                        MailboxStep::Tls,
                        format!("the server refused STARTTLS: {error}"),
                    )
                })?;
            let Either::Left(tcp) = client.into_inner() else {
                return Err(failure(MailboxStep::Tls, "STARTTLS on a TLS connection"));
            };
            Client::new(Either::Right(handshake(&mailbox.host, tcp).await?))
        }
        MailboxTls::None => {
            let mut client = Client::new(Either::Left(tcp));
            greeting(&mut client).await?;
            client
        }
    };
    let mut session = client
        .login(&mailbox.username, secret)
        .await
        .map_err(|(error, _)| {
            failure(
                MailboxStep::Login,
                format!(
                    "the server refused the user name or password of {:?}: {error}",
                    mailbox.username
                ),
            )
        })?;
    let capabilities = session.capabilities().await.map_err(protocol)?;
    Ok((
        session,
        capabilities.has_str("IDLE"),
        capabilities.has_str("MOVE"),
    ))
}

/// Opens the mailbox's folder as the reader would, and says exactly what failed if it cannot.
pub async fn check(mailbox: &Mailbox, secret: &str) -> MailboxCheck {
    let attempt = async {
        let (mut session, idle, _) = open(mailbox, secret).await?;
        let opened = session.examine(&mailbox.folder).await.map_err(|error| {
            failure(
                MailboxStep::Folder,
                format!("the folder {:?} cannot be opened: {error}", mailbox.folder),
            )
        })?;
        let _ = session.logout().await;
        Ok::<_, Failure>((opened.exists, idle))
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, attempt).await {
        Ok(Ok((waiting, idle))) => MailboxCheck {
            ok: true,
            failed_step: None,
            message: format!(
                "signed in to {}:{} as {:?}; {waiting} message(s) wait in {:?}",
                mailbox.host, mailbox.port, mailbox.username, mailbox.folder
            ),
            waiting: Some(waiting),
            idle,
        },
        Ok(Err(failed)) => MailboxCheck {
            ok: false,
            failed_step: Some(failed.step),
            message: failed.message,
            waiting: None,
            idle: false,
        },
        Err(_) => MailboxCheck {
            ok: false,
            failed_step: Some(MailboxStep::Connect),
            message: format!(
                "{}:{} did not answer within {} seconds",
                mailbox.host,
                mailbox.port,
                CONNECT_TIMEOUT.as_secs()
            ),
            waiting: None,
            idle: false,
        },
    }
}

/// Where a message goes once intake is done with it.
enum Destination {
    Processed,
    Failed,
    /// Left where it is, to be read again (intake may still take it).
    Stay,
}

/// What intake's answer means for the message.
fn destination(outcome: &Result<shared::api::Ingested, Error>) -> Destination {
    match outcome {
        Ok(ingested) if ingested.outcome == IngestOutcome::DeadLettered => Destination::Failed,
        Ok(_) => Destination::Processed,
        // Already received (the Message-ID is known).
        Err(Error::Conflict { .. }) => Destination::Processed,
        // Not mail at all: dead-lettered at once.
        Err(Error::Validation(_) | Error::PayloadTooLarge) => Destination::Failed,
        Err(_) => Destination::Stay,
    }
}

/// Moves the messages `uids` to `folder`, marked seen.
async fn move_to(
    session: &mut Session,
    uids: &[u32],
    folder: &str,
    can_move: bool,
) -> Result<(), Failure> {
    if uids.is_empty() {
        return Ok(());
    }
    let set = uids
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let stored: Vec<_> = session
        .uid_store(&set, "+FLAGS.SILENT (\\Seen)")
        .await
        .map_err(protocol)?
        .try_collect()
        .await
        .map_err(protocol)?;
    drop(stored);
    let moved = if can_move {
        session.uid_mv(&set, folder).await
    } else {
        match session.uid_copy(&set, folder).await {
            Ok(()) => {
                let flagged: Result<Vec<_>, _> =
                    match session.uid_store(&set, "+FLAGS.SILENT (\\Deleted)").await {
                        Ok(stream) => stream.try_collect().await,
                        Err(error) => Err(error),
                    };
                match flagged {
                    Ok(_) => session.expunge().await.map(drop),
                    Err(error) => Err(error),
                }
            }
            Err(error) => Err(error),
        }
    };
    moved.map_err(|error| {
        failure(
            MailboxStep::Folder,
            format!("cannot move messages to {folder:?}: {error}"),
        )
    })
}

/// Reads and ingests what waits in the selected folder, a batch at a time, recording each
/// batch on the mailbox; returns how many were ingested and how many failed.
async fn drain(
    state: &AppState,
    session: &mut Session,
    mailbox: &Mailbox,
    can_move: bool,
    stop: &CancellationToken,
) -> Result<(u64, u64), Failure> {
    let (mut ingested, mut failed) = (0, 0);
    loop {
        let mut uids: Vec<u32> = session
            .uid_search("ALL")
            .await
            .map_err(protocol)?
            .into_iter()
            .collect();
        uids.sort_unstable();
        uids.truncate(BATCH);
        if uids.is_empty() || stop.is_cancelled() {
            return Ok((ingested, failed));
        }
        let set = uids
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let mut messages: Vec<(u32, Vec<u8>)> = session
            .uid_fetch(&set, "BODY.PEEK[]")
            .await
            .map_err(protocol)?
            .try_filter_map(|fetch| async move {
                Ok(fetch
                    .uid
                    .map(|uid| (uid, fetch.body().unwrap_or_default().to_vec())))
            })
            .try_collect()
            .await
            .map_err(protocol)?;
        messages.sort_unstable_by_key(|(uid, _)| *uid);
        let (mut processed, mut dead) = (Vec::new(), Vec::new());
        for (uid, raw) in &messages {
            let outcome =
                crate::intake::ingest_for(state, raw, state.clock.now(), mailbox.product_id).await;
            match destination(&outcome) {
                Destination::Processed => processed.push(*uid),
                Destination::Failed => {
                    tracing::warn!(
                        mailbox = mailbox.id,
                        uid,
                        "incoming mail moved to the failed folder"
                    );
                    dead.push(*uid);
                }
                Destination::Stay => {
                    if let Err(error) = &outcome {
                        tracing::warn!(mailbox = mailbox.id, uid, %error, "incoming mail left for another try");
                    }
                }
            }
            if stop.is_cancelled() {
                break;
            }
        }
        move_to(session, &processed, &mailbox.processed_folder, can_move).await?;
        move_to(session, &dead, &mailbox.failed_folder, can_move).await?;
        record(
            state,
            mailbox.id,
            None,
            processed.len() as u64,
            dead.len() as u64,
        )
        .await;
        ingested += processed.len() as u64;
        failed += dead.len() as u64;
        if processed.is_empty() && dead.is_empty() {
            // Nothing could be done with this batch now: try again on the next round.
            return Ok((ingested, failed));
        }
    }
}

/// Waits for new mail: IDLE where offered, otherwise a pause; `stop` ends the wait.
async fn wait(session: Session, idle: bool, stop: &CancellationToken) -> Result<Session, Failure> {
    if !idle {
        tokio::select! {
            () = tokio::time::sleep(POLL) => {}
            () = stop.cancelled() => {}
        }
        return Ok(session);
    }
    let mut handle = session.idle();
    handle.init().await.map_err(protocol)?;
    {
        let (waiting, interrupt) = handle.wait_with_timeout(IDLE_WAIT);
        let mut waiting = std::pin::pin!(waiting);
        tokio::select! {
            heard = &mut waiting => {
                let heard = heard.map_err(protocol)?;
                tracing::debug!(?heard, "mailbox idle ended");
            }
            () = stop.cancelled() => {
                drop(interrupt);
                let _ = waiting.await;
            }
        }
    }
    handle.done().await.map_err(protocol)
}

/// One connection's life: open, read, wait, read again, until `stop` or a failure.
async fn session_round(
    state: &AppState,
    mailbox: &Mailbox,
    secret: &str,
    stop: &CancellationToken,
) -> Result<(), Failure> {
    let (mut session, idle, can_move) =
        tokio::time::timeout(CONNECT_TIMEOUT, open(mailbox, secret))
            .await
            .map_err(|_| {
                failure(
                    MailboxStep::Connect,
                    format!("{}:{} did not answer", mailbox.host, mailbox.port),
                )
            })??;
    for folder in [&mailbox.processed_folder, &mailbox.failed_folder] {
        // An existing folder answers NO, which is fine; a real problem shows when moving.
        let _ = session.create(folder).await;
    }
    session.select(&mailbox.folder).await.map_err(|error| {
        failure(
            MailboxStep::Folder,
            format!("the folder {:?} cannot be opened: {error}", mailbox.folder),
        )
    })?;
    while !stop.is_cancelled() {
        let (ingested, failed) = drain(state, &mut session, mailbox, can_move, stop).await?;
        if ingested + failed == 0 {
            // Nothing new: say when the mailbox was last read fine.
            record(state, mailbox.id, None, 0, 0).await;
        }
        if stop.is_cancelled() {
            break;
        }
        session = wait(session, idle, stop).await?;
    }
    let _ = session.logout().await;
    Ok(())
}

async fn record(state: &AppState, id: i64, error: Option<&str>, ingested: u64, failed: u64) {
    let recorded = async {
        let txn = db::begin(&state.db).await?;
        db::mailboxes::record(&txn, id, error, ingested, failed, state.clock.now()).await?;
        txn.commit().await
    };
    if let Err(error) = recorded.await {
        tracing::warn!(mailbox = id, %error, "cannot record how the mailbox was read");
    }
}

/// Watches one mailbox until `stop`: reconnects after a failure with a growing pause.
async fn watch(state: AppState, settings: Settings, stop: CancellationToken) {
    let mailbox = &settings.mailbox;
    let mut pause = Duration::from_secs(1);
    while !stop.is_cancelled() {
        match session_round(&state, mailbox, &settings.secret, &stop).await {
            Ok(()) => pause = Duration::from_secs(1),
            Err(failed) => {
                tracing::warn!(mailbox = mailbox.id, step = ?failed.step, error = %failed.message, "cannot read the mailbox");
                record(&state, mailbox.id, Some(&failed.message), 0, 0).await;
                tokio::select! {
                    () = tokio::time::sleep(pause) => {}
                    () = stop.cancelled() => {}
                }
                pause = (pause * 2).min(MAX_PAUSE);
            }
        }
    }
}

struct Running {
    updated_at: DateTime<Utc>,
    stop: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

/// The reader: keeps one watcher per enabled mailbox this instance holds, restarting it when
/// its settings change, until `stop` is cancelled.
pub async fn run(state: AppState, period: Duration, stop: CancellationToken) {
    let holder = crate::webhooks::instance_name();
    let leased = state.config.is_postgres();
    let mut running: HashMap<i64, Running> = HashMap::new();
    while !stop.is_cancelled() {
        match db::mailboxes::settings(&state.db).await {
            Ok(all) => {
                let now = Utc::now();
                let mut wanted = HashMap::new();
                for settings in all.into_iter().filter(|settings| settings.mailbox.enabled) {
                    let lease = format!("mailbox:{}", settings.mailbox.id);
                    let held = !leased
                        || db::leases::acquire(&state.db, &lease, holder, now, now + LEASE)
                            .await
                            .unwrap_or(false);
                    if held {
                        wanted.insert(settings.mailbox.id, settings);
                    }
                }
                running.retain(|id, watcher| {
                    let keep = !watcher.task.is_finished()
                        && wanted
                            .get(id)
                            .is_some_and(|settings| settings.updated_at == watcher.updated_at);
                    if !keep {
                        watcher.stop.cancel();
                    }
                    keep
                });
                for (id, settings) in wanted {
                    if running.contains_key(&id) {
                        continue;
                    }
                    let token = stop.child_token();
                    running.insert(
                        id,
                        Running {
                            updated_at: settings.updated_at,
                            stop: token.clone(),
                            task: tokio::spawn(watch(state.clone(), settings, token)),
                        },
                    );
                }
            }
            Err(error) => tracing::warn!(%error, "cannot read the mailboxes"),
        }
        tokio::select! {
            () = tokio::time::sleep(period) => {}
            () = stop.cancelled() => {}
        }
    }
    for (id, watcher) in running {
        watcher.stop.cancel();
        let _ = watcher.task.await;
        if leased {
            let _ = db::leases::release(&state.db, &format!("mailbox:{id}"), holder).await;
        }
    }
}
