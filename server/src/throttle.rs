//! Sign-in throttling per account: each failed attempt after the third makes the next one wait
//! longer (1, 2, 4 … seconds, at most a minute), so guessing is slow while the owner is never
//! locked out for more than a minute; a success or an admin clears it. Failures are forgotten
//! 15 minutes after the last one. Each instance counts on its own.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use shared::api::LoginThrottle;

use crate::error::Error;

/// Failures that cost nothing.
const FREE_FAILURES: u32 = 3;
/// The longest wait between attempts.
const MAX_DELAY: Duration = Duration::from_secs(60);
/// How long failures are remembered after the last one.
const MEMORY: Duration = Duration::from_secs(15 * 60);

#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    last: Instant,
    last_at: DateTime<Utc>,
}

impl Failures {
    /// The wait after the last failure before the next attempt is considered.
    fn delay(&self) -> Duration {
        match self.count.checked_sub(FREE_FAILURES + 1) {
            None => Duration::ZERO,
            Some(extra) => Duration::from_secs(1u64 << extra.min(6)).min(MAX_DELAY),
        }
    }

    fn remaining(&self, now: Instant) -> Duration {
        self.delay().saturating_sub(now.duration_since(self.last))
    }
}

#[derive(Default)]
pub struct Throttle {
    accounts: Mutex<HashMap<String, Failures>>,
}

impl Throttle {
    fn accounts(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        self.accounts
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// # Errors
    /// 429 with the seconds to wait when `email` must wait before another attempt.
    pub fn check(&self, email: &str) -> Result<(), Error> {
        let now = Instant::now();
        match self.accounts().get(email) {
            Some(failures) if !failures.remaining(now).is_zero() => Err(Error::RateLimited(
                failures.remaining(now).as_secs_f64().ceil() as u64,
            )),
            _ => Ok(()),
        }
    }

    /// Counts a failed attempt on `email`.
    pub fn failed(&self, email: &str) {
        let now = Instant::now();
        let mut accounts = self.accounts();
        if accounts.len() > 100_000 {
            accounts.retain(|_, failures| now.duration_since(failures.last) < MEMORY);
        }
        let entry = accounts.entry(email.to_owned()).or_insert(Failures {
            count: 0,
            last: now,
            last_at: Utc::now(),
        });
        if now.duration_since(entry.last) >= MEMORY {
            entry.count = 0;
        }
        entry.count += 1;
        entry.last = now;
        entry.last_at = Utc::now();
    }

    /// Forgets the failures of `email`; whether there were any.
    pub fn clear(&self, email: &str) -> bool {
        self.accounts().remove(email).is_some()
    }

    /// The accounts with remembered failures, most failures first.
    pub fn list(&self) -> Vec<LoginThrottle> {
        let now = Instant::now();
        let mut list: Vec<LoginThrottle> = self
            .accounts()
            .iter()
            .filter(|(_, failures)| now.duration_since(failures.last) < MEMORY)
            .map(|(email, failures)| LoginThrottle {
                email: email.clone(),
                failures: failures.count,
                retry_after_seconds: failures.remaining(now).as_secs_f64().ceil() as u64,
                last_failure_at: failures.last_at,
            })
            .collect();
        list.sort_by(|a, b| b.failures.cmp(&a.failures).then(a.email.cmp(&b.email)));
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_and_stops_at_a_minute() {
        let failures = |count| Failures {
            count,
            last: Instant::now(),
            last_at: Utc::now(),
        };
        assert_eq!(failures(3).delay(), Duration::ZERO);
        assert_eq!(failures(4).delay(), Duration::from_secs(1));
        assert_eq!(failures(5).delay(), Duration::from_secs(2));
        assert_eq!(failures(100).delay(), MAX_DELAY);
    }
}
