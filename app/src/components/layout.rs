//! The frame of every page: the header with navigation, the language switch and sign-out.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::i18n::{Locale, Text};

use crate::api;
use crate::state::session;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let session = session();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let _ = api::logout().await;
            session.user.set(Some(None));
            navigate("/sign-in", Default::default());
        });
    };
    let on_language = move |event: leptos::ev::Event| {
        session.set_locale(Locale::from_code(&event_target_value(&event)));
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/">{move || session.t(Text::AppName)}</a>
            <nav class="topnav" aria-label="Main">
                {move || session.user.get().flatten().map(|me| {
                    if me.is_staff() {
                        view! { <a href="/queue">{session.t(Text::Queue)}</a> }.into_any()
                    } else {
                        view! { <a href="/tickets">{session.t(Text::MyTickets)}</a> }.into_any()
                    }
                })}
            </nav>
            <div class="topbar-end">
                <label class="language">
                    <span>{move || session.t(Text::Language)}</span>
                    <select on:change=on_language prop:value=move || session.locale.get().code()>
                        <option value="en">"English"</option>
                        <option value="ru">"Русский"</option>
                    </select>
                </label>
                {move || session.user.get().flatten().map(|me| view! {
                    <span class="who" title=me.email.clone()>{me.name.clone()}</span>
                })}
                <Show when=move || matches!(session.user.get(), Some(Some(_)))>
                    <button type="button" class="button secondary" on:click=sign_out.clone()>
                        {move || session.t(Text::SignOut)}
                    </button>
                </Show>
            </div>
        </header>
        <main class="page">{children()}</main>
    }
}

/// Shows its children to a signed-in user and sends anybody else to the sign-in page.
#[component]
pub fn RequireUser(children: ChildrenFn) -> impl IntoView {
    let session = session();
    move || match session.user.get() {
        None => view! { <p class="loading">{session.t(Text::Loading)}</p> }.into_any(),
        Some(None) => view! { <leptos_router::components::Redirect path="/sign-in"/> }.into_any(),
        Some(Some(_)) => children().into_any(),
    }
}
