//! `/admin/organisations`: every client organisation with its contract in force and accounts;
//! admins create organisations, choose what happens when the contract expires, and choose the
//! watchers of an organisation (`?watchers=<id>` opens that editor); `?balance=<id>` shows an
//! organisation's prepaid balance for paid work with its history.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::api::{NewOrganisation, Organisation, User};
use shared::i18n::Text;
use shared::ticket::Role;

use super::accounts::role_text;
use super::balance::BalanceEditor;
use super::{AdminShell, contract_in_force, on_expiry_text, today, viewer_is_admin};
use crate::api::{self, ApiError};
use crate::components::form::{FieldError, field_message, form_message, invalid};
use crate::components::layout::ShowWhen;
use crate::components::reactive::{Waiting, transition};
use crate::remote::{Remote, Submit, effect};
use crate::state::session;

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let session = session();
    let query = use_query_map();
    let watching = move || query.with(|q| q.get("watchers").and_then(|v| v.parse::<i64>().ok()));
    let balance_of = move || query.with(|q| q.get("balance").and_then(|v| v.parse::<i64>().ok()));
    let refresh = RwSignal::new(0u32);
    let data = Remote::new(move || {
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
            <ShowWhen when=viewer_is_admin>
                <NewOrganisationForm refresh=refresh/>
            </ShowWhen>
            {transition(Waiting::Loading, move || data.get().map(|result| match result {
                Err(error) => view! { <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p> }.into_any(),
                Ok((organisations, _, _)) if organisations.is_empty() => view! { <p class="empty">{session.t(Text::NoOrganisations)}</p> }.into_any(),
                Ok((organisations, contracts, users)) => {
                    let today = today(session);
                    let editor_organisations = organisations.clone();
                    let editor_users = users.clone();
                    let balance_organisations = organisations.clone();
                    let balance = move || {
                        let organisation = balance_organisations.iter().find(|o| Some(o.id) == balance_of())?.clone();
                        Some(view! { <BalanceEditor organisation=organisation/> })
                    };
                    let editor = move || {
                        let organisation = editor_organisations.iter().find(|o| Some(o.id) == watching())?.clone();
                        Some(view! { <WatchersEditor organisation=organisation users=editor_users.clone()/> })
                    };
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
                                                <a href=format!("/admin/organisations?watchers={}", organisation.id)>
                                                    {session.t(Text::Watchers)}<span class="visually-hidden">": "{organisation.name.clone()}</span>
                                                </a>
                                                <a href=format!("/admin/organisations?balance={}", organisation.id)>
                                                    {session.t(Text::PrepaidBalance)}<span class="visually-hidden">": "{organisation.name.clone()}</span>
                                                </a>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        {editor}
                        {balance}
                    }.into_any()
                }
            }))}
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
    let create = Submit::new(move |_: &()| {
        let body = NewOrganisation {
            name: name.get_untracked(),
            on_expiry: Some(on_expiry.get_untracked()),
        };
        async move { api::create_organisation(body).await }
    });
    effect(move |_| {
        if let Some(result) = create.value() {
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
            <h2 id="new-organisation-title">{session.text(Text::NewOrganisation)}</h2>
            <form class="field-row" on:submit=submit novalidate>
                <div class="field grow">
                    <label for="organisation-name">{session.text(Text::Name)}</label>
                    <input id="organisation-name" type="text" required maxlength="200"
                        aria-invalid={move || invalid(field_message(error, "name")())} aria-describedby="organisation-name-error"
                        prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                    <FieldError id="organisation-name-error" message=Signal::derive(field_message(error, "name"))/>
                </div>
                <div class="field">
                    <label for="organisation-on-expiry">{session.text(Text::OnExpiry)}</label>
                    <select id="organisation-on-expiry" aria-describedby="organisation-on-expiry-help organisation-on-expiry-error"
                        on:change=move |ev| on_expiry.set(event_target_value(&ev))>
                        <option value="unqualified" selected={move || on_expiry.get() == "unqualified"}>{session.text(Text::OnExpiryUnqualified)}</option>
                        <option value="block" selected={move || on_expiry.get() == "block"}>{session.text(Text::OnExpiryBlock)}</option>
                    </select>
                    <p id="organisation-on-expiry-help" class="help">{session.text(Text::OnExpiryHelp)}</p>
                    <FieldError id="organisation-on-expiry-error" message=Signal::derive(field_message(error, "on_expiry"))/>
                </div>
                <div class="field end">
                    <button type="submit" class="button primary" disabled={move || create.pending().get()}>{session.text(Text::CreateOrganisation)}</button>
                </div>
            </form>
            <p class="form-error" role="alert">{form_message(error, SHOWN)}</p>
            <p class="notice" role="status">{move || notice.get().then(|| session.t(Text::Created))}</p>
        </section>
    }
}

/// The watchers of one organisation: its own active accounts and the active support staff, each
/// a labelled checkbox; saving sends the whole set. Supervisors see it read-only.
#[component]
fn WatchersEditor(organisation: Organisation, users: Vec<User>) -> impl IntoView {
    let session = session();
    let organisation_id = organisation.id;
    let customers: Vec<User> = users
        .iter()
        .filter(|u| {
            u.active && u.role == Role::Customer && u.organisation_id == Some(organisation_id)
        })
        .cloned()
        .collect();
    let staff: Vec<User> = users
        .iter()
        .filter(|u| u.active && u.role != Role::Customer)
        .cloned()
        .collect();
    // A watcher deactivated since is not offered again: saving drops them, as the server asks.
    let eligible = id_set(customers.iter().chain(&staff).map(|u| u.id));
    let selected = RwSignal::new(Vec::<i64>::new());
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let current = Remote::new(move || api::list_watchers(organisation_id));
    effect(move |_| match current.get() {
        Some(Ok(list)) => selected.set(id_set(
            list.watchers
                .iter()
                .map(|u| u.id)
                .filter(|id| eligible.binary_search(id).is_ok()),
        )),
        Some(Err(failure)) => error.set(Some(failure)),
        None => {}
    });
    let save = Submit::new(move |user_ids: &Vec<i64>| {
        let user_ids = user_ids.clone();
        async move { api::update_watchers(organisation_id, user_ids).await }
    });
    effect(move |_| {
        if let Some(result) = save.value() {
            match result {
                Ok(list) => {
                    error.set(None);
                    selected.set(id_set(list.watchers.iter().map(|u| u.id)));
                    saved.set(true);
                }
                Err(failure) => {
                    saved.set(false);
                    error.set(Some(failure));
                }
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if !save.pending().get_untracked() {
            saved.set(false);
            save.dispatch(selected.get_untracked());
        }
    };
    const SHOWN: &[&str] = &["user_ids"];
    view! {
        <section class="card editor" aria-labelledby="watchers-title">
            <h2 id="watchers-title">{session.text(Text::WatchersOf)}" "{organisation.name.clone()}</h2>
            <p id="watchers-help" class="help">{session.text(Text::WatchersHelp)}</p>
            <form on:submit=submit novalidate aria-describedby="watchers-help watchers-error">
                <WatcherChoices legend=Text::OrganisationAccounts users=customers selected=selected/>
                <WatcherChoices legend=Text::StaffAccounts users=staff selected=selected/>
                <FieldError id="watchers-error" message=Signal::derive(field_message(error, "user_ids"))/>
                <ShowWhen when=viewer_is_admin>
                    <div class="actions">
                        <button type="submit" class="button primary" disabled={move || save.pending().get()}>{session.text(Text::SaveWatchers)}</button>
                    </div>
                </ShowWhen>
            </form>
            <p class="form-error" role="alert">{form_message(error, SHOWN)}</p>
            <p class="notice" role="status">{move || saved.get().then(|| session.t(Text::Saved))}</p>
        </section>
    }
}

/// A set of account ids as a sorted vector without repeats. The sets are small (one
/// organisation's accounts and the staff), and the vector's operations are those every other
/// `Vec<i64>` of the app already compiles, where a `BTreeSet` would bring its own tree code.
fn id_set(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut set = Vec::new();
    for id in ids {
        if let Err(at) = set.binary_search(&id) {
            set.insert(at, id);
        }
    }
    set
}

/// One group of candidate watchers as labelled checkboxes.
#[component]
fn WatcherChoices(legend: Text, users: Vec<User>, selected: RwSignal<Vec<i64>>) -> impl IntoView {
    let session = session();
    let choices = if users.is_empty() {
        view! { <p class="empty">{session.text(Text::NoActiveAccounts)}</p> }.into_any()
    } else {
        users
            .into_iter()
            .map(|user| {
                let id = user.id;
                let role = role_text(user.role);
                view! {
                    <div class="field checkbox">
                        <label>
                            <input type="checkbox" id=format!("watcher-{id}")
                                prop:checked={move || selected.with(|ids| ids.binary_search(&id).is_ok())}
                                disabled={move || !viewer_is_admin()}
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    selected.update(|ids| match (ids.binary_search(&id), on) {
                                        (Err(at), true) => ids.insert(at, id),
                                        (Ok(at), false) => {
                                            ids.remove(at);
                                        }
                                        _ => {}
                                    });
                                }/>
                            {user.name.clone()}" · "{user.email.clone()}" · "{move || session.t(role)}
                        </label>
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <fieldset>
            <legend>{move || session.t(legend)}</legend>
            {choices}
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::id_set;

    #[test]
    fn an_id_set_is_sorted_without_repeats() {
        assert_eq!(id_set([7, 3, 7, 1, 3].into_iter()), vec![1, 3, 7]);
        assert_eq!(id_set(std::iter::empty()), Vec::<i64>::new());
    }
}
