//! Outgoing mail: the outbox worker.
//!
//! Actions write `outbox` rows in their own transaction; this worker delivers them after commit —
//! through SMTP when `RG_SMTP_URL` is set, otherwise as `.eml` files in `<data-dir>/mail/` — and
//! marks them sent. A failure is retried with exponential backoff. On PostgreSQL each instance
//! claims its rows with `FOR UPDATE SKIP LOCKED` and a lease, so two instances never send one
//! row. Over SMTP each message is marked sent as soon as it is sent, so a crash in between
//! re-delivers that one message; files are marked a pass at a time, and a crash re-writes the
//! pass's files under the same names, so the folder never holds a duplicate.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::config::Config;
use crate::db::outbox::DueMail as OutboxRow;
use crate::db::{self, DatabaseConnection, DbErr};
use crate::outbox::RowHeaders;

/// The most rows one pass claims.
pub const BATCH: u64 = 200;
/// How long a claimed row is reserved for the instance that claimed it.
const LEASE: chrono::Duration = chrono::Duration::minutes(5);
/// After this many failed attempts a row is left for an operator (`last_error` says why).
pub const MAX_ATTEMPTS: i32 = 10;

pub enum Transport {
    Files(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    domain: String,
}

impl Mailer {
    /// Builds the mailer the configuration asks for.
    ///
    /// # Errors
    /// A malformed sender address or SMTP URL, or a mail folder that cannot be created.
    pub fn new(config: &Config) -> anyhow::Result<Mailer> {
        let from: Mailbox = format!("Reglament <{}>", config.mail_from)
            .parse()
            .with_context(|| format!("RG_MAIL_FROM: {:?} is not an address", config.mail_from))?;
        let domain = config
            .mail_from
            .rsplit_once('@')
            .map(|(_, domain)| domain.to_owned())
            .unwrap_or_else(|| "reglament.example".to_owned());
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("RG_SMTP_URL: not an SMTP URL such as smtp://user:pass@host:587")?
                    .build(),
            ),
            None => {
                let dir = config.data_dir.join("mail");
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                Transport::Files(dir)
            }
        };
        Ok(Mailer {
            transport,
            from,
            domain,
        })
    }

    /// The stable Message-ID of a ticket's thread: every mail about the ticket refers to it, so
    /// mail clients thread them, and a reply that quotes it threads back into the ticket.
    pub fn thread_id(&self, reference: &str) -> String {
        format!("<{reference}@{}>", self.domain)
    }

    fn compose(&self, row: &OutboxRow) -> anyhow::Result<Message> {
        let to: Mailbox = row
            .to_address
            .parse()
            .with_context(|| format!("{:?} is not an address", row.to_address))?;
        let headers: RowHeaders = serde_json::from_str(&row.headers).unwrap_or_default();
        let reference = reference_in(&row.subject);
        // The acknowledgement opens the ticket's thread; every later mail refers to it, so
        // mail clients group them and a reply to any of them threads back into the ticket.
        let message_id = match &reference {
            Some(reference) if headers.thread_root => self.thread_id(reference),
            _ => format!("<rg-{}@{}>", row.id, self.domain),
        };
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(row.subject.clone())
            .message_id(Some(message_id))
            .header(AutoSubmitted("auto-generated".to_owned()));
        let mut references = Vec::new();
        if let Some(reference) = reference.filter(|_| !headers.thread_root) {
            references.push(self.thread_id(&reference));
        }
        if let Some(incoming) = &headers.in_reply_to {
            references.push(incoming.clone());
        }
        if let Some(last) = references.last() {
            builder = builder
                .in_reply_to(last.clone())
                .references(references.join(" "));
        }
        Ok(builder
            .header(ContentType::TEXT_PLAIN)
            .body(row.body.clone())?)
    }

    /// Composes and delivers each row; the outcomes are in the order of `rows`.
    async fn deliver_all(self: &Arc<Self>, rows: &[OutboxRow]) -> Vec<anyhow::Result<()>> {
        match &self.transport {
            Transport::Smtp(smtp) => {
                let mut outcomes = Vec::with_capacity(rows.len());
                for row in rows {
                    let outcome = match self.compose(row) {
                        Ok(message) => smtp
                            .send(message)
                            .await
                            .map(drop)
                            .context("SMTP delivery failed"),
                        Err(error) => Err(error),
                    };
                    outcomes.push(outcome);
                }
                outcomes
            }
            Transport::Files(dir) => {
                // Composing and writing a pass takes milliseconds: it runs on the blocking
                // pool, in one trip, so no request waits behind it on a runtime thread.
                let mailer = Arc::clone(self);
                let dir = dir.clone();
                let rows = rows.to_vec();
                let count = rows.len();
                tokio::task::spawn_blocking(move || {
                    rows.iter()
                        .map(|row| -> anyhow::Result<()> {
                            let message = mailer.compose(row)?;
                            let path = dir.join(format!("{:08}.eml", row.id));
                            let partial = dir.join(format!(".{:08}.eml.partial", row.id));
                            crate::security::write_private(&partial, &message.formatted())?;
                            std::fs::rename(&partial, &path)?;
                            Ok(())
                        })
                        .collect()
                })
                .await
                .unwrap_or_else(|error| {
                    (0..count)
                        .map(|_| Err(anyhow::anyhow!("the mail writer stopped: {error}")))
                        .collect()
                })
            }
        }
    }
}

/// `Auto-Submitted` (RFC 3834): our mail is automatic, so well-behaved responders do not answer
/// it and our own intake never turns it into a ticket.
#[derive(Clone, Debug)]
struct AutoSubmitted(String);

impl lettre::message::header::Header for AutoSubmitted {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(text: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted(text.to_owned()))
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// The ticket reference in a subject such as `[RG-000123] Reply`, or named bare as in
/// `Re: RG-000123 printer` (then as a word of its own with at least six digits, so that a
/// product code such as `XRG-12` threads nothing). A bracketed reference wins.
pub fn reference_in(subject: &str) -> Option<String> {
    bracketed_reference(subject).or_else(|| bare_reference(subject))
}

fn bracketed_reference(subject: &str) -> Option<String> {
    let start = subject.find("[RG-")?;
    let rest = &subject[start + 1..];
    let end = rest.find(']')?;
    let reference = &rest[..end];
    let digits = reference.strip_prefix("RG-")?;
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())).then(|| reference.to_owned())
}

fn bare_reference(subject: &str) -> Option<String> {
    let word_char = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    subject.match_indices("RG-").find_map(|(start, _)| {
        if subject[..start].chars().next_back().is_some_and(word_char) {
            return None;
        }
        let rest = &subject[start + 3..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let after = rest[digits..].chars().next();
        (digits >= 6 && !after.is_some_and(word_char)).then(|| format!("RG-{}", &rest[..digits]))
    })
}

#[cfg(test)]
mod reference_tests {
    use super::reference_in;

    #[test]
    fn a_reference_threads_with_or_without_brackets() {
        for (subject, reference) in [
            ("[RG-000123] Reply", Some("RG-000123")),
            ("Re: RG-000006 printer", Some("RG-000006")),
            ("RG-000006", Some("RG-000006")),
            ("Re: about RG-000006, again", Some("RG-000006")),
            ("RG-000007 and [RG-000006]", Some("RG-000006")),
            ("XRG-000006 part", None),
            ("RG-0000067a", None),
            ("RG-12 is short", None),
            ("no reference", None),
        ] {
            assert_eq!(reference_in(subject).as_deref(), reference, "{subject}");
        }
    }
}

/// Delivers every due row once; returns how many were sent.
///
/// # Errors
/// A database failure while claiming; delivery failures are recorded on their rows instead.
pub async fn deliver_due(
    db: &DatabaseConnection,
    mailer: &Arc<Mailer>,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let rows = db::outbox::claim(db, now, now + LEASE, MAX_ATTEMPTS, BATCH).await?;
    // Files are marked sent a pass at a time: a crash in between rewrites the same files, so
    // nothing is doubled. Over SMTP a resent message would reach its reader twice, so each is
    // marked as soon as it is sent.
    let marked_every = match mailer.transport {
        Transport::Files(_) => rows.len().max(1),
        Transport::Smtp(_) => 1,
    };
    let mut sent = 0;
    for chunk in rows.chunks(marked_every) {
        sent += deliver_chunk(db, mailer, chunk, now).await?;
    }
    Ok(sent)
}

/// Delivers `rows` and records their outcomes in one write; returns how many were sent.
async fn deliver_chunk(
    db: &DatabaseConnection,
    mailer: &Arc<Mailer>,
    rows: &[OutboxRow],
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let outcomes = mailer.deliver_all(rows).await;
    let mut sent = Vec::with_capacity(rows.len());
    let mut failed = Vec::new();
    for (row, outcome) in rows.iter().zip(outcomes) {
        match outcome {
            Ok(()) => sent.push(row.id),
            Err(error) => {
                let attempts = row.attempts + 1;
                // 1, 2, 4, … minutes after the first, second, third failure; at most a day.
                let backoff = chrono::Duration::minutes(1i64 << (attempts - 1).clamp(0, 11))
                    .min(chrono::Duration::days(1));
                tracing::warn!(
                    outbox_id = row.id,
                    attempts,
                    error = format!("{error:#}"),
                    "mail delivery failed"
                );
                failed.push((row.id, attempts, now + backoff, format!("{error:#}")));
            }
        }
    }
    // One write, which waits its turn like any action's; `rows` is never empty (a chunk).
    let txn = crate::db::begin(db).await?;
    db::outbox::mark_sent(&txn, &sent, Utc::now()).await?;
    for (id, attempts, next_attempt_at, error) in &failed {
        db::outbox::mark_failed(&txn, *id, *attempts, *next_attempt_at, error).await?;
    }
    txn.commit().await?;
    Ok(sent.len())
}

/// The outbox worker: runs until `stop` is cancelled, finishing the pass it is in.
pub async fn run(
    db: DatabaseConnection,
    mailer: Arc<Mailer>,
    period: Duration,
    stop: tokio_util::sync::CancellationToken,
) {
    while !stop.is_cancelled() {
        match deliver_due(&db, &mailer, Utc::now()).await {
            Ok(n) if n as u64 >= BATCH => continue,
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "cannot read the outbox"),
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
    fn finds_the_reference_in_a_subject() {
        assert_eq!(
            reference_in("[RG-000123] Re: printer"),
            Some("RG-000123".into())
        );
        assert_eq!(reference_in("Re: [RG-42] x"), Some("RG-42".into()));
        assert_eq!(reference_in("[RG-] nothing"), None);
        assert_eq!(reference_in("[RG-12a] nothing"), None);
        assert_eq!(reference_in("no reference"), None);
    }
}
