//! The frame of every page: the header with navigation, the language switch and sign-out.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::i18n::{Locale, Text};
use shared::ticket::Role;

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
            <a class="brand" href="/">{session.text(Text::AppName)}</a>
            <nav class="topnav" aria-label=session.text(Text::MainNavigation)>
                {move || session.user.get().flatten().map(|me| {
                    if me.is_staff() {
                        let manager = me.role.is_manager();
                        view! {
                            <A href="/queue">{session.t(Text::Queue)}</A>
                            <A href="/known-errors">{session.t(Text::KnownErrors)}</A>
                            {manager.then(|| view! {
                                <A href="/reports">{session.t(Text::Reports)}</A>
                                <A href="/announcements">{session.t(Text::Announcements)}</A>
                                <A href="/admin">{session.t(Text::Admin)}</A>
                            })}
                            <A href="/profile">{session.t(Text::Profile)}</A>
                        }.into_any()
                    } else {
                        view! {
                            <A href="/tickets" exact=true>{session.t(Text::MyTickets)}</A>
                            <A href="/known-errors">{session.t(Text::KnownErrors)}</A>
                            <A href="/profile">{session.t(Text::Profile)}</A>
                        }.into_any()
                    }
                })}
            </nav>
            <div class="topbar-end">
                <ShowWhen when=move || matches!(session.user.get(), Some(Some(_)))>
                    <span class="live" role="status" data-live={move || session.live.get().to_string()}
                        class:on={move || session.live.get()}>
                        <span class="dot" aria-hidden="true"></span>
                        {move || if session.live.get() { session.t(Text::Live) } else { session.t(Text::Reconnecting) }}
                    </span>
                </ShowWhen>
                <label class="language">
                    <span>{session.text(Text::Language)}</span>
                    <select on:change=on_language prop:value={move || session.locale.get().code()}>
                        <option value="en">"English"</option>
                        <option value="ru">"Русский"</option>
                    </select>
                </label>
                {move || session.user.get().flatten().map(|me| view! {
                    <span class="who" title=me.email.clone()>{me.name.clone()}</span>
                })}
                <ShowWhen when=move || matches!(session.user.get(), Some(Some(_)))>
                    <button type="button" class="button secondary" on:click=sign_out.clone()>
                        {session.text(Text::SignOut)}
                    </button>
                </ShowWhen>
            </div>
        </header>
        <main class="page">{children()}</main>
    }
}

/// Shows its children to a signed-in user whose role passes `allow`; others see why not.
#[component]
pub fn RequireRole(allow: fn(Role) -> bool, children: ChildrenFn) -> impl IntoView {
    let session = session();
    move || match session.user.get() {
        None => view! { <p class="loading">{session.t(Text::Loading)}</p> }.into_any(),
        Some(None) => view! { <leptos_router::components::Redirect path="/sign-in"/> }.into_any(),
        Some(Some(me)) if me.is_held() => {
            view! { <leptos_router::components::Redirect path="/profile"/> }.into_any()
        }
        Some(Some(me)) if allow(me.role) => children().into_any(),
        Some(Some(_)) => {
            view! { <p class="empty" role="alert">{session.t(Text::NotAllowed)}</p> }.into_any()
        }
    }
}

/// Leptos's `<Show>` for the whole app: its children while `when` is true. Every condition
/// becomes one `Signal<bool>` and the children one `ChildrenFn`, so the bundle holds one copy of
/// `<Show>` instead of one for each place it is used.
#[component]
pub fn ShowWhen(#[prop(into)] when: Signal<bool>, children: ChildrenFn) -> impl IntoView {
    view! { <Show when=move || when.get()>{children()}</Show> }
}

/// Shows its children to a signed-in user and sends anybody else to the sign-in page. The
/// children are drawn again only when that changes, not whenever a field of the user does.
#[component]
pub fn RequireUser(children: ChildrenFn) -> impl IntoView {
    let session = session();
    let location = leptos_router::hooks::use_location();
    // 0 loading, 1 nobody, 2 held elsewhere than Profile, 3 signed in.
    let state = Memo::new(move |_| match session.user.get() {
        None => 0u8,
        Some(None) => 1,
        // A held account is sent to its profile, where it changes its password or sets up a
        // second factor first.
        Some(Some(me)) if me.is_held() && location.pathname.get() != "/profile" => 2,
        Some(Some(_)) => 3,
    });
    move || match state.get() {
        0 => view! { <p class="loading">{session.t(Text::Loading)}</p> }.into_any(),
        1 => view! { <leptos_router::components::Redirect path="/sign-in"/> }.into_any(),
        2 => view! { <leptos_router::components::Redirect path="/profile"/> }.into_any(),
        _ => children().into_any(),
    }
}
