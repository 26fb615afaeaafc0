//! Rate limits per account and per client address: fixed windows kept in memory.
//!
//! Each instance counts on its own; with several instances behind a balancer the effective
//! limit is the per-instance limit times the instance count, which still stops brute force.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::error::Error;

#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    /// Counts one hit on `key`; past `limit` hits within `window` the caller gets 429 with the
    /// seconds left in the window.
    ///
    /// # Errors
    /// [`Error::RateLimited`] when the limit is exceeded.
    pub fn hit(&self, key: &str, limit: u32, window: Duration) -> Result<(), Error> {
        let now = Instant::now();
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = windows.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 > limit {
            let left = window.saturating_sub(now.duration_since(entry.0));
            return Err(Error::RateLimited(left.as_secs().max(1)));
        }
        Ok(())
    }

    /// How many hits `key` has in its current window.
    pub fn count(&self, key: &str, window: Duration) -> u32 {
        let windows = self
            .windows
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        match windows.get(key) {
            Some((start, count)) if start.elapsed() < window => *count,
            _ => 0,
        }
    }

    /// Forgets `key`, e.g. after a successful sign-in.
    pub fn reset(&self, key: &str) {
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        windows.remove(key);
    }
}

/// The client's address: the TCP peer (or the client a trusted proxy names) when the server
/// runs, `127.0.0.1` under test.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // Set by the server from `X-Forwarded-For` when the peer is a trusted proxy.
        if let Some(client) = parts.extensions.get::<ClientIp>() {
            return Ok(*client);
        }
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        Ok(ClientIp(ip))
    }
}
