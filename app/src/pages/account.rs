//! The account's own security in Profile: its password, its second factor and its sessions.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::api::{Session, TotpEnrolment, TotpRemoval};
use shared::i18n::Text;

use crate::api;
use crate::components::time::format_time;
use crate::state::session;

/// "Change password": the current and a new one; the other sessions end.
#[component]
pub fn ChangePassword() -> impl IntoView {
    let session = session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let status = RwSignal::new(None::<Result<(), api::ApiError>>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        leptos::task::spawn_local(async move {
            let changed = api::change_password(current.get_untracked(), new.get_untracked()).await;
            if changed.is_ok() {
                current.set(String::new());
                new.set(String::new());
                session.user.update(|user| {
                    if let Some(Some(me)) = user {
                        me.must_change_password = false;
                    }
                });
            }
            status.set(Some(changed));
        });
    };
    let field = move |name: &str| {
        status.with(|status| match status {
            Some(Err(error)) => error.field(name),
            _ => None,
        })
    };
    view! {
        <section class="card form-page narrow-form" aria-labelledby="change-password">
            <h2 id="change-password">{session.text(Text::ChangePassword)}</h2>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="current-password">{session.text(Text::CurrentPassword)}</label>
                    <input id="current-password" type="password" autocomplete="current-password"
                        prop:value=current on:input=move |ev| current.set(event_target_value(&ev))/>
                    <p class="field-error">{move || field("current_password")}</p>
                </div>
                <div class="field">
                    <label for="new-password">{session.text(Text::NewPassword)}</label>
                    <input id="new-password" type="password" autocomplete="new-password"
                        prop:value=new on:input=move |ev| new.set(event_target_value(&ev))/>
                    <p class="field-error">{move || field("new_password")}</p>
                </div>
                <p role="status">{move || match status.get() {
                    Some(Ok(())) => Some(session.t(Text::PasswordChanged).to_owned()),
                    Some(Err(error)) if error.body.field.is_none() => Some(error.to_string()),
                    _ => None,
                }}</p>
                <button type="submit" class="button primary">{session.text(Text::ChangePassword)}</button>
            </form>
        </section>
    }
}

/// "Sessions": each open sign-in with "Sign out", and "Sign out everywhere".
#[component]
pub fn SessionList() -> impl IntoView {
    let session = session();
    let navigate = use_navigate();
    let sessions = RwSignal::new(None::<Result<Vec<Session>, String>>);
    let load = move || {
        leptos::task::spawn_local(async move {
            let listed = api::list_sessions().await;
            sessions.set(Some(listed.map_err(|error| error.to_string())));
        });
    };
    load();
    let end = move |id: String| {
        leptos::task::spawn_local(async move {
            if let Err(error) = api::end_session(id).await {
                sessions.set(Some(Err(error.to_string())));
            } else {
                load();
            }
        });
    };
    let everywhere = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            if api::end_all_sessions().await.is_ok() {
                session.user.set(Some(None));
                navigate("/sign-in", Default::default());
            }
        });
    };
    let row = move |item: Session| {
        let zone = session.zone();
        let client = item
            .user_agent
            .clone()
            .unwrap_or_else(|| session.t(Text::UnknownClient).to_owned());
        let id = item.id.clone();
        view! {
            <li class="session">
                <span>{client}</span>" · "<span>{item.ip.clone().unwrap_or_default()}</span>" · "
                <span>{session.t(Text::SignedInAt)}" "{format_time(item.created_at, &zone)}</span>
                {if item.current {
                    view! { <strong>" ("{session.t(Text::ThisSession)}")"</strong> }.into_any()
                } else {
                    view! {
                        <button type="button" class="button" on:click=move |_| end(id.clone())>
                            {session.t(Text::SignOutSession)}
                        </button>
                    }.into_any()
                }}
            </li>
        }
    };
    view! {
        <section class="card form-page narrow-form" aria-labelledby="sessions">
            <h2 id="sessions">{session.text(Text::Sessions)}</h2>
            {move || match sessions.get() {
                None => view! { <p class="loading">{session.t(Text::Loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <p class="form-error" role="alert">{error}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="sessions">{list.into_iter().map(row).collect_view()}</ul>
                }.into_any(),
            }}
            <button type="button" class="button" on:click=everywhere>
                {session.text(Text::SignOutEverywhere)}
            </button>
        </section>
    }
}

/// "Two-factor authentication": set up with a QR code and a code, the recovery codes shown once
/// (kept in `recovery` by the page, so they outlive this section's redrawing), and turning off.
#[component]
pub fn TwoFactor(recovery: RwSignal<Option<Vec<String>>>) -> impl IntoView {
    let session = session();
    let enrolled = move || {
        session
            .user
            .get()
            .flatten()
            .is_some_and(|me| me.totp_enabled)
    };
    view! {
        <section class="card form-page narrow-form" aria-labelledby="two-factor">
            <h2 id="two-factor">{session.text(Text::TwoFactor)}</h2>
            {move || if enrolled() {
                view! {
                    <p>{session.t(Text::TwoFactorOn)}</p>
                    <RecoveryCodeList recovery=recovery/>
                    <TurnOff/>
                }.into_any()
            } else {
                view! {
                    <p>{session.t(Text::TwoFactorOff)}</p>
                    <Enrol recovery=recovery/>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn RecoveryCodeList(recovery: RwSignal<Option<Vec<String>>>) -> impl IntoView {
    let session = session();
    move || {
        recovery.get().map(|codes| {
            view! {
                <h3>{session.t(Text::RecoveryCodes)}</h3>
                <p class="help">{session.t(Text::RecoveryCodesHelp)}</p>
                <ul class="recovery-codes">
                    {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
                </ul>
            }
        })
    }
}

#[component]
fn Enrol(recovery: RwSignal<Option<Vec<String>>>) -> impl IntoView {
    let session = session();
    let enrolment = RwSignal::new(None::<TotpEnrolment>);
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let start = move |_| {
        leptos::task::spawn_local(async move {
            match api::start_totp().await {
                Ok(started) => enrolment.set(Some(started)),
                Err(failure) => error.set(Some(failure.to_string())),
            }
        });
    };
    let confirm = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        leptos::task::spawn_local(async move {
            match api::confirm_totp(code.get_untracked().trim().to_owned()).await {
                Ok(codes) => {
                    recovery.set(Some(codes));
                    session.user.update(|user| {
                        if let Some(Some(me)) = user {
                            me.totp_enabled = true;
                            me.must_enrol_totp = false;
                        }
                    });
                }
                Err(failure) => error.set(Some(failure.to_string())),
            }
        });
    };
    view! {
        {move || match enrolment.get() {
            None => view! {
                <button type="button" class="button primary" on:click=start>
                    {session.t(Text::SetUpTwoFactor)}
                </button>
            }.into_any(),
            Some(started) => view! {
                <p class="help">{session.t(Text::ScanQrCode)}</p>
                <div class="qr-code" inner_html=started.qr_svg></div>
                <p>{session.t(Text::SecretKey)}": "<code class="totp-secret">{started.secret}</code></p>
                <form on:submit=confirm novalidate>
                    <div class="field">
                        <label for="totp-code">{session.t(Text::AuthenticatorCode)}</label>
                        <input id="totp-code" type="text" inputmode="numeric" autocomplete="one-time-code"
                            prop:value=code on:input=move |ev| code.set(event_target_value(&ev))/>
                    </div>
                    <button type="submit" class="button primary">{session.t(Text::Confirm)}</button>
                </form>
            }.into_any(),
        }}
        <p class="form-error" role="alert">{move || error.get()}</p>
    }
}

#[component]
fn TurnOff() -> impl IntoView {
    let session = session();
    let proof = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let given = proof.get_untracked().trim().to_owned();
        // Six digits or a recovery code are a code; anything else is taken as the password.
        let looks_like_code = given.len() == 6 && given.bytes().all(|b| b.is_ascii_digit())
            || given.len() == 11 && given.as_bytes().get(5) == Some(&b'-');
        let removal = if looks_like_code {
            TotpRemoval {
                code: Some(given),
                password: None,
            }
        } else {
            TotpRemoval {
                code: None,
                password: Some(given),
            }
        };
        leptos::task::spawn_local(async move {
            match api::remove_totp(removal).await {
                Ok(()) => session.user.update(|user| {
                    if let Some(Some(me)) = user {
                        me.totp_enabled = false;
                    }
                }),
                Err(failure) => error.set(Some(failure.to_string())),
            }
        });
    };
    view! {
        <form on:submit=submit novalidate>
            <div class="field">
                <label for="totp-off">{session.t(Text::TwoFactorCodeOrPassword)}</label>
                <input id="totp-off" type="password" autocomplete="off"
                    prop:value=proof on:input=move |ev| proof.set(event_target_value(&ev))/>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <button type="submit" class="button">{session.t(Text::TurnOffTwoFactor)}</button>
        </form>
    }
}
