//! The Reglament browser app: Leptos, client-side rendered.
//!
//! `App` holds the session context and the router; each page lives in `pages/`, reusable pieces in
//! `components/`, and every call to the server goes through `api`.

pub mod api;
pub mod components;
pub mod pages;
pub mod remote;
pub mod state;

use leptos::prelude::*;
use leptos_router::components::{Redirect, Router};

use crate::components::layout::Layout;
use crate::pages::admin::{
    AdminHome, accounts::AccountsPage, audit::AuditPage, calendars::CalendarsPage,
    contracts::ContractsPage, organisations::OrganisationsPage, plans::PlansPage,
};
use crate::pages::announcements::AnnouncementsPage;
use crate::pages::{
    known_errors::{KnownErrorPage, KnownErrors, NewKnownErrorPage},
    my_tickets::MyTickets,
    new_ticket::NewTicketPage,
    profile::Profile,
    queue::Queue,
    reports::ReportsPage,
    sign_in::SignIn,
    ticket::TicketPage,
};
use crate::remote::effect;
use crate::state::Session;

/// A page: the view of one route.
type Page = fn() -> AnyView;

/// The routes, most specific first: a segment written `:name` matches any one segment, which the
/// page reads with [`route_param`].
const ROUTES: &[(&str, Page)] = &[
    ("/", || Home().into_any()),
    ("/sign-in", || SignIn().into_any()),
    ("/tickets", || MyTickets().into_any()),
    ("/tickets/new", || NewTicketPage().into_any()),
    ("/tickets/:reference", || TicketPage().into_any()),
    ("/queue", || Queue().into_any()),
    ("/known-errors", || KnownErrors().into_any()),
    ("/known-errors/new", || NewKnownErrorPage().into_any()),
    ("/known-errors/:id", || KnownErrorPage().into_any()),
    ("/announcements", || AnnouncementsPage().into_any()),
    ("/reports", || ReportsPage().into_any()),
    ("/admin", || AdminHome().into_any()),
    ("/admin/organisations", || OrganisationsPage().into_any()),
    ("/admin/contracts", || ContractsPage().into_any()),
    ("/admin/accounts", || AccountsPage().into_any()),
    ("/admin/audit", || AuditPage().into_any()),
    ("/admin/calendars", || CalendarsPage().into_any()),
    ("/admin/plans", || PlansPage().into_any()),
    ("/profile", || Profile().into_any()),
];

/// The index in `ROUTES` of the route `path` matches, if any. A trailing slash is ignored.
fn route_index(path: &str) -> Option<usize> {
    let path = match path.strip_suffix('/') {
        Some(trimmed) if !trimmed.is_empty() => trimmed,
        _ => path,
    };
    ROUTES.iter().position(|(pattern, _)| {
        let mut segments = path.split('/');
        let mut wanted = pattern.split('/');
        loop {
            match (wanted.next(), segments.next()) {
                (None, None) => return true,
                (Some(want), Some(got))
                    if want == got || (want.starts_with(':') && !got.is_empty()) => {}
                _ => return false,
            }
        }
    })
}

/// The last segment of the current path, decoded: the `:reference` or `:id` of the page's route.
/// It keeps its value while the path leads elsewhere, so a page about to be replaced never reads
/// another route's segment.
pub fn route_param() -> Memo<String> {
    let location = leptos_router::hooks::use_location();
    let route = location.pathname.with_untracked(|path| route_index(path));
    Memo::new(move |previous: Option<&String>| {
        location.pathname.with(|path| {
            if route_index(path) != route {
                return previous.cloned().unwrap_or_default();
            }
            let last = path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default();
            js_sys::decode_uri_component(last)
                .ok()
                .and_then(|decoded| decoded.as_string())
                .unwrap_or_else(|| last.to_owned())
        })
    })
}

/// The page of the current path, drawn again only when the path leads to another route: a page
/// whose parameter changes follows it through [`route_param`]. One route table and one match
/// instead of leptos_router's `<Routes>`, whose matching is compiled once for every route.
fn pages() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let index = Memo::new(move |_| location.pathname.with(|path| route_index(path)));
    move || match index.get() {
        Some(index) => (ROUTES[index].1)(),
        None => view! { <p class="empty">"Not found"</p> }.into_any(),
    }
}

#[component]
pub fn App() -> impl IntoView {
    let session = Session::new();
    provide_context(session);
    session.start_clock();
    effect(move |_| {
        if matches!(session.user.get(), Some(Some(_))) {
            session.start_live();
        }
    });
    // Who is signed in decides the first page; a 401 means the sign-in page.
    leptos::task::spawn_local(async move {
        let me = api::me().await.ok();
        if let Some(me) = &me {
            session.set_locale(shared::i18n::Locale::from_code(&me.locale));
        }
        session.user.set(Some(me));
    });
    effect(move |_| {
        let code = session.locale.get().code();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", code);
        }
    });

    view! {
        <Router>
            <Layout>
                {pages()}
            </Layout>
        </Router>
    }
}

/// Sends each visitor to the first page of their role.
#[component]
fn Home() -> impl IntoView {
    let session = state::session();
    move || match session.user.get() {
        None => {
            view! { <p class="loading">{session.t(shared::i18n::Text::Loading)}</p> }.into_any()
        }
        Some(None) => view! { <Redirect path="/sign-in"/> }.into_any(),
        Some(Some(me)) if me.is_staff() => view! { <Redirect path="/queue"/> }.into_any(),
        Some(Some(_)) => view! { <Redirect path="/tickets"/> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(path: &str) -> Option<&'static str> {
        route_index(path).map(|index| ROUTES[index].0)
    }

    #[test]
    fn paths_find_the_most_specific_route() {
        assert_eq!(pattern("/"), Some("/"));
        assert_eq!(pattern("/tickets"), Some("/tickets"));
        assert_eq!(pattern("/tickets/"), Some("/tickets"));
        assert_eq!(pattern("/tickets/new"), Some("/tickets/new"));
        assert_eq!(pattern("/tickets/RG-000123"), Some("/tickets/:reference"));
        assert_eq!(pattern("/known-errors/new"), Some("/known-errors/new"));
        assert_eq!(pattern("/known-errors/7"), Some("/known-errors/:id"));
        assert_eq!(pattern("/admin/plans"), Some("/admin/plans"));
        assert_eq!(pattern("/tickets/RG-1/extra"), None);
        assert_eq!(pattern("/admin/unknown"), None);
        assert_eq!(pattern("/ticketsx"), None);
    }
}
