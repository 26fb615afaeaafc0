//! The Reglament browser app: Leptos, client-side rendered.
//!
//! `App` holds the session context and the router; each page lives in `pages/`, reusable pieces in
//! `components/`, and every call to the server goes through `api`.

pub mod api;
pub mod components;
pub mod pages;
pub mod remote;
pub mod screens;
pub mod state;

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{Lazy, path};

use crate::components::layout::Layout;
use crate::pages::admin::AdminHome;
use crate::pages::sign_in::SignIn;
use crate::remote::effect;
use crate::state::Session;

#[component]
pub fn App() -> impl IntoView {
    let session = Session::new();
    provide_context(session);
    session.start_clock();
    effect(move |_| {
        // A held account (a password to change, a second factor to set up) may do nothing else.
        if matches!(session.user.get(), Some(Some(me)) if !me.is_held()) {
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
                <Routes fallback=|| view! { <p class="empty">"Not found"</p> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/sign-in") view=SignIn/>
                    <Route path=path!("/forgot-password") view={Lazy::<screens::ForgotPasswordRoute>::new()}/>
                    <Route path=path!("/reset-password") view={Lazy::<screens::ResetPasswordRoute>::new()}/>
                    <Route path=path!("/tickets") view={Lazy::<screens::MyTicketsRoute>::new()}/>
                    <Route path=path!("/tickets/new") view={Lazy::<screens::NewTicketRoute>::new()}/>
                    <Route path=path!("/tickets/:reference") view={Lazy::<screens::TicketRoute>::new()}/>
                    <Route path=path!("/queue") view={Lazy::<screens::QueueRoute>::new()}/>
                    <Route path=path!("/known-errors") view={Lazy::<screens::KnownErrorsRoute>::new()}/>
                    <Route path=path!("/known-errors/new") view={Lazy::<screens::NewKnownErrorRoute>::new()}/>
                    <Route path=path!("/known-errors/:id") view={Lazy::<screens::KnownErrorRoute>::new()}/>
                    <Route path=path!("/announcements") view={Lazy::<screens::AnnouncementsRoute>::new()}/>
                    <Route path=path!("/reports") view={Lazy::<screens::ReportsRoute>::new()}/>
                    <Route path=path!("/admin") view=AdminHome/>
                    <Route path=path!("/admin/organisations") view={Lazy::<screens::OrganisationsRoute>::new()}/>
                    <Route path=path!("/admin/contracts") view={Lazy::<screens::ContractsRoute>::new()}/>
                    <Route path=path!("/admin/accounts") view={Lazy::<screens::AccountsRoute>::new()}/>
                    <Route path=path!("/admin/audit") view={Lazy::<screens::AuditRoute>::new()}/>
                    <Route path=path!("/admin/calendars") view={Lazy::<screens::CalendarsRoute>::new()}/>
                    <Route path=path!("/admin/plans") view={Lazy::<screens::PlansRoute>::new()}/>
                    <Route path=path!("/admin/webhooks") view={Lazy::<screens::WebhooksRoute>::new()}/>
                    <Route path=path!("/admin/mailboxes") view={Lazy::<screens::MailboxesRoute>::new()}/>
                    <Route path=path!("/admin/reminders") view={Lazy::<screens::PasswordRemindersRoute>::new()}/>
                    <Route path=path!("/profile") view={Lazy::<screens::ProfileRoute>::new()}/>
                    <Route path=path!("/rate/:token") view={Lazy::<screens::RatingLinkRoute>::new()}/>
                </Routes>
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
        Some(Some(me)) if me.is_held() => view! { <Redirect path="/profile"/> }.into_any(),
        Some(Some(me)) if me.is_staff() => view! { <Redirect path="/queue"/> }.into_any(),
        Some(Some(_)) => view! { <Redirect path="/tickets"/> }.into_any(),
    }
}
