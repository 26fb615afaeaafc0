//! Webhook delivery: the worker that posts committed deliveries to their endpoints.
//!
//! Actions queue deliveries in their own transaction (`db::webhooks::enqueue`, called wherever
//! the event log grows); this worker sends them after commit, each body signed with
//! HMAC-SHA256 over `<unix seconds>.<body>` under the endpoint's secret, in the header
//! `X-Reglament-Signature: t=<unix seconds>,v1=<hex>`. An endpoint gets its deliveries in the
//! order of the event log; a failed one is retried with exponential backoff, and the later
//! events of the same ticket wait behind it, so a receiver sees each ticket's events in order.
//! After [`MAX_ATTEMPTS`] a delivery is given up and logged as failed. One instance at a time
//! works on an endpoint (a lease, see `db::leases`), so two instances never send one delivery.
//!
//! This module must not open an action's transaction or be called from one.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::db::webhooks::{Endpoint, Outcome, Pending};
use crate::db::{self, DatabaseConnection, DbErr};

/// After this many failed attempts a delivery is given up.
pub const MAX_ATTEMPTS: i32 = 10;
/// The most deliveries one pass reads per endpoint.
const BATCH: u64 = 200;
/// How long an instance holds an endpoint after a pass.
const LEASE: chrono::Duration = chrono::Duration::minutes(1);
/// How long an endpoint may take to answer.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-Reglament-Signature";

/// The signature header's value for `body` sent at `timestamp` (unix seconds).
///
/// # Examples
/// ```
/// let header = server::webhooks::signature("secret", 1_700_000_000, b"{}");
/// assert!(header.starts_with("t=1700000000,v1="));
/// ```
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any size");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// Whether `header` is a valid signature of `body` under `secret`, made within `tolerance`
/// seconds of `now` (unix seconds): what a receiver checks.
pub fn verify(secret: &str, header: &str, body: &[u8], now: i64, tolerance: i64) -> bool {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.extend(hex::decode(value).ok()),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else {
        return false;
    };
    if (now - timestamp).abs() > tolerance {
        return false;
    }
    signatures.iter().any(|signature| {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
            .expect("HMAC takes a key of any size");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.verify_slice(signature).is_ok()
    })
}

/// What the worker needs: the HTTP client, the first retry's delay and this instance's name.
#[derive(Clone)]
pub struct Sender {
    client: reqwest::Client,
    /// The delay after the first failure; each later one doubles it, up to a day.
    retry: Duration,
    holder: Arc<str>,
}

/// This process's name in leases.
pub fn instance_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        format!(
            "{}-{}-{:08x}",
            std::env::var("HOSTNAME").unwrap_or_else(|_| "reglament".to_owned()),
            std::process::id(),
            rand::random::<u32>()
        )
    })
}

impl Sender {
    /// # Errors
    /// An HTTP client that cannot be built (no TLS roots).
    pub fn new(retry: Duration) -> anyhow::Result<Sender> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Reglament-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Sender {
            client,
            retry,
            holder: Arc::from(instance_name()),
        })
    }

    fn backoff(&self, attempts: i32) -> chrono::Duration {
        let factor = 1u32 << (attempts - 1).clamp(0, 16);
        chrono::Duration::from_std(self.retry.saturating_mul(factor))
            .unwrap_or(chrono::Duration::days(1))
            .min(chrono::Duration::days(1))
    }

    /// Posts one delivery: the status code, or why there was none.
    async fn post(&self, endpoint: &Endpoint, delivery: &Pending) -> (Option<u16>, String) {
        let timestamp = Utc::now().timestamp();
        let request = self
            .client
            .post(&endpoint.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(
                SIGNATURE_HEADER,
                signature(&endpoint.secret, timestamp, delivery.body.as_bytes()),
            )
            .header("X-Reglament-Event", &delivery.event)
            .header("X-Reglament-Delivery", delivery.id.to_string())
            .body(delivery.body.clone());
        match request.send().await {
            Ok(response) => {
                let status = response.status();
                (
                    Some(status.as_u16()),
                    format!("the endpoint answered {status}"),
                )
            }
            Err(error) => (None, describe(&error)),
        }
    }
}

/// The cause of a failed request in a few words (the URL is known from the endpoint).
fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    let mut cause = String::new();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    if cause.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {cause}")
    }
}

/// Sends what is due to every enabled endpoint this instance holds; returns how many
/// deliveries were made.
///
/// # Errors
/// A database failure; failed deliveries are recorded on their rows instead.
pub async fn deliver_due(
    db: &DatabaseConnection,
    sender: &Sender,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let mut delivered = 0;
    for endpoint in db::webhooks::enabled(db).await? {
        let lease = format!("webhook:{}", endpoint.id);
        if !db::leases::acquire(db, &lease, &sender.holder, now, now + LEASE).await? {
            continue;
        }
        delivered += deliver_endpoint(db, sender, &endpoint, now).await?;
    }
    Ok(delivered)
}

/// One pass over one endpoint's pending deliveries, oldest first.
async fn deliver_endpoint(
    db: &DatabaseConnection,
    sender: &Sender,
    endpoint: &Endpoint,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let mut delivered = 0;
    // Tickets whose earlier delivery waits: their later ones wait behind it.
    let mut waiting: HashSet<Option<i64>> = HashSet::new();
    for delivery in db::webhooks::pending(db, endpoint.id, BATCH).await? {
        if waiting.contains(&delivery.ticket_id) {
            continue;
        }
        // A first attempt is always due; a retry waits for its time.
        if delivery.attempts > 0 && delivery.next_attempt_at > now {
            waiting.insert(delivery.ticket_id);
            continue;
        }
        let (code, error) = sender.post(endpoint, &delivery).await;
        let attempts = delivery.attempts + 1;
        let outcome = match code {
            Some(code) if (200..300).contains(&code) => Outcome::Delivered {
                response_code: i32::from(code),
            },
            _ => {
                let retry_at =
                    (attempts < MAX_ATTEMPTS).then(|| Utc::now() + sender.backoff(attempts));
                tracing::warn!(
                    webhook_id = endpoint.id,
                    delivery_id = delivery.id,
                    attempts,
                    error,
                    "webhook delivery failed"
                );
                Outcome::Failed {
                    response_code: code.map(i32::from),
                    error: &error,
                    retry_at,
                }
            }
        };
        let ok = matches!(outcome, Outcome::Delivered { .. });
        let txn = db::begin(db).await?;
        db::webhooks::record(&txn, delivery.id, attempts, outcome, Utc::now()).await?;
        txn.commit().await?;
        if ok {
            delivered += 1;
        } else {
            waiting.insert(delivery.ticket_id);
            if code.is_none() {
                // The endpoint is unreachable: the rest waits for the next pass.
                break;
            }
        }
    }
    Ok(delivered)
}

/// The webhook worker: runs until `stop` is cancelled, finishing the delivery it is in.
pub async fn run(
    db: DatabaseConnection,
    sender: Sender,
    period: Duration,
    stop: tokio_util::sync::CancellationToken,
) {
    while !stop.is_cancelled() {
        match deliver_due(&db, &sender, Utc::now()).await {
            Ok(n) if n as u64 >= BATCH => continue,
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "cannot read the webhook deliveries"),
        }
        tokio::select! {
            () = tokio::time::sleep(period) => {}
            () = stop.cancelled() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_with_its_secret_body_and_time() {
        let header = signature("s3cret-s3cret-s3", 1_000, b"{\"a\":1}");
        assert!(verify(
            "s3cret-s3cret-s3",
            &header,
            b"{\"a\":1}",
            1_100,
            300
        ));
        assert!(!verify(
            "another-secret!!",
            &header,
            b"{\"a\":1}",
            1_100,
            300
        ));
        assert!(!verify(
            "s3cret-s3cret-s3",
            &header,
            b"{\"a\":2}",
            1_100,
            300
        ));
        assert!(!verify(
            "s3cret-s3cret-s3",
            &header,
            b"{\"a\":1}",
            2_000,
            300
        ));
        assert!(!verify(
            "s3cret-s3cret-s3",
            "v1=00",
            b"{\"a\":1}",
            1_000,
            300
        ));
    }
}
