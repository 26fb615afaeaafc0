//! "Admin": organisations, contracts, accounts, the audit log and calendars with a live deadline
//! preview. Supervisors read every page; only admins change anything (the server's rule).

pub mod accounts;
pub mod audit;
pub mod balance;
pub mod calendars;
pub mod contracts;
pub mod mailboxes;
pub mod organisations;
pub mod plans;
pub mod reminders;
pub mod webhooks;

use leptos::prelude::*;
use leptos_router::components::{A, Redirect};
use shared::api::{Contract, Organisation};
use shared::i18n::Text;
use shared::ticket::Role;

use crate::components::layout::{RequireRole, ShowWhen};
use crate::state::session;

/// `/admin`: the first admin page.
#[component]
pub fn AdminHome() -> impl IntoView {
    view! { <Redirect path="/admin/organisations"/> }
}

/// The frame of every admin page: the role check, the sub-navigation and the heading.
#[component]
pub fn AdminShell(title: Text, children: ChildrenFn) -> impl IntoView {
    let session = session();
    let links = [
        ("/admin/organisations", Text::Organisations),
        ("/admin/contracts", Text::Contracts),
        ("/admin/accounts", Text::Accounts),
        ("/admin/audit", Text::AuditLog),
        ("/admin/calendars", Text::Calendars),
        ("/admin/plans", Text::Plans),
        ("/admin/reminders", Text::PasswordReminders),
    ];
    // The integrations are admins' alone: supervisors do not see their links.
    let admin_links = [
        ("/admin/webhooks", Text::Webhooks),
        ("/admin/mailboxes", Text::Mailboxes),
    ];
    view! {
        <RequireRole allow=Role::is_manager>
            <div class="admin">
                <nav class="admin-nav" aria-label=session.text(Text::Administration)>
                    {links.into_iter().map(|(href, text)| view! {
                        <A href=href>{move || session.t(text)}</A>
                    }).collect_view()}
                    <ShowWhen when=viewer_is_admin>
                        {admin_links.into_iter().map(|(href, text)| view! {
                            <A href=href>{move || session.t(text)}</A>
                        }).collect_view()}
                    </ShowWhen>
                </nav>
                <section class="admin-main">
                    <h1>{move || session.t(title)}</h1>
                    <ShowWhen when=move || !viewer_is_admin()>
                        <p class="help read-only-note">{session.text(Text::ReadOnlyForSupervisors)}</p>
                    </ShowWhen>
                    {children()}
                </section>
            </div>
        </RequireRole>
    }
}

/// Whether the viewer is an admin (reactive).
pub fn viewer_is_admin() -> bool {
    session()
        .user
        .get()
        .flatten()
        .is_some_and(|me| me.role.is_admin())
}

/// The name of an organisation by id, for tables that hold only the id.
pub fn organisation_name(organisations: &[Organisation], id: i64) -> String {
    organisations
        .iter()
        .find(|o| o.id == id)
        .map(|o| o.name.clone())
        .unwrap_or_else(|| format!("#{id}"))
}

/// The contract of an organisation in force on `today`.
pub fn contract_in_force(
    contracts: &[Contract],
    organisation_id: i64,
    today: chrono::NaiveDate,
) -> Option<&Contract> {
    contracts
        .iter()
        .filter(|c| {
            c.organisation_id == organisation_id && c.valid_from <= today && today <= c.valid_to
        })
        .max_by_key(|c| c.valid_to)
}

/// The viewer's "today" in their zone.
pub fn today(session: crate::state::Session) -> chrono::NaiveDate {
    let now = session.now.get_untracked();
    match session.zone().parse::<chrono_tz::Tz>() {
        Ok(tz) => now.with_timezone(&tz).date_naive(),
        Err(_) => now.date_naive(),
    }
}

/// The words for an organisation's on-expiry setting.
pub fn on_expiry_text(value: &str) -> Text {
    if value == "block" {
        Text::OnExpiryBlock
    } else {
        Text::OnExpiryUnqualified
    }
}
