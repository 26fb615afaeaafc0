//! Live events: the event log, delivered.
//!
//! One tailer per instance reads new `ticket_events` and `notifications` rows in id order and
//! fans them out in-process to every open stream, each of which filters by what its user may
//! see. The tailer wakes when this instance commits (`LiveHub::wake`), when PostgreSQL notifies
//! that any instance inserted an event (a trigger `NOTIFY`s channel `rg_events` on commit), and
//! on a short poll as a fallback — which is also how events written by `reglament ingest-mail`
//! in another process reach the streams on SQLite.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use shared::live::{LiveEvent, LiveKind, LiveTicket};
use tokio::sync::{Notify, broadcast};

use crate::auth::AuthUser;
use crate::db::{self, ConnectionTrait, DatabaseConnection, DbErr};
use crate::directory::Directory;

/// How many events a slow stream may fall behind before it re-reads from the database.
const CHANNEL_CAPACITY: usize = 4096;
/// The most rows one read of the log returns.
const BATCH: u64 = 500;

/// A stored event with what is needed to decide who may see it.
#[derive(Clone, Debug)]
pub struct Delivery {
    /// `None` for notifications: they go to one user.
    pub organisation_id: Option<i64>,
    pub internal: bool,
    pub user_id: Option<i64>,
    pub event: LiveEvent,
}

impl Delivery {
    /// The one rule of who sees a live event: staff see every ticket event; a customer sees the
    /// public events of their organisation's tickets; a notification reaches its user only.
    pub fn visible_to(&self, user: &AuthUser) -> bool {
        if let Some(user_id) = self.user_id {
            return user_id == user.id;
        }
        if user.is_staff() {
            return true;
        }
        !self.internal
            && self.organisation_id.is_some()
            && self.organisation_id == user.organisation_id
    }
}

pub struct LiveHub {
    sender: broadcast::Sender<Arc<Delivery>>,
    wake: Notify,
    last_event_id: AtomicI64,
    last_notification_id: AtomicI64,
}

impl LiveHub {
    pub fn new() -> LiveHub {
        let (sender, _) = broadcast::channel(CHANNEL_CAPACITY);
        LiveHub {
            sender,
            wake: Notify::new(),
            last_event_id: AtomicI64::new(0),
            last_notification_id: AtomicI64::new(0),
        }
    }

    /// Asks the tailer to read the log now (call after a commit that appended events).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Delivery>> {
        self.sender.subscribe()
    }

    /// The id of the last event fanned out; a new stream starts after it.
    pub fn last_event_id(&self) -> i64 {
        self.last_event_id.load(Ordering::Acquire)
    }

    pub fn subscriber_count(&self) -> usize {
        self.sender.receiver_count()
    }

    /// Reads the current end of the log so that a new instance streams only what comes next.
    ///
    /// # Errors
    /// A database failure.
    pub async fn start_at_end(&self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        let events = db::live::max_id(db, "ticket_events").await?;
        let notifications = db::live::max_id(db, "notifications").await?;
        self.last_event_id.store(events, Ordering::Release);
        self.last_notification_id
            .store(notifications, Ordering::Release);
        Ok(())
    }

    /// Reads new rows and fans them out; returns how many were delivered.
    ///
    /// # Errors
    /// A database failure; nothing is skipped then, the next call reads the same rows.
    pub async fn tail_once(&self, db: &impl ConnectionTrait) -> Result<usize, DbErr> {
        let mut delivered = 0;
        let after = self.last_event_id();
        let events = read_events(db, after, None, BATCH).await?;
        if let Some(last) = events.last() {
            self.last_event_id.store(last.event.id, Ordering::Release);
        }
        for delivery in events {
            delivered += 1;
            let _ = self.sender.send(Arc::new(delivery));
        }
        let after = self.last_notification_id.load(Ordering::Acquire);
        let notifications = read_notifications(db, after, None, BATCH).await?;
        if let Some(last) = notifications.last() {
            self.last_notification_id
                .store(last.event.id, Ordering::Release);
        }
        for delivery in notifications {
            delivered += 1;
            let _ = self.sender.send(Arc::new(delivery));
        }
        Ok(delivered)
    }

    /// The tailer: runs until the process ends.
    pub async fn run(self: Arc<Self>, db: DatabaseConnection, poll: Duration) {
        loop {
            match self.tail_once(&db).await {
                Ok(n) if n as u64 >= BATCH => continue,
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "cannot read the event log"),
            }
            tokio::select! {
                () = self.wake.notified() => {},
                () = tokio::time::sleep(poll) => {},
            }
        }
    }
}

impl Default for LiveHub {
    fn default() -> Self {
        LiveHub::new()
    }
}

/// The PostgreSQL channel on which an instance says that users, organisations, contracts or plans
/// changed (see [`Directory`]).
pub const DIRECTORY_CHANNEL: &str = "rg_directory";

/// Listens on PostgreSQL's `rg_events` channel and wakes the tailer on every notification, so an
/// event committed by any instance reaches this instance's streams at once; on
/// [`DIRECTORY_CHANNEL`] it makes `directory` forget.
pub async fn listen_postgres(hub: Arc<LiveHub>, directory: Arc<Directory>, url: String) {
    use crate::db::live::PgListener;
    loop {
        match PgListener::connect(&url).await {
            Ok(mut listener) => {
                if let Err(error) = listener
                    .listen_all(["rg_events", "rg_notifications", DIRECTORY_CHANNEL])
                    .await
                {
                    tracing::warn!(%error, "cannot LISTEN for live events");
                } else {
                    tracing::info!("listening for live events from other instances");
                    // Anything committed while we were not listening is read now.
                    directory.forget();
                    hub.wake();
                    loop {
                        match listener.recv().await {
                            Ok(notification) if notification.channel() == DIRECTORY_CHANNEL => {
                                directory.forget();
                            }
                            Ok(_) => hub.wake(),
                            Err(error) => {
                                tracing::warn!(%error, "lost the PostgreSQL listener");
                                break;
                            }
                        }
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "cannot connect the PostgreSQL listener"),
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

/// Who a replay is for: `None` reads everything (the tailer), `Some` applies the same rule as
/// [`Delivery::visible_to`] in SQL.
pub struct Audience<'a>(pub &'a AuthUser);

/// Reads stored events after `after`, for the tailer or (with an audience) for a replay.
///
/// # Errors
/// A database failure.
pub async fn read_events(
    db: &impl ConnectionTrait,
    after: i64,
    audience: Option<Audience<'_>>,
    limit: u64,
) -> Result<Vec<Delivery>, DbErr> {
    let organisation = audience
        .filter(|Audience(user)| !user.is_staff())
        .map(|Audience(user)| user.organisation_id.unwrap_or(-1));
    let rows = db::live::event_rows(db, after, organisation, limit).await?;
    Ok(rows
        .into_iter()
        .map(|row| Delivery {
            organisation_id: Some(row.organisation_id),
            // The support's own steps reach staff only, like the ticket page's history.
            internal: row.internal || shared::ticket::staff_only_event(&row.kind),
            user_id: None,
            event: LiveEvent {
                id: row.id,
                kind: LiveKind::of_event(&row.kind),
                event: row.kind,
                reference: Some(row.reference),
                at: row.at,
                ticket: Some(LiveTicket {
                    status: row.status,
                    version: row.version,
                    special: row.special,
                    assignee_id: row.assignee_id,
                    next_deadline: row.next_deadline,
                    at_risk: row.at_risk,
                    breached: row.breached,
                }),
                text: None,
            },
        })
        .collect())
}

/// Reads notifications after `after` (for one user when `user_id` is given).
///
/// # Errors
/// A database failure.
pub async fn read_notifications(
    db: &impl ConnectionTrait,
    after: i64,
    user_id: Option<i64>,
    limit: u64,
) -> Result<Vec<Delivery>, DbErr> {
    let rows = db::live::notification_rows(db, after, user_id, limit).await?;
    Ok(rows
        .into_iter()
        .map(|row| Delivery {
            organisation_id: None,
            internal: false,
            user_id: Some(row.user_id),
            event: LiveEvent {
                id: row.id,
                kind: LiveKind::Notification,
                event: row.kind,
                reference: row.reference,
                at: row.created_at,
                ticket: None,
                text: Some(row.text),
            },
        })
        .collect())
}
