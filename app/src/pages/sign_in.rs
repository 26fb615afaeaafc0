//! The sign-in page.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::api::PublicAnnouncement;
use shared::i18n::{Locale, Text};

use crate::api;
use crate::state::session;

#[component]
pub fn SignIn() -> impl IntoView {
    let session = session();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let navigate = navigate.clone();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::login(email.get_untracked(), password.get_untracked()).await {
                Ok(response) => {
                    let staff = response.user.is_staff();
                    session.set_locale(Locale::from_code(&response.user.locale));
                    session.user.set(Some(Some(response.user)));
                    navigate(
                        if staff { "/queue" } else { "/tickets" },
                        Default::default(),
                    );
                }
                Err(failure) => {
                    error.set(Some(if failure.is_unauthorized() {
                        session.t(Text::SignInFailed).to_owned()
                    } else {
                        failure.to_string()
                    }));
                }
            }
            busy.set(false);
        });
    };

    view! {
        <section class="card narrow sign-in">
            <h1>{session.text(Text::SignInTitle)}</h1>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="email">{session.text(Text::Email)}</label>
                    <input id="email" type="email" autocomplete="username" required
                        prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="password">{session.text(Text::Password)}</label>
                    <input id="password" type="password" autocomplete="current-password" required
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                </div>
                <p class="form-error" role="alert">{move || error.get()}</p>
                <button type="submit" class="button primary" disabled=busy>
                    {session.text(Text::SignIn)}
                </button>
            </form>
            <p class="hint">{session.text(Text::DemoAccounts)}</p>
        </section>
        <PublicAnnouncements/>
    }
}

/// The current announcements marked for the sign-in page, for anybody: an outage or holiday
/// hours are news before signing in too.
#[component]
fn PublicAnnouncements() -> impl IntoView {
    let session = session();
    let notices = RwSignal::new(Vec::<PublicAnnouncement>::new());
    leptos::task::spawn_local(async move {
        if let Ok(list) = api::list_public_announcements().await {
            notices.set(list);
        }
    });
    move || {
        let list = notices.get();
        (!list.is_empty()).then(|| {
            let locale = session.locale.get().code();
            view! {
                <section class="card narrow public-announcements" aria-label=session.t(Text::Announcements)>
                    <h2>{session.t(Text::Announcements)}</h2>
                    {list.into_iter().map(|item| view! {
                        <article>
                            <h3>{item.title}</h3>
                            <p class="body">{item.body}</p>
                            <p class="meta">
                                <time datetime=item.starts_at.to_rfc3339()>{local_time(item.starts_at, locale)}</time>
                                {item.ends_at.map(|end| view! {
                                    " — "<time datetime=end.to_rfc3339()>{local_time(end, locale)}</time>
                                })}
                            </p>
                        </article>
                    }).collect_view()}
                </section>
            }
        })
    }
}

/// `at` as the browser writes a moment in its own zone and `locale`: nobody is signed in, so
/// the visitor's computer knows their zone best (and the zone tables stay out of this page).
fn local_time(at: DateTime<Utc>, locale: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        at.timestamp_millis() as f64
    ));
    String::from(date.to_locale_string(locale, &wasm_bindgen::JsValue::UNDEFINED))
}
