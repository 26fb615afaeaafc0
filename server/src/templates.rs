//! Mail templates in English and Russian, chosen by the recipient's locale.
//!
//! Each template returns a subject and a plain-text body. A mail about a ticket carries its
//! reference in brackets in the subject, which threads replies back into the ticket. User text
//! is inserted verbatim: the mail is plain text, so nothing needs escaping.

use shared::i18n::Locale;

/// A rendered mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    pub body: String,
}

/// What a mail is about.
#[derive(Clone, Debug)]
pub enum Template<'a> {
    /// The acknowledgement on registration: reference, subject, SLA level, first-response deadline.
    Acknowledgement {
        reference: &'a str,
        subject: &'a str,
        sla_level: &'a str,
        deadline: Option<&'a str>,
        url: &'a str,
    },
    /// A public reply by support.
    Reply {
        reference: &'a str,
        subject: &'a str,
        author: &'a str,
        body: &'a str,
        url: &'a str,
    },
    /// Support asks the customer for information; the clock waits.
    InformationRequested {
        reference: &'a str,
        subject: &'a str,
        body: &'a str,
        url: &'a str,
    },
    /// A reminder after two working days of waiting.
    Reminder {
        reference: &'a str,
        subject: &'a str,
        url: &'a str,
    },
    /// Closed after three working days without the customer's answer.
    ClosedNoResponse {
        reference: &'a str,
        subject: &'a str,
    },
    /// Resolved: with the solution and a signed link to rate or reopen without signing in.
    Resolved {
        reference: &'a str,
        subject: &'a str,
        solution: &'a str,
        rate_url: &'a str,
        /// The reminder to change temporary passwords given to support, if the plan or the
        /// organisation sets one.
        reminder: Option<&'a str>,
    },
    /// Any other change (status, assignee, reclassification proposal, known error fixed …).
    Update {
        reference: &'a str,
        subject: &'a str,
        what: &'a str,
        url: &'a str,
    },
    /// An SLA warning or breach for staff.
    SlaAlert {
        reference: &'a str,
        subject: &'a str,
        clock: &'a str,
        breached: bool,
        deadline: &'a str,
        url: &'a str,
    },
    /// A published announcement (schedule change, holiday hours, outage, information), to the
    /// users who take announcements by mail. It belongs to no ticket, so its subject carries no
    /// reference.
    Announcement {
        /// `schedule`, `holiday`, `outage` or `info`.
        kind: &'a str,
        title: &'a str,
        body: &'a str,
        /// When it takes effect and, if it ends, when it ends, in the recipient's zone.
        starts_at: &'a str,
        ends_at: Option<&'a str>,
        url: &'a str,
    },
    /// A message from an address that is not registered: refused, nothing stored.
    UnknownSender { original_subject: &'a str },
    /// Attachments of an incoming mail that the policy refused.
    AttachmentsRefused {
        reference: &'a str,
        subject: &'a str,
        refused: &'a str,
    },
    /// A single-use link to choose a new password, valid for an hour.
    PasswordReset { url: &'a str },
    /// Put on hold: the kind of reason (in the recipient's language), the reason, and when the
    /// ticket resumes by itself.
    OnHold {
        reference: &'a str,
        subject: &'a str,
        kind: &'a str,
        reason: &'a str,
        until: Option<&'a str>,
        url: &'a str,
    },
    /// Handed to the second line, for its engineers: the organisation and the reference in the
    /// subject, the internal comment in the body.
    Escalated {
        reference: &'a str,
        subject: &'a str,
        organisation: &'a str,
        comment: &'a str,
        url: &'a str,
    },
}

impl Template<'_> {
    /// Renders the template in the recipient's language.
    pub fn render(&self, locale: Locale) -> Mail {
        let ru = locale == Locale::Ru;
        match *self {
            Template::Acknowledgement {
                reference,
                subject,
                sla_level,
                deadline,
                url,
            } => acknowledgement(ru, reference, subject, sla_level, deadline, url),
            Template::Reply {
                reference,
                subject,
                author,
                body,
                url,
            } => reply_mail(ru, reference, subject, author, body, url),
            Template::InformationRequested {
                reference,
                subject,
                body,
                url,
            } => information_requested(ru, reference, subject, body, url),
            Template::Reminder {
                reference,
                subject,
                url,
            } => reminder(ru, reference, subject, url),
            Template::ClosedNoResponse { reference, subject } => {
                closed_no_response(ru, reference, subject)
            }
            Template::Resolved {
                reference,
                subject,
                solution,
                rate_url,
                reminder,
            } => resolved(ru, reference, subject, solution, rate_url, reminder),
            Template::Update {
                reference,
                subject,
                what,
                url,
            } => update_mail(ru, reference, subject, what, url),
            Template::OnHold {
                reference,
                subject,
                kind,
                reason,
                until,
                url,
            } => on_hold(ru, reference, subject, kind, reason, until, url),
            Template::Escalated {
                reference,
                subject,
                organisation,
                comment,
                url,
            } => escalated(ru, reference, subject, organisation, comment, url),
            Template::SlaAlert {
                reference,
                subject,
                clock,
                breached,
                deadline,
                url,
            } => sla_alert(ru, reference, subject, clock, breached, deadline, url),
            Template::Announcement {
                kind,
                title,
                body,
                starts_at,
                ends_at,
                url,
            } => announcement(ru, kind, title, body, starts_at, ends_at, url),
            Template::UnknownSender { original_subject } => unknown_sender(ru, original_subject),
            Template::AttachmentsRefused {
                reference,
                subject,
                refused,
            } => attachments_refused(ru, reference, subject, refused),
            Template::PasswordReset { url } => password_reset(ru, url),
        }
    }
}

/// The mail of [`Template::Acknowledgement`].
fn acknowledgement(
    ru: bool,
    reference: &str,
    subject: &str,
    sla_level: &str,
    deadline: Option<&str>,
    url: &str,
) -> Mail {
    let deadline_line = match (deadline, ru) {
        (Some(deadline), false) => format!("First response due by: {deadline}\n"),
        (Some(deadline), true) => format!("Срок первого ответа: {deadline}\n"),
        (None, false) => "No response time is committed for this request.\n".to_owned(),
        (None, true) => "Для этого обращения срок ответа не установлен.\n".to_owned(),
    };
    if ru {
        Mail {
            subject: format!("[{reference}] Обращение зарегистрировано: {subject}"),
            body: format!(
                "Ваше обращение зарегистрировано под номером {reference}.\n\
                 Уровень обслуживания (SLA): {sla_level}\n{deadline_line}\n\
                 Чтобы дополнить обращение, ответьте на это письмо, не меняя тему,\n\
                 или откройте его на портале: {url}\n"
            ),
        }
    } else {
        Mail {
            subject: format!("[{reference}] Request registered: {subject}"),
            body: format!(
                "Your request is registered as {reference}.\n\
                 Service level (SLA): {sla_level}\n{deadline_line}\n\
                 To add to it, reply to this message without changing the subject,\n\
                 or open it in the portal: {url}\n"
            ),
        }
    }
}

/// The mail of [`Template::Reply`].
fn reply_mail(
    ru: bool,
    reference: &str,
    subject: &str,
    author: &str,
    body: &str,
    url: &str,
) -> Mail {
    if ru {
        Mail {
            subject: format!("[{reference}] Ответ: {subject}"),
            body: format!("{author} пишет:\n\n{body}\n\n— \nОбращение: {url}\n"),
        }
    } else {
        Mail {
            subject: format!("[{reference}] Reply: {subject}"),
            body: format!("{author} wrote:\n\n{body}\n\n-- \nTicket: {url}\n"),
        }
    }
}

/// The mail of [`Template::InformationRequested`].
fn information_requested(ru: bool, reference: &str, subject: &str, body: &str, url: &str) -> Mail {
    if ru {
        Mail {
            subject: format!("[{reference}] Нужна информация: {subject}"),
            body: format!(
                "Для продолжения работы нам нужна информация:\n\n{body}\n\n\
                 Ответьте на это письмо или на портале: {url}\n\
                 Без ответа в течение 3 рабочих дней обращение будет закрыто.\n"
            ),
        }
    } else {
        Mail {
            subject: format!("[{reference}] Information needed: {subject}"),
            body: format!(
                "To continue we need some information:\n\n{body}\n\n\
                 Reply to this message or in the portal: {url}\n\
                 Without an answer within 3 working days the ticket will be closed.\n"
            ),
        }
    }
}

/// The mail of [`Template::Reminder`].
fn reminder(ru: bool, reference: &str, subject: &str, url: &str) -> Mail {
    if ru {
        Mail {
            subject: format!("[{reference}] Напоминание: ждём вашего ответа — {subject}"),
            body: format!(
                "Мы всё ещё ждём вашего ответа по обращению {reference}.\n\
                 Если ответа не будет ещё один рабочий день, обращение будет закрыто.\n{url}\n"
            ),
        }
    } else {
        Mail {
            subject: format!("[{reference}] Reminder: waiting for your reply — {subject}"),
            body: format!(
                "We are still waiting for your answer on {reference}.\n\
                 Without an answer within one more working day the ticket will be closed.\n{url}\n"
            ),
        }
    }
}

/// The mail of [`Template::ClosedNoResponse`].
fn closed_no_response(ru: bool, reference: &str, subject: &str) -> Mail {
    if ru {
        Mail {
            subject: format!("[{reference}] Закрыто без ответа: {subject}"),
            body: format!(
                "Обращение {reference} закрыто: ответа не было 3 рабочих дня.\n\
                 Если вопрос ещё актуален, ответьте на это письмо — обращение откроется снова.\n"
            ),
        }
    } else {
        Mail {
            subject: format!("[{reference}] Closed without response: {subject}"),
            body: format!(
                "{reference} was closed after 3 working days without your answer.\n\
                 If the problem persists, reply to this message to reopen it.\n"
            ),
        }
    }
}

/// The mail of [`Template::Resolved`].
fn resolved(
    ru: bool,
    reference: &str,
    subject: &str,
    solution: &str,
    rate_url: &str,
    reminder: Option<&str>,
) -> Mail {
    let mut mail = if ru {
        Mail {
            subject: format!("[{reference}] Решено: {subject}"),
            body: format!(
                "Обращение {reference} решено.\n\nРешение:\n{solution}\n\n\
                 Оцените работу поддержки или откройте обращение снова\n\
                 (без входа в систему, ссылка одноразовая):\n{rate_url}\n"
            ),
        }
    } else {
        Mail {
            subject: format!("[{reference}] Resolved: {subject}"),
            body: format!(
                "{reference} is resolved.\n\nSolution:\n{solution}\n\n\
                 Rate our support or reopen the ticket\n\
                 (no sign-in needed; the link works once):\n{rate_url}\n"
            ),
        }
    };
    if let Some(reminder) = reminder.filter(|text| !text.trim().is_empty()) {
        mail.body.push('\n');
        mail.body.push_str(reminder.trim());
        mail.body.push('\n');
    }
    mail
}

/// The mail of [`Template::Update`].
fn update_mail(ru: bool, reference: &str, subject: &str, what: &str, url: &str) -> Mail {
    if ru {
        Mail {
            subject: format!("[{reference}] Изменение: {subject}"),
            body: format!("{what}\n\nОбращение: {url}\n"),
        }
    } else {
        Mail {
            subject: format!("[{reference}] Update: {subject}"),
            body: format!("{what}\n\nTicket: {url}\n"),
        }
    }
}

/// The mail of [`Template::SlaAlert`].
fn sla_alert(
    ru: bool,
    reference: &str,
    subject: &str,
    clock: &str,
    breached: bool,
    deadline: &str,
    url: &str,
) -> Mail {
    match (ru, breached) {
        (false, false) => Mail {
            subject: format!("[{reference}] SLA warning ({clock}): {subject}"),
            body: format!("The {clock} deadline of {reference} is near: {deadline}.\n{url}\n"),
        },
        (false, true) => Mail {
            subject: format!("[{reference}] SLA breached ({clock}): {subject}"),
            body: format!("The {clock} deadline of {reference} passed at {deadline}.\n{url}\n"),
        },
        (true, false) => Mail {
            subject: format!("[{reference}] SLA: срок близко ({clock}): {subject}"),
            body: format!("Срок «{clock}» по {reference} истекает: {deadline}.\n{url}\n"),
        },
        (true, true) => Mail {
            subject: format!("[{reference}] SLA нарушен ({clock}): {subject}"),
            body: format!("Срок «{clock}» по {reference} истёк {deadline}.\n{url}\n"),
        },
    }
}

/// The mail of [`Template::Announcement`].
fn announcement(
    ru: bool,
    kind: &str,
    title: &str,
    body: &str,
    starts_at: &str,
    ends_at: Option<&str>,
    url: &str,
) -> Mail {
    let (label_en, label_ru) = match kind {
        "schedule" => ("Schedule change", "Изменение графика работы"),
        "holiday" => ("Holiday hours", "Праздничный график"),
        "outage" => ("Service disruption", "Перебои в работе"),
        _ => ("Announcement", "Объявление"),
    };
    if ru {
        let period = match ends_at {
            Some(ends_at) => format!("Действует с {starts_at} до {ends_at}."),
            None => format!("Действует с {starts_at}."),
        };
        Mail {
            subject: format!("{label_ru}: {title}"),
            body: format!(
                "{title}\n\n{body}\n\n{period}\nВсе объявления: {url}\n\n\
                 Объявления приходят вам по почте; отключить их можно в профиле.\n"
            ),
        }
    } else {
        let period = match ends_at {
            Some(ends_at) => format!("In effect from {starts_at} until {ends_at}."),
            None => format!("In effect from {starts_at}."),
        };
        Mail {
            subject: format!("{label_en}: {title}"),
            body: format!(
                "{title}\n\n{body}\n\n{period}\nAll announcements: {url}\n\n\
                 You get announcements by mail; you can switch them off in your profile.\n"
            ),
        }
    }
}

/// The mail of [`Template::UnknownSender`].
fn unknown_sender(ru: bool, original_subject: &str) -> Mail {
    if ru {
        Mail {
            subject: format!("Обращение не принято: {original_subject}"),
            body: "Ваш адрес не зарегистрирован в службе поддержки, поэтому письмо не \
                   принято.\nОбратитесь к ответственному лицу вашей организации, чтобы \
                   получить учётную запись.\n"
                .to_owned(),
        }
    } else {
        Mail {
            subject: format!("Not accepted: {original_subject}"),
            body: "Your address is not registered with our support service, so this \
                   message was not accepted.\nAsk your organisation's contact person \
                   for an account.\n"
                .to_owned(),
        }
    }
}

/// The mail of [`Template::AttachmentsRefused`].
fn attachments_refused(ru: bool, reference: &str, subject: &str, refused: &str) -> Mail {
    if ru {
        Mail {
            subject: format!("[{reference}] Вложения не приняты: {subject}"),
            body: format!(
                "Сообщение добавлено к обращению {reference}, но эти вложения не приняты:\n\
                 {refused}\nИзображения BMP упакуйте в ZIP; допустимы JPG, GIF, PNG, ZIP, RAR, 7z, PDF, TXT/LOG.\n"
            ),
        }
    } else {
        Mail {
            subject: format!("[{reference}] Attachments refused: {subject}"),
            body: format!(
                "Your message was added to {reference}, but these attachments were refused:\n\
                 {refused}\nZip BMP images; JPG, GIF, PNG, ZIP, RAR, 7z, PDF and TXT/LOG are accepted.\n"
            ),
        }
    }
}

/// The mail of [`Template::PasswordReset`].
fn password_reset(ru: bool, url: &str) -> Mail {
    if ru {
        Mail {
            subject: "Сброс пароля".to_owned(),
            body: format!(
                "Чтобы задать новый пароль, откройте ссылку (она действует час и \
                 только один раз):\n{url}\n\nЕсли вы не просили сбросить пароль, \
                 ничего делать не нужно.\n"
            ),
        }
    } else {
        Mail {
            subject: "Password reset".to_owned(),
            body: format!(
                "To choose a new password, open this link (it works once, within an \
                 hour):\n{url}\n\nIf you did not ask to reset your password, you \
                 need not do anything.\n"
            ),
        }
    }
}

fn on_hold(
    ru: bool,
    reference: &str,
    subject: &str,
    kind: &str,
    reason: &str,
    until: Option<&str>,
    url: &str,
) -> Mail {
    if ru {
        let until = until
            .map(|until| format!("Работа возобновится {until}.\n"))
            .unwrap_or_default();
        Mail {
            subject: format!("[{reference}] Отложено: {subject}"),
            body: format!(
                "Работа по обращению {reference} отложена.\n\
                     Причина: {kind}\n\n{reason}\n\n{until}Обращение: {url}\n"
            ),
        }
    } else {
        let until = until
            .map(|until| format!("Work resumes on {until}.\n"))
            .unwrap_or_default();
        Mail {
            subject: format!("[{reference}] On hold: {subject}"),
            body: format!(
                "Work on {reference} is on hold.\n\
                     Reason: {kind}\n\n{reason}\n\n{until}Ticket: {url}\n"
            ),
        }
    }
}

fn escalated(
    ru: bool,
    reference: &str,
    subject: &str,
    organisation: &str,
    comment: &str,
    url: &str,
) -> Mail {
    if ru {
        Mail {
            subject: format!("[{reference}] L2: {organisation} — {subject}"),
            body: format!(
                "Обращение {reference} организации {organisation} передано на вторую линию.\n\n\
                     {comment}\n\nОбращение: {url}\n"
            ),
        }
    } else {
        Mail {
            subject: format!("[{reference}] L2: {organisation} — {subject}"),
            body: format!(
                "{reference} of {organisation} is escalated to the second line.\n\n\
                     {comment}\n\nTicket: {url}\n"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subject_threads_by_reference_in_both_languages() {
        let templates = [
            Template::Acknowledgement {
                reference: "RG-000123",
                subject: "Printer",
                sla_level: "Standard",
                deadline: Some("24.11.2026 19:00 MSK"),
                url: "http://x/tickets/RG-000123",
            },
            Template::Resolved {
                reference: "RG-000123",
                subject: "Printer",
                solution: "Restarted the spooler",
                rate_url: "http://x/rate/abc",
                reminder: None,
            },
            Template::Reminder {
                reference: "RG-000123",
                subject: "Printer",
                url: "http://x",
            },
        ];
        for template in &templates {
            for locale in [Locale::En, Locale::Ru] {
                let mail = template.render(locale);
                assert!(mail.subject.starts_with("[RG-000123] "), "{}", mail.subject);
                assert_eq!(
                    crate::mail::reference_in(&mail.subject).as_deref(),
                    Some("RG-000123")
                );
            }
        }
    }

    #[test]
    fn announcements_carry_no_reference_and_speak_both_languages() {
        let template = Template::Announcement {
            kind: "holiday",
            title: "New Year hours",
            body: "We answer special requests only.",
            starts_at: "31.12.2026 00:00 MSK",
            ends_at: Some("09.01.2027 00:00 MSK"),
            url: "http://x/announcements",
        };
        let english = template.render(Locale::En);
        assert_eq!(english.subject, "Holiday hours: New Year hours");
        assert!(english.body.contains("We answer special requests only."));
        assert!(
            english
                .body
                .contains("In effect from 31.12.2026 00:00 MSK until 09.01.2027 00:00 MSK.")
        );
        assert_eq!(crate::mail::reference_in(&english.subject), None);
        let russian = template.render(Locale::Ru);
        assert_eq!(russian.subject, "Праздничный график: New Year hours");
        assert!(
            russian
                .body
                .contains("Действует с 31.12.2026 00:00 MSK до 09.01.2027 00:00 MSK.")
        );
    }

    #[test]
    fn the_acknowledgement_names_the_reference_and_the_sla_level() {
        let template = Template::Acknowledgement {
            reference: "RG-000007",
            subject: "Export fails",
            sla_level: "VIP — 3 working hours",
            deadline: Some("24.11.2026 14:00"),
            url: "http://x",
        };
        let english = template.render(Locale::En);
        assert!(
            english.body.contains("RG-000007") && english.body.contains("VIP — 3 working hours")
        );
        let russian = template.render(Locale::Ru);
        assert!(
            russian
                .body
                .contains("Уровень обслуживания (SLA): VIP — 3 working hours")
        );
        assert!(
            russian
                .body
                .contains("Срок первого ответа: 24.11.2026 14:00")
        );
    }
}
