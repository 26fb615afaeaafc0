//! `/admin/accounts`: every account (`?organisation_id=` narrows the list); admins create
//! accounts with a role and an organisation, deactivate them and reset passwords. The server
//! refuses a customer account past the contract's account limit with a 422 on
//! `organisation_id`, shown next to that field.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::api::{NewUser, User, UserWithPassword};
use shared::i18n::Text;
use shared::ticket::Role;

use super::calendars::ZoneList;
use super::{AdminShell, organisation_name, viewer_is_admin};
use crate::api::{self, ApiError};
use crate::components::form::{FieldError, field_message, form_message, get_form, invalid};
use crate::components::layout::ShowWhen;
use crate::components::reactive::{Waiting, transition};
use crate::remote::{Remote, Submit, effect};
use crate::state::session;

/// A role's name in the viewer's language.
pub fn role_text(role: Role) -> Text {
    match role {
        Role::Customer => Text::RoleCustomer,
        Role::AgentL1 => Text::RoleAgentL1,
        Role::AgentL2 => Text::RoleAgentL2,
        Role::Supervisor => Text::RoleSupervisor,
        Role::Admin => Text::RoleAdmin,
    }
}

/// The one-time password the server just made, shown once.
#[derive(Clone, Debug, PartialEq)]
struct Issued {
    text: Text,
    email: String,
    password: String,
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let session = session();
    let query = use_query_map();
    let filter =
        move || query.with(|q| q.get("organisation_id").and_then(|v| v.parse::<i64>().ok()));
    let refresh = RwSignal::new(0u32);
    let data = Remote::new(move || {
        refresh.get();
        let organisation_id = filter();
        async move {
            let users = api::list_users(organisation_id).await?;
            let organisations = api::list_organisations().await.unwrap_or_default();
            Ok::<_, ApiError>((users, organisations))
        }
    });
    let organisations = Signal::derive(move || {
        data.get()
            .and_then(|r| r.ok())
            .map(|(_, o)| o)
            .unwrap_or_default()
    });
    let issued = RwSignal::new(None::<Issued>);
    let row_error = RwSignal::new(None::<(i64, String)>);
    let deactivate = Submit::new(|id: &i64| {
        let id = *id;
        async move { (id, api::deactivate_user(id).await.map(|_| ())) }
    });
    let reset = Submit::new(|id: &i64| {
        let id = *id;
        async move { (id, api::reset_user_password(id).await) }
    });
    effect(move |_| {
        if let Some((id, result)) = deactivate.value() {
            match result {
                Ok(()) => {
                    row_error.set(None);
                    refresh.update(|n| *n += 1);
                }
                Err(error) => row_error.set(Some((id, error.to_string()))),
            }
        }
    });
    effect(move |_| {
        if let Some((id, result)) = reset.value() {
            match result {
                Ok(UserWithPassword { user, password }) => {
                    row_error.set(None);
                    issued.set(Some(Issued {
                        text: Text::PasswordWasReset,
                        email: user.email,
                        password,
                    }));
                }
                Err(error) => row_error.set(Some((id, error.to_string()))),
            }
        }
    });
    view! {
        <AdminShell title=Text::Accounts>
            <ShowWhen when=viewer_is_admin>
                <StaffSecondFactorSetting/>
                <NewAccountForm organisations=organisations preset=filter() refresh=refresh issued=issued/>
            </ShowWhen>
            {move || issued.get().map(|issued| view! {
                <div class="card one-time" role="status">
                    <p><strong>{session.t(issued.text)}</strong>" "{issued.email.clone()}</p>
                    <p>{session.t(Text::OneTimePassword)}": "<code class="password">{issued.password.clone()}</code></p>
                    <p class="help">{session.t(Text::OneTimePasswordHelp)}</p>
                </div>
            })}
            <form method="GET" action="/admin/accounts" class="filters" on:submit=get_form("/admin/accounts")>
                <label for="accounts-filter">{session.text(Text::Organisation)}</label>
                <select id="accounts-filter" name="organisation_id">
                    <option value="">{session.text(Text::AllAccounts)}</option>
                    {move || organisations.get().into_iter().map(|o| view! {
                        <option value=o.id.to_string() selected=filter() == Some(o.id)>{o.name.clone()}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button secondary">{session.text(Text::ApplyFilters)}</button>
            </form>
            {transition(Waiting::Loading, move || data.get().map(|result| match result {
                Err(error) => view! { <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p> }.into_any(),
                Ok((users, _)) if users.is_empty() => view! { <p class="empty">{session.t(Text::NoAccounts)}</p> }.into_any(),
                Ok((users, organisations)) => view! {
                    <table class="list">
                        <caption class="visually-hidden">{session.t(Text::Accounts)}</caption>
                        <thead><tr>
                            <th scope="col">{session.t(Text::Name)}</th>
                            <th scope="col">{session.t(Text::Email)}</th>
                            <th scope="col">{session.t(Text::Role)}</th>
                            <th scope="col">{session.t(Text::Organisation)}</th>
                            <th scope="col">{session.t(Text::Status)}</th>
                            <th scope="col">{session.t(Text::Actions)}</th>
                        </tr></thead>
                        <tbody>
                            {users.into_iter().map(|user| view! { <AccountRow user=user organisations=organisations.clone() deactivate=deactivate reset=reset row_error=row_error/> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }))}
        </AdminShell>
    }
}

#[component]
fn AccountRow(
    user: User,
    organisations: Vec<shared::api::Organisation>,
    deactivate: Submit<i64, (i64, Result<(), ApiError>)>,
    reset: Submit<i64, (i64, Result<UserWithPassword, ApiError>)>,
    row_error: RwSignal<Option<(i64, String)>>,
) -> impl IntoView {
    let session = session();
    let id = user.id;
    let name = user.name.clone();
    let name_for_reset = StoredValue::new(user.name.clone());
    let active = user.active;
    let is_me = session
        .user
        .get_untracked()
        .flatten()
        .is_some_and(|me| me.id == id);
    view! {
        <tr class:inactive=!active>
            <td><strong>{user.name.clone()}</strong></td>
            <td>{user.email.clone()}</td>
            <td>{session.t(role_text(user.role))}</td>
            <td>{user.organisation_id.map(|org| organisation_name(&organisations, org)).unwrap_or_else(|| session.t(Text::Vendor).to_owned())}</td>
            <td>
                <span class=if active { "badge state-running" } else { "badge state-none" }>
                    {session.t(if active { Text::Active } else { Text::Deactivated })}
                </span>
            </td>
            <td class="row-actions">
                <ShowWhen when=viewer_is_admin>
                    <button type="button" class="button secondary small" disabled={move || reset.pending().get()}
                        on:click=move |_| {
                            let question = format!("{} {}?", session.t(Text::ConfirmResetPassword), name_for_reset.get_value());
                            if window().confirm_with_message(&question).unwrap_or(false) {
                                reset.dispatch(id);
                            }
                        }>
                        {session.t(Text::ResetPassword)}<span class="visually-hidden">": "{user.name.clone()}</span>
                    </button>
                    {(active && !is_me).then(|| {
                        let name = name.clone();
                        let label = name.clone();
                        view! {
                            <button type="button" class="button danger small" disabled={move || deactivate.pending().get()}
                                on:click=move |_| {
                                    let question = format!("{} {}?", session.t(Text::ConfirmDeactivate), name);
                                    if window().confirm_with_message(&question).unwrap_or(false) {
                                        deactivate.dispatch(id);
                                    }
                                }>
                                {session.t(Text::Deactivate)}<span class="visually-hidden">": "{label}</span>
                            </button>
                        }
                    })}
                </ShowWhen>
                <p class="field-error" role="alert">{move || row_error.get().filter(|(row, _)| *row == id).map(|(_, message)| message)}</p>
            </td>
        </tr>
    }
}

#[component]
fn NewAccountForm(
    organisations: Signal<Vec<shared::api::Organisation>>,
    preset: Option<i64>,
    refresh: RwSignal<u32>,
    issued: RwSignal<Option<Issued>>,
) -> impl IntoView {
    let session = session();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Customer);
    let organisation = RwSignal::new(preset.map(|id| id.to_string()).unwrap_or_default());
    let locale = RwSignal::new("ru".to_owned());
    let zone = RwSignal::new("Europe/Moscow".to_owned());
    let error = RwSignal::new(None::<ApiError>);
    let create = Submit::new(move |body: &NewUser| {
        let body = body.clone();
        async move { api::create_user(body).await }
    });
    effect(move |_| {
        if let Some(result) = create.value() {
            match result {
                Ok(UserWithPassword { user, password }) => {
                    error.set(None);
                    email.set(String::new());
                    name.set(String::new());
                    issued.set(Some(Issued {
                        text: Text::AccountCreated,
                        email: user.email,
                        password,
                    }));
                    refresh.update(|n| *n += 1);
                }
                Err(failure) => error.set(Some(failure)),
            }
        }
    });
    let customer = move || role.get() == Role::Customer;
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if create.pending().get_untracked() {
            return;
        }
        let organisation_id = if role.get_untracked() == Role::Customer {
            organisation.get_untracked().parse::<i64>().ok()
        } else {
            None
        };
        create.dispatch(NewUser {
            email: email.get_untracked(),
            name: name.get_untracked(),
            role: role.get_untracked(),
            organisation_id,
            locale: Some(locale.get_untracked()),
            time_zone: Some(zone.get_untracked()),
        });
    };
    let message = move |field: &'static str| field_message(error, field);
    const SHOWN: &[&str] = &[
        "email",
        "name",
        "role",
        "organisation_id",
        "locale",
        "time_zone",
    ];
    view! {
        <section class="card editor" aria-labelledby="new-account-title">
            <h2 id="new-account-title">{session.text(Text::NewAccount)}</h2>
            <form on:submit=submit novalidate>
                <div class="field-row">
                    <div class="field grow">
                        <label for="account-name">{session.text(Text::Name)}</label>
                        <input id="account-name" type="text" required autocomplete="off"
                            aria-invalid={move || invalid(message("name")())} aria-describedby="account-name-error"
                            prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                        <FieldError id="account-name-error" message=Signal::derive(message("name"))/>
                    </div>
                    <div class="field grow">
                        <label for="account-email">{session.text(Text::Email)}</label>
                        <input id="account-email" type="email" required autocomplete="off"
                            aria-invalid={move || invalid(message("email")())} aria-describedby="account-email-error"
                            prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
                        <FieldError id="account-email-error" message=Signal::derive(message("email"))/>
                    </div>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="account-role">{session.text(Text::Role)}</label>
                        <select id="account-role" aria-invalid={move || invalid(message("role")())} aria-describedby="account-role-error"
                            on:change=move |ev| {
                                if let Some(chosen) = Role::parse(&event_target_value(&ev)) {
                                    role.set(chosen);
                                }
                            }>
                            {Role::ALL.into_iter().map(|code| view! {
                                <option value=code.as_str() selected={move || role.get() == code}>{move || session.t(role_text(code))}</option>
                            }).collect_view()}
                        </select>
                        <FieldError id="account-role-error" message=Signal::derive(message("role"))/>
                    </div>
                    <div class="field grow">
                        <label for="account-organisation">{session.text(Text::Organisation)}</label>
                        <select id="account-organisation" disabled={move || !customer()}
                            aria-invalid={move || invalid(message("organisation_id")())}
                            aria-describedby="account-organisation-help account-organisation-error"
                            on:change=move |ev| organisation.set(event_target_value(&ev))>
                            <option value="">{move || session.t(if customer() { Text::ChooseOrganisation } else { Text::Vendor })}</option>
                            {move || organisations.get().into_iter().map(|o| {
                                let id = o.id.to_string();
                                let id_for_selected = id.clone();
                                view! { <option value=id selected={move || organisation.get() == id_for_selected}>{o.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                        <p id="account-organisation-help" class="help">{move || session.t(if customer() { Text::AccountLimitApplies } else { Text::StaffHaveNoOrganisation })}</p>
                        <FieldError id="account-organisation-error" message=Signal::derive(message("organisation_id"))/>
                    </div>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="account-locale">{session.text(Text::Language)}</label>
                        <select id="account-locale" on:change=move |ev| locale.set(event_target_value(&ev))>
                            <option value="ru" selected={move || locale.get() == "ru"}>"Русский"</option>
                            <option value="en" selected={move || locale.get() == "en"}>"English"</option>
                        </select>
                    </div>
                    <div class="field grow">
                        <label for="account-zone">{session.text(Text::TimeZone)}</label>
                        <input id="account-zone" type="text" list="zone-list" autocomplete="off"
                            aria-invalid={move || invalid(message("time_zone")())} aria-describedby="account-zone-error"
                            prop:value=zone on:input=move |ev| zone.set(event_target_value(&ev))/>
                        <ZoneList/>
                        <FieldError id="account-zone-error" message=Signal::derive(message("time_zone"))/>
                    </div>
                </div>
                <p class="form-error" role="alert">{form_message(error, SHOWN)}</p>
                <button type="submit" class="button primary" disabled={move || create.pending().get()}>{session.text(Text::CreateAccount)}</button>
            </form>
        </section>
    }
}

/// The admin setting "Require a second factor for all staff", saved as soon as it is switched.
#[component]
fn StaffSecondFactorSetting() -> impl IntoView {
    let session = session();
    let required = RwSignal::new(None::<bool>);
    let error = RwSignal::new(None::<String>);
    leptos::task::spawn_local(async move {
        match api::find_settings().await {
            Ok(settings) => required.set(Some(settings.require_staff_totp)),
            Err(failure) => error.set(Some(failure.to_string())),
        }
    });
    let switch = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        leptos::task::spawn_local(async move {
            let settings = shared::api::AdminSettings {
                require_staff_totp: on,
            };
            match api::update_settings(settings).await {
                Ok(saved) => required.set(Some(saved.require_staff_totp)),
                Err(failure) => error.set(Some(failure.to_string())),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="security-settings">
            <h2 id="security-settings">{session.text(Text::Security)}</h2>
            <div class="field checkbox">
                <label>
                    <input type="checkbox" disabled=move || required.get().is_none()
                        prop:checked=move || required.get().unwrap_or(false) on:change=switch/>
                    {session.text(Text::RequireStaffTwoFactor)}
                </label>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </section>
    }
}
