//! The state every handler shares.

use std::sync::Arc;

use axum::extract::FromRef;
use sea_orm::DatabaseConnection;

use crate::auth::Keys;
use crate::config::Config;
use crate::limits::RateLimiter;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub keys: Arc<Keys>,
    pub limiter: Arc<RateLimiter>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: Config) -> AppState {
        let keys = Keys::new(&config.jwt_secret);
        AppState {
            db,
            config: Arc::new(config),
            keys: Arc::new(keys),
            limiter: Arc::new(RateLimiter::default()),
        }
    }
}

impl FromRef<AppState> for DatabaseConnection {
    fn from_ref(state: &AppState) -> DatabaseConnection {
        state.db.clone()
    }
}
