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
use crate::security::BrowserHeaders;
use crate::sender_auth::SenderAuth;
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
    /// Whether incoming mail comes from its sender's domain.
    pub sender_auth: Arc<SenderAuth>,
    /// Failed sign-ins per account.
    pub throttle: Arc<crate::throttle::Throttle>,
    /// Which sessions are open, remembered for a second.
    pub sessions: Arc<crate::sessions::Sessions>,
    pub(crate) browser_headers: Arc<BrowserHeaders>,
}

impl AppState {
    /// # Errors
    /// A mail configuration that cannot work (see [`Mailer::new`]).
    pub fn new(db: DatabaseConnection, config: Config) -> anyhow::Result<AppState> {
        let keys = Arc::new(Keys::new(&config.jwt_secret));
        let mailer = Mailer::new(&config)?;
        let composer = Composer::new(&config, keys.clone());
        let sender_auth = Arc::new(SenderAuth::new(config.trusted_authserv_id.clone()));
        let browser_headers = Arc::new(BrowserHeaders::new(
            &crate::site::index_html(&config),
            &config.public_url,
        ));
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
            sender_auth,
            browser_headers,
            throttle: Arc::default(),
            sessions: Arc::default(),
        })
    }
}

impl FromRef<AppState> for DatabaseConnection {
    fn from_ref(state: &AppState) -> DatabaseConnection {
        state.db.clone()
    }
}
