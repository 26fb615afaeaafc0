//! The sign-in page (with the second factor when the account has one), the request of a
//! password-reset link and the page that link opens.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
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
    let code = RwSignal::new(String::new());
    // Shown once the server says the account has a second factor.
    let asks_code = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let navigate = navigate.clone();
        busy.set(true);
        error.set(None);
        let second_factor = Some(code.get_untracked()).filter(|_| asks_code.get_untracked());
        leptos::task::spawn_local(async move {
            match api::login(
                email.get_untracked(),
                password.get_untracked(),
                second_factor,
            )
            .await
            {
                Ok(response) => {
                    let first_page = if response.user.is_held() {
                        "/profile"
                    } else if response.user.is_staff() {
                        "/queue"
                    } else {
                        "/tickets"
                    };
                    session.set_locale(Locale::from_code(&response.user.locale));
                    session.user.set(Some(Some(response.user)));
                    navigate(first_page, Default::default());
                }
                Err(failure) if failure.needs_second_factor() => {
                    let asked = asks_code.get_untracked();
                    asks_code.set(true);
                    error.set(Some(
                        session
                            .t(if asked {
                                Text::SecondFactorWrong
                            } else {
                                Text::SecondFactorPrompt
                            })
                            .to_owned(),
                    ));
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
                <Show when=move || asks_code.get()>
                    <div class="field">
                        <label for="second-factor">{session.text(Text::AuthenticatorCode)}</label>
                        <input id="second-factor" type="text" autocomplete="one-time-code" required
                            prop:value=code on:input=move |ev| code.set(event_target_value(&ev))/>
                    </div>
                </Show>
                <p class="form-error" role="alert">{move || error.get()}</p>
                <button type="submit" class="button primary" disabled=busy>
                    {session.text(Text::SignIn)}
                </button>
            </form>
            <p><A href="/forgot-password">{session.text(Text::ForgotPassword)}</A></p>
            <p class="hint">{session.text(Text::DemoAccounts)}</p>
        </section>
        <PublicAnnouncements/>
    }
}

/// `/forgot-password`: asks for the address and has a link mailed to it.
#[component]
pub fn ForgotPassword() -> impl IntoView {
    let session = session();
    let email = RwSignal::new(String::new());
    let status = RwSignal::new(None::<Result<(), String>>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let sent = api::request_password_reset(email.get_untracked().trim().to_owned()).await;
            status.set(Some(sent.map_err(|error| error.to_string())));
            busy.set(false);
        });
    };
    view! {
        <section class="card narrow sign-in">
            <h1>{session.text(Text::ForgotPasswordTitle)}</h1>
            <p class="hint">{session.text(Text::ForgotPasswordHelp)}</p>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="reset-email">{session.text(Text::Email)}</label>
                    <input id="reset-email" type="email" autocomplete="username" required
                        prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
                </div>
                {move || match status.get() {
                    Some(Ok(())) => view! { <p role="status">{session.t(Text::ResetLinkSent)}</p> }.into_any(),
                    Some(Err(error)) => view! { <p class="form-error" role="alert">{error}</p> }.into_any(),
                    None => ().into_any(),
                }}
                <button type="submit" class="button primary" disabled=busy>
                    {session.text(Text::SendResetLink)}
                </button>
            </form>
            <p><A href="/sign-in">{session.text(Text::BackToSignIn)}</A></p>
        </section>
    }
}

/// `/reset-password?token=…`: the page of the mailed link, which sets a new password.
#[component]
pub fn ResetPassword() -> impl IntoView {
    let session = session();
    let query = use_query_map();
    let password = RwSignal::new(String::new());
    let status = RwSignal::new(None::<Result<(), String>>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let token = query.with_untracked(|query| {
            query
                .get("token")
                .map(|token| token.to_string())
                .unwrap_or_default()
        });
        busy.set(true);
        leptos::task::spawn_local(async move {
            let set = api::confirm_password_reset(token, password.get_untracked()).await;
            status.set(Some(set.map_err(|error| error.to_string())));
            busy.set(false);
        });
    };
    view! {
        <section class="card narrow sign-in">
            <h1>{session.text(Text::ChooseNewPassword)}</h1>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="reset-password">{session.text(Text::NewPassword)}</label>
                    <input id="reset-password" type="password" autocomplete="new-password" required
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                </div>
                {move || match status.get() {
                    Some(Ok(())) => view! { <p role="status">{session.t(Text::PasswordSetSignIn)}</p> }.into_any(),
                    Some(Err(error)) => view! { <p class="form-error" role="alert">{error}</p> }.into_any(),
                    None => ().into_any(),
                }}
                <button type="submit" class="button primary" disabled=busy>
                    {session.text(Text::SetPassword)}
                </button>
            </form>
            <p><A href="/sign-in">{session.text(Text::BackToSignIn)}</A></p>
        </section>
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
