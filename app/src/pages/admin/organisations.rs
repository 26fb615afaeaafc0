//! `/admin/organisations`: every client organisation with its contract in force and accounts;
//! admins create organisations and choose what happens when the contract expires.

use leptos::prelude::*;
use shared::api::NewOrganisation;
use shared::i18n::Text;

use super::{AdminShell, contract_in_force, on_expiry_text, today, viewer_is_admin};
use crate::api::{self, ApiError};
use crate::components::form::{FieldError, field_message, form_message, invalid};
use crate::state::session;

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let session = session();
    let refresh = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        refresh.get();
        async move {
            let organisations = api::list_organisations().await?;
            let contracts = api::list_contracts().await.unwrap_or_default();
            let users = api::list_users(None).await.unwrap_or_default();
            Ok::<_, ApiError>((organisations, contracts, users))
        }
    });
    view! {
        <AdminShell title=Text::Organisations>
            <Show when=viewer_is_admin>
                <NewOrganisationForm refresh=refresh/>
            </Show>
            <Transition fallback=move || view! { <p class="loading">{session.t(Text::Loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Err(error) => view! { <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p> }.into_any(),
                    Ok((organisations, _, _)) if organisations.is_empty() => view! { <p class="empty">{session.t(Text::NoOrganisations)}</p> }.into_any(),
                    Ok((organisations, contracts, users)) => {
                        let today = today(session);
                        view! {
                            <table class="list">
                                <caption class="visually-hidden">{session.t(Text::Organisations)}</caption>
                                <thead><tr>
                                    <th scope="col">{session.t(Text::Name)}</th>
                                    <th scope="col">{session.t(Text::ContractInForce)}</th>
                                    <th scope="col">{session.t(Text::Accounts)}</th>
                                    <th scope="col">{session.t(Text::OnExpiry)}</th>
                                    <th scope="col">{session.t(Text::Actions)}</th>
                                </tr></thead>
                                <tbody>
                                    {organisations.into_iter().map(|organisation| {
                                        let contract = contract_in_force(&contracts, organisation.id, today).cloned();
                                        let active = users.iter().filter(|u| u.organisation_id == Some(organisation.id) && u.active).count();
                                        let limit = contract.as_ref().map(|c| c.account_limit);
                                        view! {
                                            <tr>
                                                <td><strong>{organisation.name.clone()}</strong></td>
                                                <td>{match contract {
                                                    Some(c) => view! { <span>{c.plan.clone()}" · "{session.t(Text::Until)}" "{c.valid_to.to_string()}</span> }.into_any(),
                                                    None => view! { <span class="badge state-breached">{session.t(Text::NoContract)}</span> }.into_any(),
                                                }}</td>
                                                <td>{match limit { Some(limit) => format!("{active} / {limit}"), None => active.to_string() }}</td>
                                                <td>{session.t(on_expiry_text(&organisation.on_expiry))}</td>
                                                <td class="row-actions">
                                                    <a href=format!("/admin/contracts?organisation_id={}", organisation.id)>
                                                        {session.t(Text::Contracts)}<span class="visually-hidden">": "{organisation.name.clone()}</span>
                                                    </a>
                                                    <a href=format!("/admin/accounts?organisation_id={}", organisation.id)>
                                                        {session.t(Text::Accounts)}<span class="visually-hidden">": "{organisation.name.clone()}</span>
                                                    </a>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }
                })}
            </Transition>
        </AdminShell>
    }
}

#[component]
fn NewOrganisationForm(refresh: RwSignal<u32>) -> impl IntoView {
    let session = session();
    let name = RwSignal::new(String::new());
    let on_expiry = RwSignal::new("unqualified".to_owned());
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(false);
    let create = Action::new_unsync(move |_: &()| {
        let body = NewOrganisation {
            name: name.get_untracked(),
            on_expiry: Some(on_expiry.get_untracked()),
        };
        async move { api::create_organisation(body).await }
    });
    Effect::new(move |_| {
        if let Some(result) = create.value().get() {
            match result {
                Ok(_) => {
                    error.set(None);
                    name.set(String::new());
                    notice.set(true);
                    refresh.update(|n| *n += 1);
                }
                Err(failure) => {
                    notice.set(false);
                    error.set(Some(failure));
                }
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if !create.pending().get_untracked() {
            create.dispatch(());
        }
    };
    const SHOWN: &[&str] = &["name", "on_expiry"];
    view! {
        <section class="card editor" aria-labelledby="new-organisation-title">
            <h2 id="new-organisation-title">{move || session.t(Text::NewOrganisation)}</h2>
            <form class="field-row" on:submit=submit novalidate>
                <div class="field grow">
                    <label for="organisation-name">{move || session.t(Text::Name)}</label>
                    <input id="organisation-name" type="text" required maxlength="200"
                        aria-invalid=move || invalid(field_message(error, "name")()) aria-describedby="organisation-name-error"
                        prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                    <FieldError id="organisation-name-error" message=Signal::derive(field_message(error, "name"))/>
                </div>
                <div class="field">
                    <label for="organisation-on-expiry">{move || session.t(Text::OnExpiry)}</label>
                    <select id="organisation-on-expiry" aria-describedby="organisation-on-expiry-help organisation-on-expiry-error"
                        on:change=move |ev| on_expiry.set(event_target_value(&ev))>
                        <option value="unqualified" selected=move || on_expiry.get() == "unqualified">{move || session.t(Text::OnExpiryUnqualified)}</option>
                        <option value="block" selected=move || on_expiry.get() == "block">{move || session.t(Text::OnExpiryBlock)}</option>
                    </select>
                    <p id="organisation-on-expiry-help" class="help">{move || session.t(Text::OnExpiryHelp)}</p>
                    <FieldError id="organisation-on-expiry-error" message=Signal::derive(field_message(error, "on_expiry"))/>
                </div>
                <div class="field end">
                    <button type="submit" class="button primary" disabled=move || create.pending().get()>{move || session.t(Text::CreateOrganisation)}</button>
                </div>
            </form>
            <p class="form-error" role="alert">{form_message(error, SHOWN)}</p>
            <p class="notice" role="status">{move || notice.get().then(|| session.t(Text::Created))}</p>
        </section>
    }
}
