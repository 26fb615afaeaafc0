//! `/admin/contracts`: support contracts (plan, validity, account limit) per organisation, with
//! the organisation's on-expiry setting; `?organisation_id=` narrows the list.

use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::api::{Contract, NewContract, Organisation, SpecialRequests};
use shared::calendar::text::parse_date;
use shared::i18n::Text;

use super::{AdminShell, on_expiry_text, organisation_name, today, viewer_is_admin};
use crate::api::{self, ApiError};
use crate::components::form::{FieldError, field_message, form_message, get_form, invalid};
use crate::components::layout::ShowWhen;
use crate::components::reactive::{Waiting, transition};
use crate::remote::{Remote, Submit, effect};
use crate::state::session;

/// The prefix of a plan choice that is a template of a seed regulation, not a plan yet.
const TEMPLATE: &str = "template:";

/// The plan keys a contract may name: the seed plans, any stored ones, and the templates of the
/// seed regulations not made into plans yet (chosen, they become plans first).
async fn plan_keys(locale: shared::i18n::Locale) -> Vec<(String, String)> {
    let mut keys: Vec<(String, String)> = shared::sla::seed_plans()
        .into_iter()
        .map(|(key, spec)| (key, spec.name))
        .collect();
    for plan in api::list_plans().await.unwrap_or_default() {
        if !keys.iter().any(|(key, _)| *key == plan.key) {
            keys.push((plan.key, plan.name));
        }
    }
    for template in shared::sla::plan_templates() {
        if !keys.iter().any(|(key, _)| *key == template.key) {
            let name = match locale {
                shared::i18n::Locale::Ru => template.name_ru,
                shared::i18n::Locale::En => template.spec.name,
            };
            let label = format!("{name} — {}", Text::FromTemplate.get(locale));
            keys.push((format!("{TEMPLATE}{}", template.key), label));
        }
    }
    keys
}

#[component]
pub fn ContractsPage() -> impl IntoView {
    let session = session();
    let query = use_query_map();
    let filter =
        move || query.with(|q| q.get("organisation_id").and_then(|v| v.parse::<i64>().ok()));
    let refresh = RwSignal::new(0u32);
    let data = Remote::new(move || {
        refresh.get();
        async move {
            let organisations = api::list_organisations().await?;
            let contracts = api::list_contracts().await?;
            Ok::<_, ApiError>((organisations, contracts))
        }
    });
    let organisations = Signal::derive(move || {
        data.get()
            .and_then(|r| r.ok())
            .map(|(o, _)| o)
            .unwrap_or_default()
    });
    view! {
        <AdminShell title=Text::Contracts>
            <ShowWhen when=viewer_is_admin>
                <NewContractForm organisations=organisations preset=filter() refresh=refresh/>
            </ShowWhen>
            <form method="GET" action="/admin/contracts" class="filters" on:submit=get_form("/admin/contracts")>
                <label for="contracts-filter">{session.text(Text::Organisation)}</label>
                <select id="contracts-filter" name="organisation_id">
                    <option value="">{session.text(Text::AllOrganisations)}</option>
                    {move || organisations.get().into_iter().map(|o| view! {
                        <option value=o.id.to_string() selected=filter() == Some(o.id)>{o.name.clone()}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button secondary">{session.text(Text::ApplyFilters)}</button>
            </form>
            {transition(Waiting::Loading, move || data.get().map(|result| match result {
                Err(error) => view! { <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p> }.into_any(),
                Ok((organisations, contracts)) => {
                    let today = today(session);
                    let rows: Vec<_> = contracts.into_iter().filter(|c| filter().is_none_or(|id| c.organisation_id == id)).collect();
                    if rows.is_empty() {
                        return view! { <p class="empty">{session.t(Text::NoContracts)}</p> }.into_any();
                    }
                    view! {
                        <table class="list">
                            <caption class="visually-hidden">{session.t(Text::Contracts)}</caption>
                            <thead><tr>
                                <th scope="col">{session.t(Text::Organisation)}</th>
                                <th scope="col">{session.t(Text::Plan)}</th>
                                <th scope="col">{session.t(Text::Validity)}</th>
                                <th scope="col">{session.t(Text::AccountLimit)}</th>
                                <th scope="col">{session.t(Text::SpecialRequests)}</th>
                                <th scope="col">{session.t(Text::OnExpiry)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|contract| {
                                    let (class, state) = if contract.valid_to < today {
                                        ("state-none", Text::Expired)
                                    } else if contract.valid_from > today {
                                        ("state-paused", Text::Scheduled)
                                    } else {
                                        ("state-running", Text::InForce)
                                    };
                                    let on_expiry = organisations.iter().find(|o| o.id == contract.organisation_id).map(|o| o.on_expiry.clone()).unwrap_or_default();
                                    view! {
                                        <tr>
                                            <td>{organisation_name(&organisations, contract.organisation_id)}</td>
                                            <td><PlanVersionCell contract=contract.clone() refresh=refresh/></td>
                                            <td><span class=format!("badge {class}")>{session.t(state)}</span>" "
                                                {contract.valid_from.to_string()}" — "{contract.valid_to.to_string()}</td>
                                            <td>{contract.account_limit}</td>
                                            <td>{session.t(special_requests_text(contract.special_requests))}</td>
                                            <td>{session.t(on_expiry_text(&on_expiry))}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            }))}
        </AdminShell>
    }
}

/// The plan, the version the contract pins and, when the plan has a newer version, a note and
/// (for admins) the button that moves the contract to it (`PATCH` with the plan's key, audited).
#[component]
fn PlanVersionCell(contract: Contract, refresh: RwSignal<u32>) -> impl IntoView {
    let session = session();
    let (id, key) = (contract.id, contract.plan.clone());
    let moving = Submit::new(move |key: &String| {
        let key = key.clone();
        async move { api::move_contract_to_current_plan(id, key).await }
    });
    let failed = RwSignal::new(None::<ApiError>);
    effect(move |_| match moving.value() {
        Some(Ok(_)) => refresh.update(|n| *n += 1),
        Some(Err(error)) => failed.set(Some(error)),
        None => {}
    });
    let pinned = contract
        .plan_version
        .map(|version| format!(" · v{version}"))
        .unwrap_or_default();
    let newer = contract.newer_plan_version.then(|| {
        let current = contract.current_plan_version.unwrap_or_default();
        let key = key.clone();
        view! {
            <p class="help newer-plan-version">
                {session.t(Text::NewerPlanVersion)}" v"{current}
                <ShowWhen when=viewer_is_admin>
                    " "
                    <button type="button" class="button secondary small"
                        on:click={let key = key.clone(); move |_| moving.dispatch(key.clone())}
                        disabled=move || moving.pending().get()>
                        {session.text(Text::MoveToCurrentVersion)}
                    </button>
                </ShowWhen>
            </p>
            {move || failed.get().map(|error| view! { <p class="form-error" role="alert">{error.to_string()}</p> })}
        }
    });
    view! {
        <span class="plan-version">{key.clone()}{pinned}</span>
        {newer}
    }
}

/// How a contract takes special requests, in words.
fn special_requests_text(setting: SpecialRequests) -> Text {
    match setting {
        SpecialRequests::Allowed => Text::SpecialAllowed,
        SpecialRequests::NotAllowed => Text::SpecialNotAllowedOption,
        SpecialRequests::Confirm => Text::SpecialConfirm,
    }
}

#[component]
fn NewContractForm(
    organisations: Signal<Vec<Organisation>>,
    preset: Option<i64>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let session = session();
    let plans = Remote::new(move || plan_keys(session.locale.get_untracked()));
    let organisation = RwSignal::new(preset.map(|id| id.to_string()).unwrap_or_default());
    let plan = RwSignal::new("standard".to_owned());
    let start = today(session);
    let valid_from = RwSignal::new(start.to_string());
    let valid_to = RwSignal::new(
        start
            .with_year(start.year() + 1)
            .unwrap_or(start)
            .to_string(),
    );
    let limit = RwSignal::new("2".to_owned());
    let special_requests = RwSignal::new(SpecialRequests::Allowed);
    let error = RwSignal::new(None::<ApiError>);
    let local = RwSignal::new(Vec::<(&'static str, Text)>::new());
    let notice = RwSignal::new(false);
    let create = Submit::new(move |body: &NewContract| {
        let mut body = body.clone();
        async move {
            // A template becomes a plan first; the contract then names that plan.
            if let Some(template) = body.plan.strip_prefix(TEMPLATE).map(str::to_owned) {
                body.plan = api::create_plan_from_template(template).await?.key;
            }
            api::create_contract(body).await
        }
    });
    effect(move |_| {
        if let Some(result) = create.value() {
            match result {
                Ok(_) => {
                    error.set(None);
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
        let mut problems = Vec::new();
        let organisation_id = organisation.get_untracked().parse::<i64>().ok();
        if organisation_id.is_none() {
            problems.push(("organisation_id", Text::ChooseOrganisation));
        }
        let from = parse_date(&valid_from.get_untracked()).ok();
        let to = parse_date(&valid_to.get_untracked()).ok();
        if from.is_none() {
            problems.push(("valid_from", Text::InvalidDate));
        }
        if to.is_none() {
            problems.push(("valid_to", Text::InvalidDate));
        }
        let account_limit = limit.get_untracked().trim().parse::<i32>().ok();
        if account_limit.is_none() {
            problems.push(("account_limit", Text::WholeNumber));
        }
        local.set(problems.clone());
        if let (
            true,
            Some(organisation_id),
            Some(valid_from),
            Some(valid_to),
            Some(account_limit),
        ) = (
            problems.is_empty(),
            organisation_id,
            from,
            to,
            account_limit,
        ) {
            create.dispatch(NewContract {
                organisation_id,
                plan: plan.get_untracked(),
                valid_from,
                valid_to,
                account_limit,
                special_requests: Some(special_requests.get_untracked()),
            });
        }
    };
    let message = move |name: &'static str| {
        move || {
            field_message(error, name)().or_else(|| {
                local.with(|l| {
                    l.iter()
                        .find(|(field, _)| *field == name)
                        .map(|(_, text)| session.t(*text).to_owned())
                })
            })
        }
    };
    let on_expiry = move || {
        let id = organisation.get().parse::<i64>().ok()?;
        organisations.with(|list| {
            list.iter()
                .find(|o| o.id == id)
                .map(|o| session.t(on_expiry_text(&o.on_expiry)))
        })
    };
    const SHOWN: &[&str] = &[
        "organisation_id",
        "plan",
        "valid_from",
        "valid_to",
        "account_limit",
    ];
    view! {
        <section class="card editor" aria-labelledby="new-contract-title">
            <h2 id="new-contract-title">{session.text(Text::NewContract)}</h2>
            <form on:submit=submit novalidate>
                <div class="field-row">
                    <div class="field grow">
                        <label for="contract-organisation">{session.text(Text::Organisation)}</label>
                        <select id="contract-organisation" aria-invalid={move || invalid(message("organisation_id")())}
                            aria-describedby="contract-organisation-help contract-organisation-error"
                            on:change=move |ev| organisation.set(event_target_value(&ev))>
                            <option value="">{session.text(Text::ChooseOrganisation)}</option>
                            {move || organisations.get().into_iter().map(|o| {
                                let id = o.id.to_string();
                                let id_for_selected = id.clone();
                                view! { <option value=id selected={move || organisation.get() == id_for_selected}>{o.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                        <p id="contract-organisation-help" class="help">
                            {move || on_expiry().map(|text| format!("{}: {text}", session.t(Text::OnExpiry)))}
                        </p>
                        <FieldError id="contract-organisation-error" message=Signal::derive(message("organisation_id"))/>
                    </div>
                    <div class="field">
                        <label for="contract-plan">{session.text(Text::Plan)}</label>
                        <select id="contract-plan" aria-invalid={move || invalid(message("plan")())} aria-describedby="contract-plan-error"
                            on:change=move |ev| plan.set(event_target_value(&ev))>
                            {move || plans.get().unwrap_or_default().into_iter().map(|(key, name)| {
                                let key_for_selected = key.clone();
                                view! { <option value=key.clone() selected={move || plan.get() == key_for_selected}>{format!("{name} ({key})")}</option> }
                            }).collect_view()}
                        </select>
                        <FieldError id="contract-plan-error" message=Signal::derive(message("plan"))/>
                    </div>
                    <div class="field">
                        <label for="contract-special">{session.text(Text::SpecialRequests)}</label>
                        <select id="contract-special"
                            on:change=move |ev| special_requests.set(SpecialRequests::from_name(&event_target_value(&ev)))>
                            {[SpecialRequests::Allowed, SpecialRequests::NotAllowed, SpecialRequests::Confirm].into_iter().map(|setting| view! {
                                <option value=setting.as_str() selected={move || special_requests.get() == setting}>{session.t(special_requests_text(setting))}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="contract-from">{session.text(Text::ValidFrom)}</label>
                        <input id="contract-from" type="date" required aria-invalid={move || invalid(message("valid_from")())}
                            aria-describedby="contract-from-error" prop:value=valid_from on:input=move |ev| valid_from.set(event_target_value(&ev))/>
                        <FieldError id="contract-from-error" message=Signal::derive(message("valid_from"))/>
                    </div>
                    <div class="field">
                        <label for="contract-to">{session.text(Text::ValidUntil)}</label>
                        <input id="contract-to" type="date" required aria-invalid={move || invalid(message("valid_to")())}
                            aria-describedby="contract-to-error" prop:value=valid_to on:input=move |ev| valid_to.set(event_target_value(&ev))/>
                        <FieldError id="contract-to-error" message=Signal::derive(message("valid_to"))/>
                    </div>
                    <div class="field">
                        <label for="contract-limit">{session.text(Text::AccountLimit)}</label>
                        <input id="contract-limit" type="number" min="1" max="10000" step="1" required inputmode="numeric"
                            aria-invalid={move || invalid(message("account_limit")())} aria-describedby="contract-limit-help contract-limit-error"
                            prop:value=limit on:input=move |ev| limit.set(event_target_value(&ev))/>
                        <p id="contract-limit-help" class="help">{session.text(Text::AccountLimitHelp)}</p>
                        <FieldError id="contract-limit-error" message=Signal::derive(message("account_limit"))/>
                    </div>
                </div>
                <p class="form-error" role="alert">{form_message(error, SHOWN)}</p>
                <p class="notice" role="status">{move || notice.get().then(|| session.t(Text::Created))}</p>
                <button type="submit" class="button primary" disabled={move || create.pending().get()}>{session.text(Text::CreateContract)}</button>
            </form>
        </section>
    }
}
