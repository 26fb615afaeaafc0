//! Server-side sessions: a sign-in opens a `sessions` row that its token names; every request
//! checks that the row is still open (remembered for at most a second, so an ending reaches
//! every instance within a second), and an open event stream closes within a second of it.

use std::time::Duration;

use crate::db::DatabaseConnection;
use chrono::{DateTime, Utc};
use moka::sync::Cache;

use crate::auth;
use crate::db::sessions as q;
use crate::error::Result;
use crate::state::AppState;

/// How long "this session is open" is believed without asking the database.
const REMEMBERED: Duration = Duration::from_secs(1);

pub struct Sessions {
    open: Cache<String, bool>,
}

impl Default for Sessions {
    fn default() -> Sessions {
        Sessions {
            open: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(REMEMBERED)
                .build(),
        }
    }
}

impl Sessions {
    /// Whether session `id` of `user_id` is open.
    ///
    /// # Errors
    /// A database failure.
    pub async fn is_open(&self, db: &DatabaseConnection, id: &str, user_id: i64) -> Result<bool> {
        let key = format!("{user_id}:{id}");
        if let Some(open) = self.open.get(&key) {
            return Ok(open);
        }
        let open = q::is_active(db, id, user_id, Utc::now()).await?;
        self.open.insert(key, open);
        Ok(open)
    }

    /// Forgets what this instance believes about sessions, after some ended.
    pub fn forget(&self) {
        self.open.invalidate_all();
    }
}

/// Opens a session for `user_id` and returns its token and end.
///
/// # Errors
/// A database failure.
pub async fn start(
    state: &AppState,
    user_id: i64,
    user_agent: Option<&str>,
    ip: Option<std::net::IpAddr>,
) -> Result<(String, DateTime<Utc>)> {
    let now = Utc::now();
    let expires_at = now + chrono::Duration::minutes(state.config.session_minutes);
    let id = hex::encode(rand::random::<[u8; 16]>());
    let user_agent = user_agent.map(|agent| {
        crate::text::strip_control(agent)
            .chars()
            .take(300)
            .collect()
    });
    q::open(
        &state.db,
        &id,
        user_id,
        now,
        expires_at,
        user_agent,
        ip.map(|ip| ip.to_string()),
    )
    .await?;
    let token = auth::issue_token(&state.keys, user_id, &id, now, expires_at)?;
    Ok((token, expires_at))
}

/// Ends the sessions of `user_id`: only `only`, or all but `except`, or all; returns how many.
///
/// # Errors
/// A database failure.
pub async fn end(
    state: &AppState,
    user_id: i64,
    only: Option<&str>,
    except: Option<&str>,
) -> Result<u64> {
    let ended = q::end(&state.db, user_id, only, except, Utc::now()).await?;
    state.sessions.forget();
    Ok(ended)
}

/// Stores a new password hash for `user_id` with its audit entry (`action`) in one transaction,
/// then ends the account's sessions, all but `keep` (the session that made the change).
///
/// # Errors
/// A database error.
pub async fn replace_password(
    state: &AppState,
    user_id: i64,
    hash: &str,
    action: &str,
    keep: Option<&str>,
) -> Result<()> {
    let txn = crate::db::begin(&state.db).await?;
    q::set_password_hash(&txn, user_id, hash).await?;
    crate::db::audit(
        &txn,
        Utc::now(),
        Some(user_id),
        action,
        "user",
        user_id,
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    // The account is no longer held for an administrator's password.
    state.directory.forget();
    end(state, user_id, None, keep).await?;
    Ok(())
}

/// Whether the caller of an open event stream is still signed in: the account active and the
/// session open.
pub async fn still_signed_in(state: &AppState, user_id: i64, session_id: &str) -> bool {
    auth::active_user(state, user_id).await.is_ok()
        && state
            .sessions
            .is_open(&state.db, session_id, user_id)
            .await
            .unwrap_or(true)
}
