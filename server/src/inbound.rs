//! Incoming mail: parsing a raw RFC 822 message into what the helpdesk needs.
//!
//! The MIME work (multipart, quoted-printable, base64, RFC 2047 words, legacy charsets such as
//! Windows-1251 and KOI8-R) is `mail-parser`'s; this module decides what the helpdesk keeps: the
//! sender, the ticket reference from the subject or the threading headers, the new text without
//! the quoted history, the attachments, and whether the message is an automatic reply that must
//! never create a ticket.

use mail_parser::{MessageParser, MimeHeaders};

/// A parsed incoming message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundMail {
    /// The sender's address, lowercased.
    pub sender: String,
    pub sender_name: Option<String>,
    pub subject: String,
    /// The Message-ID without angle brackets (a hash of the message when it has none).
    pub message_id: String,
    /// The ticket reference from the subject, or from In-Reply-To/References of our own mail.
    pub reference: Option<String>,
    /// The new text of the message: plain text (or HTML turned into text), quoted history cut.
    pub body: String,
    pub attachments: Vec<InboundAttachment>,
    /// An out-of-office or other automatic message (RFC 3834 and common vendor headers).
    pub automatic: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundAttachment {
    pub file_name: String,
    pub content: Vec<u8>,
    /// Inline parts (e.g. an image in an HTML signature) are kept but marked.
    pub inline: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InboundError {
    #[error("the message cannot be parsed as RFC 822")]
    Unparseable,
    #[error("the message has no sender address")]
    NoSender,
}

/// Parses a raw message.
///
/// # Errors
/// [`InboundError`] for a message that is not mail or has no sender.
pub fn parse(raw: &[u8]) -> Result<InboundMail, InboundError> {
    let message = MessageParser::default()
        .parse(raw)
        .ok_or(InboundError::Unparseable)?;
    if message.headers().is_empty() {
        return Err(InboundError::Unparseable);
    }
    let from = message
        .from()
        .and_then(|address| address.first())
        .ok_or(InboundError::NoSender)?;
    let sender = from
        .address()
        .map(|address| address.trim().to_lowercase())
        .filter(|address| address.contains('@'))
        .ok_or(InboundError::NoSender)?;
    let sender_name = from.name().map(str::to_owned);
    let subject = message.subject().unwrap_or("").trim().to_owned();

    let message_id = message
        .message_id()
        .map(|id| id.trim_matches(['<', '>', ' ']).to_owned())
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| {
            use sha2::{Digest, Sha256};
            format!("sha256:{}", hex::encode(Sha256::digest(raw)))
        });

    let mut threading: Vec<String> = Vec::new();
    for value in [message.in_reply_to(), message.references()] {
        if let Some(list) = value.as_text_list() {
            threading.extend(list.iter().map(|id| id.to_string()));
        } else if let Some(id) = value.as_text() {
            threading.push(id.to_owned());
        }
    }
    let reference = crate::mail::reference_in(&subject).or_else(|| {
        threading.iter().find_map(|id| {
            let id = id.trim_matches(['<', '>', ' ']);
            let (local, _) = id.split_once('@')?;
            let digits = local.strip_prefix("RG-")?;
            (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
                .then(|| local.to_owned())
        })
    });

    let text = message
        .body_text(0)
        .map(|text| text.into_owned())
        .unwrap_or_default();
    let body = trim_quoted(&text);

    let mut attachments = Vec::new();
    for part in message.attachments() {
        let inline = part
            .content_disposition()
            .is_some_and(|disposition| disposition.ctype().eq_ignore_ascii_case("inline"));
        let file_name = part
            .attachment_name()
            .map(str::to_owned)
            .unwrap_or_else(|| {
                let subtype = part
                    .content_type()
                    .and_then(|ct| ct.subtype())
                    .unwrap_or("bin");
                format!("attachment-{}.{subtype}", attachments.len() + 1)
            });
        // A forwarded message (message/rfc822) is kept as an attachment of its own.
        attachments.push(InboundAttachment {
            file_name,
            content: part.contents().to_vec(),
            inline,
        });
    }

    let header = |name: &str| {
        message
            .header_raw(name)
            .map(|value| value.trim().to_lowercase())
    };
    let automatic = header("Auto-Submitted").is_some_and(|value| value != "no")
        || header("X-Autoreply").is_some()
        || header("X-Autorespond").is_some()
        || header("X-Auto-Response-Suppress")
            .is_some_and(|value| value.contains("all") || value.contains("oof"))
        || header("Precedence")
            .is_some_and(|value| matches!(value.as_str(), "auto_reply" | "bulk" | "junk" | "list"))
        || header("List-Id").is_some()
        || sender.starts_with("mailer-daemon@")
        || sender.starts_with("postmaster@");

    // Control characters cannot be stored (PostgreSQL refuses a NUL); mail has them removed.
    let strip = crate::text::strip_control;
    let attachments = attachments
        .into_iter()
        .map(|part| InboundAttachment {
            file_name: strip(&part.file_name),
            ..part
        })
        .collect();
    Ok(InboundMail {
        sender: strip(&sender),
        sender_name: sender_name.as_deref().map(strip),
        subject: strip(&subject),
        message_id: strip(&message_id),
        reference: reference.as_deref().map(strip),
        body: strip(&body),
        attachments,
        automatic,
    })
}

/// Cuts the quoted history a mail client appends to a reply: `>` lines and everything after an
/// attribution line ("On … wrote:", "… писал(а):", "-----Original Message-----", an Outlook
/// header block). A forwarded message is kept whole: it is the content.
pub fn trim_quoted(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut kept: Vec<&str> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        let lower = trimmed.to_lowercase();
        if lower.contains("forwarded message") || lower.contains("пересылаемое сообщение")
        {
            kept.extend(&lines[index..]);
            break;
        }
        let attribution = (lower.starts_with("on ") && lower.ends_with("wrote:"))
            || lower.ends_with("писал(а):")
            || lower.ends_with("пишет:")
            || lower.ends_with("написал:")
            || lower.ends_with("написала:")
            || lower.starts_with("-----original message-----")
            || lower.starts_with("-----исходное сообщение-----")
            || ((lower.starts_with("from:") || lower.starts_with("от:"))
                && lines.get(index + 1).is_some_and(|next| {
                    let next = next.trim().to_lowercase();
                    next.starts_with("sent:")
                        || next.starts_with("отправлено:")
                        || next.starts_with("date:")
                        || next.starts_with("дата:")
                        || next.starts_with("to:")
                        || next.starts_with("кому:")
                }));
        if attribution {
            break;
        }
        if trimmed.starts_with('>') {
            continue;
        }
        kept.push(line);
    }
    let joined = kept.join("\n");
    let body = joined.trim();
    if body.is_empty() {
        text.trim().to_owned()
    } else {
        body.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_reply_history_in_english_and_russian() {
        let reply = "Thanks, it works now.\n\nOn Mon, 23 Nov 2026 at 10:00, Support wrote:\n> Try restarting.\n";
        assert_eq!(trim_quoted(reply), "Thanks, it works now.");
        let russian =
            "Спасибо, помогло.\n\n23.11.2026 10:00, Поддержка пишет:\n> Перезапустите службу.";
        assert_eq!(trim_quoted(russian), "Спасибо, помогло.");
        let outlook =
            "Done.\r\n\r\nFrom: Support\r\nSent: Monday\r\nTo: me\r\nSubject: x\r\n\r\nold text";
        assert_eq!(trim_quoted(outlook), "Done.");
        let inline = "> quoted\nmy answer";
        assert_eq!(trim_quoted(inline), "my answer");
    }

    fn fixture(name: &str) -> InboundMail {
        let path = format!("{}/tests/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"));
        let raw = std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
        parse(&raw).unwrap_or_else(|error| panic!("{name}: {error}"))
    }

    /// Each real-world shape of mail: what the helpdesk must get out of it.
    #[test]
    #[allow(clippy::type_complexity)]
    fn parses_real_world_messages() {
        // (file, subject, reference, a phrase the body must contain, attachment names, automatic)
        let cases: &[(&str, &str, Option<&str>, &str, &[&str], bool)] = &[
            (
                "multipart_alternative.eml",
                "[RG-000001] Re: Printer queue stalls",
                Some("RG-000001"),
                "The queue still stalls after the restart.",
                &[],
                false,
            ),
            (
                "html_only.eml",
                "Export fails",
                None,
                "Report export fails with error 500.",
                &[],
                false,
            ),
            (
                "quoted_printable.eml",
                "Модуль отчётов",
                None,
                "Не запускается модуль отчётов после обновления до версии 5.1.",
                &[],
                false,
            ),
            (
                "base64_body.eml",
                "License server down",
                None,
                "Сервер лицензий недоступен с 08:15 по Москве.",
                &[],
                false,
            ),
            (
                "rfc2047_cyrillic.eml",
                "Ошибка при печати накладной",
                None,
                "Прикладываю журнал.",
                &["журнал ошибок.log"],
                false,
            ),
            (
                "windows1251.eml",
                "Не работает обмен",
                None,
                "Обмен с 1С прерывается на третьем шаге.",
                &[],
                false,
            ),
            (
                "koi8r.eml",
                "Сбой",
                None,
                "Служба остановилась ночью.",
                &[],
                false,
            ),
            (
                "inline_image.eml",
                "Screenshot of the error",
                None,
                "See the screenshot:",
                &["screenshot.png"],
                false,
            ),
            (
                "forwarded.eml",
                "Fwd: Branch office problem",
                None,
                "Original problem report from our branch office.",
                &["attachment-1.rfc822"],
                false,
            ),
            (
                "auto_reply.eml",
                "Automatic reply: [RG-000001] Printer",
                Some("RG-000001"),
                "out of the office",
                &[],
                true,
            ),
            (
                "bmp_attachment.eml",
                "Screen capture",
                None,
                "Screen attached.",
                &["screen.bmp"],
                false,
            ),
            (
                "threaded_by_references.eml",
                "Re: your request",
                Some("RG-000002"),
                "Answering without the tag in the subject.",
                &[],
                false,
            ),
        ];
        for (file, subject, reference, phrase, attachments, automatic) in cases {
            let mail = fixture(file);
            assert_eq!(mail.subject, *subject, "{file}: subject");
            assert_eq!(mail.reference.as_deref(), *reference, "{file}: reference");
            assert!(
                mail.body.contains(phrase),
                "{file}: body {:?} lacks {phrase:?}",
                mail.body
            );
            let names: Vec<&str> = mail
                .attachments
                .iter()
                .map(|a| a.file_name.as_str())
                .collect();
            assert_eq!(names, *attachments, "{file}: attachments");
            assert_eq!(mail.automatic, *automatic, "{file}: automatic");
            assert_eq!(mail.sender, "customer@demo.example", "{file}: sender");
        }
    }

    #[test]
    fn the_quoted_history_of_a_reply_is_not_stored() {
        let mail = fixture("multipart_alternative.eml");
        assert!(
            !mail.body.contains("restart the spooler"),
            "{:?}",
            mail.body
        );
        assert_eq!(mail.message_id, "alt-1@mail.demo.example");
    }

    #[test]
    fn an_inline_image_is_marked_inline() {
        let mail = fixture("inline_image.eml");
        assert!(mail.attachments[0].inline);
        assert!(mail.attachments[0].content.starts_with(b"\x89PNG"));
    }

    #[test]
    fn garbage_is_refused() {
        assert_eq!(parse(b"").unwrap_err(), InboundError::Unparseable);
        assert_eq!(
            parse(b"Subject: x\r\n\r\nno sender").unwrap_err(),
            InboundError::NoSender
        );
    }

    #[test]
    fn keeps_a_forwarded_message_whole() {
        let forward = "See below.\n\n---------- Forwarded message ---------\nFrom: user\n> text";
        assert!(trim_quoted(forward).contains("From: user"));
    }
}
