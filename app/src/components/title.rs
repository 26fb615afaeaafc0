//! The browser tab's title: the page, or the ticket, and the app's name.

use leptos::prelude::GetUntracked;
use shared::i18n::{Locale, Text};

use crate::state::session;

/// The path's page title, when a path names a page of its own (a ticket's page titles itself).
pub fn page_title(path: &str) -> Option<Text> {
    let page = match path.trim_end_matches('/') {
        "" => return None,
        "/sign-in" => Text::SignIn,
        "/forgot-password" => Text::ForgotPasswordTitle,
        "/reset-password" => Text::ChooseNewPassword,
        "/tickets" => Text::MyTickets,
        "/tickets/new" => Text::NewTicket,
        "/queue" => Text::Queue,
        "/known-errors/new" => Text::NewKnownError,
        "/announcements" => Text::Announcements,
        "/reports" => Text::Reports,
        "/admin/organisations" => Text::Organisations,
        "/admin/contracts" => Text::Contracts,
        "/admin/accounts" => Text::Accounts,
        "/admin/audit" => Text::AuditLog,
        "/admin/calendars" => Text::Calendars,
        "/admin/plans" => Text::Plans,
        "/profile" => Text::Profile,
        other if other.starts_with("/known-errors") => Text::KnownErrors,
        other if other.starts_with("/rate/") => Text::Rate,
        _ => return None,
    };
    Some(page)
}

/// Titles the tab `what — Reglament` in the viewer's language.
pub fn set_title(what: &str) {
    let locale: Locale = session().locale.get_untracked();
    let title = format!("{what} — {}", Text::AppName.get(locale));
    leptos::prelude::document().set_title(&title);
}
