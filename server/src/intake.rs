//! Mail intake: what the helpdesk does with one incoming message, for both the gateway endpoint
//! and `reglament ingest-mail`.
//!
//! [`crate::inbound`] parses; this module applies the rules: a registered active sender, the
//! reference threading into a ticket the sender may see (through the portal's own message path),
//! otherwise a new ticket; one refusal for unknown senders; automatic replies and our own mail
//! never create anything; a Message-ID is ingested once (the `inbound_mail` unique key, written
//! in the same transaction as the action). It must not decide ticket rules itself: those stay in
//! the ticket service (`crate::tickets`) and `shared`.

use chrono::{DateTime, Utc};
use sha2::Digest;
use shared::api::{IngestOutcome, Ingested, NewTicket};
use shared::i18n::Locale;
use shared::ticket::{Category, Status};

use crate::auth::AuthUser;
use crate::db::entity::ticket;
use crate::db::inbound::log_message;
use crate::db::{self, ConnectionTrait, tickets as q};
use crate::error::{Error, Result};
use crate::inbound::{self, InboundMail};
use crate::outbox::{self, RowHeaders};
use crate::state::AppState;
use crate::templates::Template;
use crate::tickets::{self, Command, Request};

/// The longest text kept from one message.
const MAX_TEXT: usize = 100_000;
/// What a ticket registered by mail says for the version the form would have asked for.
const UNKNOWN_VERSION: &str = "not stated (received by e-mail)";
/// How a note held from unauthenticated staff mail begins.
pub const UNVERIFIED_SENDER: &str = "Unverified sender";

/// An accepted attachment whose content is already in the data folder.
#[derive(Clone, Debug)]
pub(crate) struct StoredFile {
    pub(crate) file_name: String,
    pub(crate) content_type: String,
    pub(crate) size: i64,
    pub(crate) sha256: String,
}

/// Where a change came from when it came by mail.
#[derive(Clone, Debug)]
pub(crate) struct EmailOrigin {
    pub(crate) message_id: String,
    pub(crate) sender: String,
    pub(crate) attachments: Vec<StoredFile>,
    /// Refused attachments, one line each: the file name and why.
    pub(crate) refused: Vec<String>,
}

/// How many times a message may fail inside intake before it is given up on.
pub const ATTEMPTS: i32 = 10;

/// Ingests one raw RFC 822 message at `now`. A message that cannot be ingested is kept once
/// among the dead letters (see [`dead_letter`]) rather than offered again for ever.
///
/// # Errors
/// 422 for a message that is not mail or has no sender (dead-lettered at once); a failure
/// inside intake before the message's [`ATTEMPTS`]th (the gateway may retry: nothing was
/// committed); a conflict or rate limit.
pub async fn ingest(state: &AppState, raw: &[u8], now: DateTime<Utc>) -> Result<Ingested> {
    ingest_for(state, raw, now, None).await
}

/// [`ingest`] for a mailbox whose new tickets are about `product_id`.
///
/// # Errors
/// As [`ingest`].
pub async fn ingest_for(
    state: &AppState,
    raw: &[u8],
    now: DateTime<Utc>,
    product_id: Option<i64>,
) -> Result<Ingested> {
    match apply(state, raw, now, product_id).await {
        Ok(ingested) => Ok(ingested),
        Err(error @ (Error::Conflict { .. } | Error::RateLimited(_) | Error::PayloadTooLarge)) => {
            Err(error)
        }
        Err(error) => dead_letter(state, raw, error, now).await,
    }
}

/// Records the failure (`error`) of `raw` once in `dead_letters`: a message that is not mail
/// is dead at once and still refused with its 422; one whose intake failed inside is retried
/// by the gateway (the error is returned) until its [`ATTEMPTS`]th failure, which answers
/// `dead_lettered`, as does every later delivery. If even that cannot be stored, the original
/// error is returned.
async fn dead_letter(
    state: &AppState,
    raw: &[u8],
    error: Error,
    now: DateTime<Utc>,
) -> Result<Ingested> {
    let permanent = matches!(error, Error::Validation(_));
    let reason: String = crate::text::strip_control(&match &error {
        Error::Validation(fields) => fields
            .iter()
            .map(|(field, message)| format!("{field}: {message}"))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    })
    .chars()
    .take(1000)
    .collect();
    let message_id = inbound::parse(raw).ok().map(|mail| {
        crate::text::strip_control(&mail.message_id)
            .chars()
            .take(998)
            .collect::<String>()
    });
    let digest = hex::encode(sha2::Sha256::digest(raw));
    let failure = db::dead_letters::Failure {
        received_at: now,
        reason: &reason,
        digest: &digest,
        message_id: message_id.as_deref(),
        raw,
    };
    let recorded = match db::dead_letters::record_failure(&state.db, failure).await {
        Ok(attempts) if permanent || attempts >= ATTEMPTS => {
            db::dead_letters::mark_dead(&state.db, &digest).await
        }
        Ok(attempts) => {
            tracing::warn!(%reason, attempts, "incoming mail failed; the gateway may retry");
            return Err(error);
        }
        Err(store) => Err(store),
    };
    if let Err(store) = recorded {
        tracing::error!(%store, %reason, "incoming mail could not be dead-lettered either");
        return Err(error);
    }
    tracing::warn!(%reason, "incoming mail dead-lettered");
    if permanent {
        return Err(error);
    }
    Ok(Ingested {
        outcome: IngestOutcome::DeadLettered,
        reference: None,
    })
}

async fn apply(
    state: &AppState,
    raw: &[u8],
    now: DateTime<Utc>,
    product_id: Option<i64>,
) -> Result<Ingested> {
    let mail = inbound::parse(raw).map_err(|error| Error::field("message", error.to_string()))?;
    if let Some(done) = already_ingested(&state.db, &mail.message_id).await? {
        return Ok(done);
    }
    let ours = mail.sender == state.config.mail_from.trim().to_lowercase();
    if mail.automatic || ours {
        tracing::info!(sender = %mail.sender, automatic = mail.automatic, "incoming mail ignored");
        return log_only(state, &mail, IngestOutcome::Ignored, None, now).await;
    }
    let sender = db::find_user_by_email(&state.db, &mail.sender)
        .await?
        .filter(|user| user.active);
    let Some(sender) = sender else {
        // One refusal a day per address at most, so forged senders cannot turn the helpdesk
        // into a source of backscatter.
        let refusal = (!refused_recently(&state.db, &mail.sender, now).await?).then(|| {
            Template::UnknownSender {
                original_subject: &mail.subject,
            }
            .render(guess_locale(&mail))
        });
        return log_only(state, &mail, IngestOutcome::Refused, refusal, now).await;
    };
    let user = AuthUser::try_from(sender)?;
    // Staff speak to customers; a forged `From:` must not let anyone speak as them.
    let verified = user.is_customer() || state.sender_auth.authenticated(raw, &mail.sender).await;
    let origin = store_attachments(state, &mail, verified).await?;
    let mut body = clip(&mail.body, "(no text)");
    if !verified {
        tracing::warn!(sender = %mail.sender, "staff mail without DKIM or SPF pass held as a note");
        body = clip(
            &format!(
                "{UNVERIFIED_SENDER}: this message came by e-mail from {} but its origin could not \
             be verified (no DKIM or SPF pass for the domain), so it is kept as an internal \
             note and was not sent to the customer.{}\n\n{body}",
                mail.sender,
                if mail.attachments.is_empty() {
                    String::new()
                } else {
                    format!(
                        " Its {} attachment(s) were not kept.",
                        mail.attachments.len()
                    )
                }
            ),
            "(no text)",
        );
    }

    if let Some(reference) = &mail.reference {
        let found = q::find_ticket(&state.db, reference).await?;
        if let Ok(found) = tickets::visible(&user, found) {
            match thread(state, &user, &found, &body, origin.clone(), verified).await {
                Ok(()) => {
                    return Ok(Ingested {
                        outcome: IngestOutcome::Threaded,
                        reference: Some(found.reference),
                    });
                }
                Err(error @ (Error::Conflict { .. } | Error::Forbidden(_))) => {
                    if let Some(done) = already_ingested(&state.db, &mail.message_id).await? {
                        return Ok(done);
                    }
                    if !user.is_customer() {
                        tracing::info!(%reference, %error, "staff mail cannot change the ticket");
                        return log_only(state, &mail, IngestOutcome::Ignored, None, now).await;
                    }
                    // A ticket that can no longer take the message (closed beyond the reopen
                    // window): the customer's mail becomes a new request.
                    tracing::info!(%reference, %error, "cannot thread the mail; registering anew");
                }
                Err(error) => return Err(error),
            }
        }
    }
    let Some(organisation_id) = user.organisation_id.filter(|_| user.is_customer()) else {
        // Staff write into existing tickets only; without one there is nothing to do.
        return log_only(state, &mail, IngestOutcome::Ignored, None, now).await;
    };
    let new_ticket = NewTicketMail {
        user: &user,
        organisation_id,
        mail: &mail,
        body: &body,
        product_id,
    };
    create(state, new_ticket, origin, now).await
}

/// The outcome of an earlier ingestion of the same Message-ID, if there was one.
async fn already_ingested(db: &impl ConnectionTrait, message_id: &str) -> Result<Option<Ingested>> {
    let Some(ticket_id) = db::inbound::ingested(db, message_id).await? else {
        return Ok(None);
    };
    let reference = match ticket_id {
        Some(id) => db::ticket_references(db, &[id]).await?.remove(&id),
        None => None,
    };
    Ok(Some(Ingested {
        outcome: IngestOutcome::Duplicate,
        reference,
    }))
}

/// Whether `sender` was refused within the last day.
async fn refused_recently(
    db: &impl ConnectionTrait,
    sender: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(db::inbound::refused_since(db, sender, now - chrono::Duration::days(1)).await?)
}

/// A message that changes no ticket: logged once, with at most one mail back to its sender.
async fn log_only(
    state: &AppState,
    mail: &InboundMail,
    outcome: IngestOutcome,
    reply: Option<crate::templates::Mail>,
    now: DateTime<Utc>,
) -> Result<Ingested> {
    let outcome_name = match outcome {
        IngestOutcome::Refused => "refused",
        _ => "ignored",
    };
    let txn = crate::db::begin(&state.db).await?;
    if !log_message(
        &txn,
        &mail.message_id,
        &mail.sender,
        None,
        outcome_name,
        now,
    )
    .await?
    {
        txn.rollback().await?;
        return Ok(Ingested {
            outcome: IngestOutcome::Duplicate,
            reference: None,
        });
    }
    if let Some(reply) = reply {
        let headers = RowHeaders {
            thread_root: false,
            in_reply_to: Some(format!("<{}>", mail.message_id)),
        };
        outbox::enqueue(&txn, &mail.sender, &reply, None, &headers, now).await?;
    }
    txn.commit().await?;
    Ok(Ingested {
        outcome,
        reference: None,
    })
}

/// Records what came with a mail that changed `ticket`, in the change's transaction: the intake
/// log entry, the accepted attachments (with an event each) and, if the policy refused any, a
/// mail to the sender naming them. Returns false if the Message-ID was already ingested (the
/// caller rolls back).
///
/// # Errors
/// A database failure.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record(
    db: &impl ConnectionTrait,
    origin: &EmailOrigin,
    ticket: &ticket::Model,
    message_id: Option<i64>,
    user: &AuthUser,
    outcome: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    if !log_message(
        db,
        &origin.message_id,
        &origin.sender,
        Some(ticket.id),
        outcome,
        now,
    )
    .await?
    {
        return Ok(false);
    }
    for file in &origin.attachments {
        let created = q::insert_attachment(
            db,
            q::NewAttachment {
                ticket_id: ticket.id,
                message_id,
                uploader_id: Some(user.id),
                file_name: &file.file_name,
                content_type: &file.content_type,
                size: file.size,
                sha256: &file.sha256,
            },
            now,
        )
        .await?;
        q::insert_event(
            db,
            ticket.id,
            "attachment_added",
            Some(user.id),
            now,
            false,
            None,
            serde_json::json!({ "attachment_id": created.id, "file_name": created.file_name, "source": "email" }),
        )
        .await?;
    }
    if !origin.refused.is_empty() {
        let refused = origin.refused.join("\n");
        let reply = Template::AttachmentsRefused {
            reference: &ticket.reference,
            subject: &ticket.subject,
            refused: &refused,
        }
        .render(Locale::from_code(&user.locale));
        let headers = RowHeaders {
            thread_root: false,
            in_reply_to: Some(format!("<{}>", origin.message_id)),
        };
        outbox::enqueue(db, &user.email, &reply, Some(ticket.id), &headers, now).await?;
    }
    Ok(true)
}

/// Adds the message to a ticket the sender may see, as the portal would: a customer's reply
/// (re-arming the next response, ending a wait for the customer), a reopen of a resolved or
/// closed ticket, a staff member's public reply, or — when a staff address's mail is not
/// authenticated — an internal note for staff to review.
async fn thread(
    state: &AppState,
    user: &AuthUser,
    found: &ticket::Model,
    body: &str,
    origin: EmailOrigin,
    verified: bool,
) -> Result<()> {
    let status = q::status_of(found)?;
    let command = if user.is_customer() && matches!(status, Status::Resolved | Status::Closed) {
        Command::reopen(Some(body.to_owned()))
    } else {
        // Mail from a staff address that is not authenticated is kept as an internal note.
        Command::Message {
            body: body.to_owned(),
            internal: !verified,
            minutes: None,
        }
    };
    let request = Request {
        reference: found.reference.clone(),
        expected_version: None,
        command,
        email: Some(origin),
    };
    state.tickets().apply(user, request).await?;
    Ok(())
}

/// Registers a new ticket from the mail (category D, a usage question, until support
/// reclassifies it with the customer's agreement), acknowledged like a portal ticket.
/// A message that registers a new ticket: who sent it, for which organisation, and the
/// product the mailbox it came through is for.
struct NewTicketMail<'a> {
    user: &'a AuthUser,
    organisation_id: i64,
    mail: &'a InboundMail,
    body: &'a str,
    product_id: Option<i64>,
}

async fn create(
    state: &AppState,
    new_ticket: NewTicketMail<'_>,
    origin: EmailOrigin,
    now: DateTime<Utc>,
) -> Result<Ingested> {
    let NewTicketMail {
        user,
        organisation_id,
        mail,
        body,
        product_id,
    } = new_ticket;
    let subject: String = if mail.subject.trim().is_empty() {
        body.lines()
            .find(|line| !line.trim().is_empty())
            .unwrap_or("(no subject)")
            .trim()
            .chars()
            .take(200)
            .collect()
    } else {
        mail.subject.trim().chars().take(200).collect()
    };
    let draft_for = |product_id: Option<i64>| {
        tickets::Draft::try_from(NewTicket {
            subject: subject.clone(),
            description: body.to_owned(),
            steps: None,
            product_version: UNKNOWN_VERSION.to_owned(),
            category: Category::D,
            severity: None,
            special: false,
            requester_id: None,
            channel: Some(shared::ticket::Channel::Email),
            product_id,
            product_fields: Default::default(),
            scheduled_work: None,
            paid: false,
        })
    };
    let draft = draft_for(None)?;
    let plan_version_id = match tickets::plan_version_at(&state.db, organisation_id, now).await {
        Ok(id) => id,
        Err(Error::Forbidden(reason)) => {
            tracing::info!(sender = %mail.sender, %reason, "incoming mail refused");
            return log_only(state, mail, IngestOutcome::Refused, None, now).await;
        }
        Err(error) => return Err(error),
    };
    let plan = q::plan_version(&state.db, plan_version_id).await?;
    // The mailbox's product, unless the product or the plan refuses a ticket that states no
    // version or fields: then the ticket is registered without one rather than lost.
    let draft = match product_id {
        Some(_) => match tickets::place_product(&state.db, &plan, draft_for(product_id)?).await {
            Ok(placed) => placed,
            Err(Error::Validation(fields)) => {
                tracing::info!(
                    ?fields,
                    "the mailbox's product does not fit; registered without"
                );
                draft
            }
            Err(error) => return Err(error),
        },
        None => draft,
    };
    let txn = crate::db::begin(&state.db).await?;
    let tickets::Registered {
        reference,
        ticket: created,
        ..
    } = tickets::register(
        &txn,
        Some(&state.composer),
        user,
        organisation_id,
        &plan,
        draft,
        now,
    )
    .await?;
    if !record(&txn, &origin, &created, None, user, "created", now).await? {
        txn.rollback().await?;
        return Ok(already_ingested(&state.db, &mail.message_id)
            .await?
            .unwrap_or(Ingested {
                outcome: IngestOutcome::Duplicate,
                reference: None,
            }));
    }
    txn.commit().await?;
    Ok(Ingested {
        outcome: IngestOutcome::Created,
        reference: Some(reference),
    })
}

/// Checks each attachment against the policy and stores the accepted ones' content; keeps none
/// of an unverified message.
async fn store_attachments(
    state: &AppState,
    mail: &InboundMail,
    verified: bool,
) -> Result<EmailOrigin> {
    let mut attachments = Vec::new();
    let mut refused = Vec::new();
    for part in mail.attachments.iter().filter(|_| verified) {
        let head = &part.content[..part.content.len().min(64)];
        match shared::attachment::check(&part.file_name, head, part.content.len() as u64) {
            Ok(kind) => {
                let sha256 =
                    crate::files::store_content(&state.config.data_dir, &part.content).await?;
                attachments.push(StoredFile {
                    file_name: part.file_name.chars().take(255).collect(),
                    content_type: kind.mime().to_owned(),
                    size: i64::try_from(part.content.len()).unwrap_or(i64::MAX),
                    sha256,
                });
            }
            Err(error) => refused.push(format!("{}: {error}", part.file_name)),
        }
    }
    Ok(EmailOrigin {
        message_id: mail.message_id.clone(),
        sender: mail.sender.clone(),
        attachments,
        refused,
    })
}

/// The text kept from a message: at most [`MAX_TEXT`] bytes, cut at a character boundary.
fn clip(text: &str, empty: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return empty.to_owned();
    }
    let mut end = text.len().min(MAX_TEXT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// The language to refuse an unknown sender in: Russian if they wrote in Cyrillic.
fn guess_locale(mail: &InboundMail) -> Locale {
    let cyrillic = |text: &str| text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
    if cyrillic(&mail.subject) || cyrillic(&mail.body) {
        Locale::Ru
    } else {
        Locale::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_keeps_whole_characters() {
        let long = "я".repeat(MAX_TEXT);
        let clipped = clip(&long, "-");
        assert!(clipped.len() <= MAX_TEXT);
        assert!(clipped.chars().all(|c| c == 'я'));
        assert_eq!(clip("  \n ", "(no text)"), "(no text)");
    }
}
