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

/// The client's address: the TCP peer when the server runs, `127.0.0.1` under test; behind a
/// trusted proxy (`--trusted-proxy`), the nearest address in `X-Forwarded-For` that is not
/// itself a trusted proxy.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<crate::state::AppState> for ClientIp {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::state::AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        Ok(ClientIp(client_ip(
            peer,
            &parts.headers,
            &state.config.trusted_proxies,
        )))
    }
}

/// Walks `X-Forwarded-For` from the right while the hop is a trusted proxy.
fn client_ip(peer: IpAddr, headers: &axum::http::HeaderMap, trusted: &[ipnet::IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|hop| hop.trim().parse().ok())
        .collect();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        client = hop;
        if !is_trusted(&hop) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "6.6.6.6, 203.0.113.7, 10.0.0.2".parse().unwrap(),
        );
        let proxy = IpAddr::from([10, 0, 0, 1]);
        let stranger = IpAddr::from([198, 51, 100, 1]);
        assert_eq!(
            client_ip(proxy, &headers, &trusted),
            IpAddr::from([203, 0, 113, 7])
        );
        assert_eq!(client_ip(stranger, &headers, &trusted), stranger);
        assert_eq!(client_ip(proxy, &headers, &[]), proxy);
    }
}
