//! The state every handler shares.

use std::sync::Arc;

use axum::extract::FromRef;

use crate::auth::Keys;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::DatabaseConnection;
use crate::directory::Directory;
use crate::limits::RateLimiter;
use crate::live::LiveHub;
use crate::mail::Mailer;
use crate::outbox::Composer;
use crate::tickets::Registrar;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub keys: Arc<Keys>,
    pub limiter: Arc<RateLimiter>,
    pub live: Arc<LiveHub>,
    pub mailer: Arc<Mailer>,
    pub composer: Arc<Composer>,
    /// Gathers new tickets into batched writes.
    pub(crate) registrar: Arc<Registrar>,
    /// Users and organisations' service, remembered between requests.
    pub directory: Arc<Directory>,
    /// "Now" for every action, job and intake.
    pub clock: Clock,
}

impl AppState {
    /// # Errors
    /// A mail configuration that cannot work (see [`Mailer::new`]).
    pub fn new(db: DatabaseConnection, config: Config) -> anyhow::Result<AppState> {
        let keys = Arc::new(Keys::new(&config.jwt_secret));
        let mailer = Mailer::new(&config)?;
        let composer = Composer::new(&config, keys.clone());
        Ok(AppState {
            db,
            config: Arc::new(config),
            keys,
            limiter: Arc::new(RateLimiter::default()),
            live: Arc::new(LiveHub::new()),
            mailer: Arc::new(mailer),
            composer: Arc::new(composer),
            registrar: Arc::new(Registrar::default()),
            directory: Arc::new(Directory::default()),
            clock: Clock::default(),
        })
    }
}

impl FromRef<AppState> for DatabaseConnection {
    fn from_ref(state: &AppState) -> DatabaseConnection {
        state.db.clone()
    }
}
