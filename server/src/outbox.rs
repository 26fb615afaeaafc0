//! What actions write to the outbox: one rendered mail per recipient, in the recipient's language
//! and time zone, filtered by their mail preferences, inside the action's own transaction —
//! ticket notices and published announcements.
//!
//! This module never sends anything: [`crate::mail`] delivers committed rows. It must not open a
//! transaction either; every function takes the caller's.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use shared::i18n::Locale;
use shared::live::MailPreferences;
use shared::ticket::{HoldKind, Role};

use crate::auth::Keys;
use crate::config::Config;
use crate::db::entity::{announcement, ticket, user};
use crate::db::{self, ConnectionTrait, DbErr};
use crate::templates::{Mail, Template};

/// The purpose a resolution link token carries.
pub const RATING_LINK: &str = "rate";

/// What rendering needs besides the database: the public address for links and the keys that
/// sign the single-use rating links.
#[derive(Clone)]
pub struct Composer {
    pub public_url: String,
    pub keys: Arc<Keys>,
    /// How long a rating link works.
    pub link_days: i64,
}

impl Composer {
    pub fn new(config: &Config, keys: Arc<Keys>) -> Composer {
        Composer {
            public_url: config.public_url.clone(),
            keys,
            link_days: config.reopen_days.max(config.auto_close_days).max(1),
        }
    }

    fn ticket_url(&self, reference: &str) -> String {
        format!("{}/tickets/{reference}", self.public_url)
    }

    fn announcements_url(&self) -> String {
        format!("{}/announcements", self.public_url)
    }

    /// The address of the page behind a rating link.
    pub fn rating_url(&self, token: &str) -> String {
        format!("{}/rate/{token}", self.public_url)
    }
}

/// Headers a row asks the outbox worker to set, stored as JSON in `outbox.headers`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowHeaders {
    /// This mail opens the ticket's thread: its Message-ID is the thread id.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub thread_root: bool,
    /// The incoming message this mail answers (with angle brackets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<String>,
}

/// What happened to a ticket, as mail tells it.
#[derive(Clone, Debug)]
pub enum Notice<'a> {
    /// The acknowledgement: sent to the requester whatever their preferences say.
    Registered {
        sla_level: &'a str,
        first_response_due: Option<DateTime<Utc>>,
    },
    /// A public message or an internal note (the caller picks staff-only recipients for notes).
    Message {
        author: &'a str,
        body: &'a str,
    },
    InformationRequested {
        body: &'a str,
    },
    /// Customers get a signed link to rate or reopen, bound to the ticket `version`, and the
    /// reminder to change temporary passwords that their plan or organisation sets.
    Resolved {
        solution: &'a str,
        version: i32,
        reminder: Option<&'a shared::api::PasswordReminder>,
    },
    Reminder,
    ClosedNoResponse,
    SlaAlert {
        clock: &'a str,
        breached: bool,
        deadline: DateTime<Utc>,
    },
    /// Any other change: the event kind and an optional comment.
    Update {
        kind: &'a str,
        comment: Option<&'a str>,
    },
    /// Put on hold: the kind of reason, the reason and when it resumes by itself.
    OnHold {
        kind: HoldKind,
        reason: &'a str,
        until: Option<DateTime<Utc>>,
    },
    /// Handed to L2: staff read the organisation and the internal comment; customers only
    /// that the second line has it.
    Escalated {
        organisation: &'a str,
        comment: Option<&'a str>,
    },
    /// A change about known error `number` (linked, fixed): its subject carries `[KE-nnnn]`,
    /// for customers only when the known error is published.
    KnownError {
        kind: &'a str,
        number: &'a str,
        published: bool,
        comment: Option<&'a str>,
    },
}

/// What `user` chose to receive by mail (everything, until they choose).
fn preferences_of(user: &user::Model) -> MailPreferences {
    serde_json::from_str(&user.preferences).unwrap_or_default()
}

impl Notice<'_> {
    /// Whether `user` wants this mail about `ticket`. Watchers and followers, who are neither
    /// the requester nor the assignee, are asked through `followed_tickets`.
    fn wanted(&self, user: &user::Model, ticket: &ticket::Model) -> bool {
        let preferences = preferences_of(user);
        match self {
            Notice::Registered { .. } => true,
            Notice::SlaAlert { .. } => preferences.sla_alerts,
            _ if user.id == ticket.requester_id || Some(user.id) == ticket.assignee_id => {
                preferences.ticket_updates
            }
            _ => preferences.followed_tickets,
        }
    }
}

/// An instant in the recipient's time zone, e.g. `24.11.2026 14:00 MSK`.
fn local_time(at: DateTime<Utc>, time_zone: &str) -> String {
    match time_zone.parse::<chrono_tz::Tz>() {
        Ok(zone) => at
            .with_timezone(&zone)
            .format("%d.%m.%Y %H:%M %Z")
            .to_string(),
        Err(_) => at.format("%d.%m.%Y %H:%M UTC").to_string(),
    }
}

/// What an update says, in the recipient's language.
fn describe(kind: &str, reference: &str, locale: Locale) -> String {
    let (en, ru) = match kind {
        "ticket_registered" | "registered" => (
            "A new ticket is registered",
            "Зарегистрировано новое обращение",
        ),
        "take" | "assign" => ("The ticket is assigned", "Назначен исполнитель"),
        "escalate" => (
            "The ticket is escalated to the second line",
            "Обращение передано на вторую линию",
        ),
        "mark_reproduced" => ("The problem is reproduced", "Проблема воспроизведена"),
        "link_known_error" => (
            "The ticket is linked to a known error",
            "Обращение связано с известной ошибкой",
        ),
        "known_error_fixed" => (
            "The known error linked to the ticket is fixed",
            "Известная ошибка, связанная с обращением, исправлена",
        ),
        "reopen" => ("The ticket is reopened", "Обращение открыто снова"),
        "close" | "closed" => ("The ticket is closed", "Обращение закрыто"),
        "expedite" => (
            "The customer asks to expedite the ticket",
            "Клиент просит ускорить работу по обращению",
        ),
        "rate" => (
            "The customer rated the support",
            "Клиент оценил работу поддержки",
        ),
        "reclassification_proposed" => (
            "Support proposes a new classification; accept or reject it in the portal",
            "Поддержка предлагает изменить классификацию; примите или отклоните предложение на портале",
        ),
        "reclassification_accepted" => (
            "The new classification is accepted",
            "Новая классификация принята",
        ),
        "reclassification_rejected" => (
            "The new classification is rejected",
            "Новая классификация отклонена",
        ),
        "resolve" => ("The ticket is resolved", "Обращение решено"),
        "special_set" => (
            "The ticket is handled as a special request: out of turn, round the clock",
            "Обращение обрабатывается как спецобращение: вне очереди и круглосуточно",
        ),
        "special_cleared" => (
            "The ticket is handled as a normal request, not as a special one",
            "Обращение обрабатывается как обычное, а не как спецобращение",
        ),
        "hold" => ("The ticket is on hold", "Обращение отложено"),
        "resume" => (
            "Work on the ticket is resumed",
            "Работа по обращению возобновлена",
        ),
        _ => ("The ticket changed", "Обращение изменено"),
    };
    let text = if locale == Locale::Ru { ru } else { en };
    format!("{reference}: {text}.")
}

/// Writes one row to the outbox.
///
/// # Errors
/// A database failure.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    to_address: &str,
    mail: &Mail,
    ticket_id: Option<i64>,
    headers: &RowHeaders,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = Outgoing {
        to_address: to_address.to_owned(),
        mail: mail.clone(),
        ticket_id,
        headers: headers.clone(),
    };
    enqueue_all(db, &[row], now).await
}

/// One outbox row to write.
pub struct Outgoing {
    pub to_address: String,
    pub mail: Mail,
    pub ticket_id: Option<i64>,
    pub headers: RowHeaders,
}

/// Writes `rows` to the outbox in one statement.
///
/// # Errors
/// A database failure.
pub async fn enqueue_all(
    db: &impl ConnectionTrait,
    rows: &[Outgoing],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut mails = Vec::with_capacity(rows.len());
    for row in rows {
        mails.push(db::outbox::NewMail {
            to_address: &row.to_address,
            subject: &row.mail.subject,
            body: &row.mail.body,
            headers: serde_json::to_string(&row.headers)
                .map_err(|error| DbErr::Custom(error.to_string()))?,
            ticket_id: row.ticket_id,
        });
    }
    db::outbox::insert(db, mails, now).await
}

/// Renders `notice` for one recipient.
///
/// # Errors
/// Only if a rating link cannot be signed.
pub fn render(
    composer: &Composer,
    ticket: &ticket::Model,
    recipient: &user::Model,
    notice: &Notice<'_>,
    now: DateTime<Utc>,
) -> anyhow::Result<Mail> {
    let locale = Locale::from_code(&recipient.locale);
    let reference = ticket.reference.as_str();
    let subject = ticket.subject.as_str();
    let url = composer.ticket_url(reference);
    let mail = match notice {
        Notice::Registered {
            sla_level,
            first_response_due,
        } => {
            let deadline = first_response_due.map(|at| local_time(at, &recipient.time_zone));
            Template::Acknowledgement {
                reference,
                subject,
                sla_level,
                deadline: deadline.as_deref(),
                url: &url,
            }
            .render(locale)
        }
        Notice::Message { author, body } => Template::Reply {
            reference,
            subject,
            author,
            body,
            url: &url,
        }
        .render(locale),
        Notice::InformationRequested { body } => Template::InformationRequested {
            reference,
            subject,
            body,
            url: &url,
        }
        .render(locale),
        Notice::Resolved {
            solution,
            version,
            reminder,
        } if recipient.role == Role::Customer.as_str() => {
            let token = crate::auth::issue_link_token(
                &composer.keys,
                RATING_LINK,
                ticket.id,
                recipient.id,
                *version,
                now + chrono::Duration::days(composer.link_days),
            )?;
            let rate_url = composer.rating_url(&token);
            Template::Resolved {
                reference,
                subject,
                solution,
                rate_url: &rate_url,
                reminder: reminder.map(|reminder| reminder.text(locale)),
            }
            .render(locale)
        }
        Notice::Resolved { solution, .. } => {
            let what = describe("resolve", reference, locale);
            let what = if solution.is_empty() {
                what
            } else {
                format!("{what}\n\n{solution}")
            };
            Template::Update {
                reference,
                subject,
                what: &what,
                url: &url,
            }
            .render(locale)
        }
        Notice::Reminder => Template::Reminder {
            reference,
            subject,
            url: &url,
        }
        .render(locale),
        Notice::ClosedNoResponse if recipient.role == Role::Customer.as_str() => {
            Template::ClosedNoResponse { reference, subject }.render(locale)
        }
        Notice::ClosedNoResponse => Template::Update {
            reference,
            subject,
            what: &describe("close", reference, locale),
            url: &url,
        }
        .render(locale),
        Notice::SlaAlert {
            clock,
            breached,
            deadline,
        } => Template::SlaAlert {
            reference,
            subject,
            clock,
            breached: *breached,
            deadline: &local_time(*deadline, &recipient.time_zone),
            url: &url,
        }
        .render(locale),
        Notice::Update { kind, comment } => {
            update(reference, subject, kind, *comment, &url, locale)
        }
        Notice::OnHold {
            kind,
            reason,
            until,
        } => {
            let until = until.map(|at| local_time(at, &recipient.time_zone));
            Template::OnHold {
                reference,
                subject,
                kind: kind.text().get(locale),
                reason,
                until: until.as_deref(),
                url: &url,
            }
            .render(locale)
        }
        Notice::Escalated { .. } if recipient.role == Role::Customer.as_str() => {
            update(reference, subject, "escalate", None, &url, locale)
        }
        Notice::Escalated {
            organisation,
            comment,
        } => Template::Escalated {
            reference,
            subject,
            organisation,
            comment: comment.unwrap_or_default(),
            url: &url,
        }
        .render(locale),
        Notice::KnownError {
            kind,
            number,
            published,
            comment,
        } => {
            let mut mail = update(reference, subject, kind, *comment, &url, locale);
            if *published || recipient.role != Role::Customer.as_str() {
                mail.subject = format!("[{number}] {}", mail.subject);
            }
            mail
        }
    };
    Ok(mail)
}

/// The mail of an update of `kind` with an optional comment.
fn update(
    reference: &str,
    subject: &str,
    kind: &str,
    comment: Option<&str>,
    url: &str,
    locale: Locale,
) -> Mail {
    let what = describe(kind, reference, locale);
    let what = match comment {
        Some(comment) if !comment.trim().is_empty() => format!("{what}\n\n{comment}"),
        _ => what,
    };
    Template::Update {
        reference,
        subject,
        what: &what,
        url,
    }
    .render(locale)
}

/// Mails `notice` about `ticket` to each of `recipients` (user ids) who is active and wants it.
///
/// # Errors
/// A database failure, or a rating link that cannot be signed (as a database error, so the
/// action rolls back rather than commit without its mail).
pub async fn mail_ticket(
    db: &impl ConnectionTrait,
    composer: &Composer,
    ticket: &ticket::Model,
    recipients: &[i64],
    notice: Notice<'_>,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    if recipients.is_empty() {
        return Ok(0);
    }
    let users = active_users(db, recipients).await?;
    mail_ticket_to(db, composer, ticket, &users, notice, now).await
}

/// The active accounts among `ids`.
///
/// # Errors
/// A database failure.
pub async fn active_users(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<user::Model>, DbErr> {
    db::outbox::active_users(db, Some(ids)).await
}

/// [`mail_ticket`] to accounts already read (and active), in one outbox insert.
///
/// # Errors
/// As [`mail_ticket`].
pub async fn mail_ticket_to(
    db: &impl ConnectionTrait,
    composer: &Composer,
    ticket: &ticket::Model,
    recipients: &[user::Model],
    notice: Notice<'_>,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let rows = ticket_mails(composer, ticket, recipients, &notice, now)?;
    enqueue_all(db, &rows, now).await?;
    Ok(rows.len())
}

/// The outbox rows of `notice` about `ticket` for those of `recipients` who want it.
///
/// # Errors
/// A rating link that cannot be signed (as a database error, so the action rolls back).
pub fn ticket_mails(
    composer: &Composer,
    ticket: &ticket::Model,
    recipients: &[user::Model],
    notice: &Notice<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<Outgoing>, DbErr> {
    let headers = RowHeaders {
        thread_root: matches!(notice, Notice::Registered { .. }),
        in_reply_to: None,
    };
    let mut rows = Vec::new();
    for recipient in recipients {
        if !notice.wanted(recipient, ticket) {
            continue;
        }
        let mail = render(composer, ticket, recipient, notice, now)
            .map_err(|error| DbErr::Custom(format!("cannot render mail: {error:#}")))?;
        rows.push(Outgoing {
            to_address: recipient.email.clone(),
            mail,
            ticket_id: Some(ticket.id),
            headers: headers.clone(),
        });
    }
    Ok(rows)
}

/// Mails a just-published announcement to every active user but its author who takes
/// announcements by mail (`MailPreferences::announcements`), each in their language and zone,
/// inside the caller's transaction. Announcements reach every signed-in user, so every active
/// account is a reader. Returns how many mails were written.
///
/// # Errors
/// A database failure.
pub async fn mail_announcement(
    db: &impl ConnectionTrait,
    composer: &Composer,
    announcement: &announcement::Model,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let readers = db::outbox::active_users(db, None).await?;
    let url = composer.announcements_url();
    let mut written = 0;
    for reader in readers {
        if Some(reader.id) == announcement.created_by || !preferences_of(&reader).announcements {
            continue;
        }
        let ends_at = announcement
            .ends_at
            .map(|at| local_time(at, &reader.time_zone));
        let mail = Template::Announcement {
            kind: &announcement.kind,
            title: &announcement.title,
            body: &announcement.body,
            starts_at: &local_time(announcement.starts_at, &reader.time_zone),
            ends_at: ends_at.as_deref(),
            url: &url,
        }
        .render(Locale::from_code(&reader.locale));
        enqueue(db, &reader.email, &mail, None, &RowHeaders::default(), now).await?;
        written += 1;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_the_recipients_zone() {
        let at = DateTime::parse_from_rfc3339("2026-11-24T11:00:00Z")
            .expect("instant")
            .with_timezone(&Utc);
        assert_eq!(local_time(at, "Europe/Moscow"), "24.11.2026 14:00 MSK");
        assert_eq!(local_time(at, "not/a-zone"), "24.11.2026 11:00 UTC");
    }

    #[test]
    fn updates_are_described_in_both_languages() {
        assert_eq!(
            describe("escalate", "RG-000001", Locale::En),
            "RG-000001: The ticket is escalated to the second line."
        );
        assert!(describe("reopen", "RG-000001", Locale::Ru).contains("открыто снова"));
    }
}
