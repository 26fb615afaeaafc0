//! "Profile": language, time zone and mail preferences, the password, the second factor and the
//! sessions. An account held for a password change or a second factor sees only that first.

use leptos::prelude::*;
use shared::i18n::{Locale, Text};
use shared::live::{MailPreferences, UpdateProfile};

use crate::api;
use crate::components::layout::RequireUser;
use crate::pages::account::{ChangePassword, SessionList, TwoFactor};
use crate::state::session;

const ZONES: [&str; 12] = [
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "UTC",
];

#[component]
pub fn Profile() -> impl IntoView {
    let session = session();
    let recovery = RwSignal::new(None::<Vec<String>>);
    // Which part shows: redrawn only when the hold changes.
    let hold = Memo::new(move |_| {
        session
            .user
            .get()
            .flatten()
            .map(|me| (me.must_change_password, me.must_enrol_totp))
            .unwrap_or_default()
    });
    view! {
        <RequireUser>
            {move || match hold.get() {
                (true, _) => view! {
                    <p class="notice" role="alert">{session.t(Text::MustChangePassword)}</p>
                    <ChangePassword/>
                }.into_any(),
                (false, true) => view! {
                    <p class="notice" role="alert">{session.t(Text::TwoFactorRequired)}</p>
                    <TwoFactor recovery=recovery/>
                }.into_any(),
                (false, false) => view! {
                    <Preferences/>
                    <ChangePassword/>
                    <TwoFactor recovery=recovery/>
                    <SessionList/>
                }.into_any(),
            }}
        </RequireUser>
    }
}

/// Language, time zone and mail.
#[component]
fn Preferences() -> impl IntoView {
    let session = session();
    let me = session.user.get_untracked().flatten();
    let zone = RwSignal::new(
        me.as_ref()
            .map(|m| m.time_zone.clone())
            .unwrap_or_else(|| "Europe/Moscow".into()),
    );
    let mail = RwSignal::new(true);
    let status = RwSignal::new(None::<String>);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let locale = session.locale.get_untracked();
        // The one switch of this page turns every kind of mail on or off.
        let all_mail = mail.get_untracked();
        let changes = UpdateProfile {
            name: None,
            locale: Some(locale.code().to_owned()),
            time_zone: Some(zone.get_untracked()),
            mail: Some(MailPreferences {
                ticket_updates: all_mail,
                followed_tickets: all_mail,
                sla_alerts: all_mail,
                announcements: all_mail,
            }),
        };
        leptos::task::spawn_local(async move {
            match api::update_profile(changes).await {
                Ok(_) => {
                    session.user.update(|user| {
                        if let Some(Some(me)) = user {
                            me.time_zone = zone.get_untracked();
                            me.locale = locale.code().to_owned();
                        }
                    });
                    status.set(Some(
                        Text::Saved.get(session.locale.get_untracked()).to_owned(),
                    ));
                }
                Err(error) => status.set(Some(error.to_string())),
            }
        });
    };
    view! {
        <section class="card form-page narrow-form">
            <h1>{session.text(Text::Profile)}</h1>
            <form on:submit=save>
                <div class="field">
                    <label for="profile-language">{session.text(Text::Language)}</label>
                    <select id="profile-language" on:change=move |ev| session.set_locale(Locale::from_code(&event_target_value(&ev)))
                        prop:value={move || session.locale.get().code()}>
                        <option value="en">"English"</option>
                        <option value="ru">"Русский"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="profile-zone">{session.text(Text::TimeZone)}</label>
                    <select id="profile-zone" on:change=move |ev| zone.set(event_target_value(&ev)) prop:value=zone>
                        {ZONES.into_iter().map(|z| view! { <option value=z>{z}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field checkbox">
                    <label><input type="checkbox" prop:checked=mail on:change=move |ev| mail.set(event_target_checked(&ev))/>
                        {session.text(Text::MailPreferences)}</label>
                </div>
                <p role="status">{move || status.get()}</p>
                <button type="submit" class="button primary">{session.text(Text::Save)}</button>
            </form>
        </section>
    }
}
