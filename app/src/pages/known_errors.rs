//! "Known errors": the base L2 keeps (SPEC §6). Everyone signed in searches it as they type
//! (`?q=` in the URL); customers get the published entries only (the server filters). L2,
//! supervisors and admins create and edit entries and mark them fixed, which makes the server
//! inform every linked ticket.

use leptos::Params;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params, use_query_map};
use leptos_router::params::Params;
use shared::api::{KnownError, NewKnownError, UpdateKnownError};
use shared::i18n::Text;
use shared::ticket::Role;

use crate::api::{self, ApiError};
use crate::components::form::{FieldError, field_message, form_message, invalid};
use crate::components::layout::{RequireRole, RequireUser, ShowWhen};
use crate::components::reactive::{Waiting, transition};
use crate::components::status::StatusBadge;
use crate::components::time::format_time;
use crate::remote::{Remote, Submit, effect};
use crate::state::session;

const STATUSES: [(&str, Text); 3] = [
    ("investigating", Text::KeInvestigating),
    ("workaround", Text::KeWorkaround),
    ("fixed", Text::KeFixed),
];

fn status_text(status: &str) -> Text {
    STATUSES
        .iter()
        .find(|(code, _)| *code == status)
        .map(|(_, text)| *text)
        .unwrap_or(Text::KeInvestigating)
}

fn list_url(q: &str) -> String {
    if q.trim().is_empty() {
        "/known-errors".to_owned()
    } else {
        format!(
            "/known-errors?q={}",
            String::from(js_sys::encode_uri_component(q.trim()))
        )
    }
}

/// The status of a known error as a badge with words ("fixed in 5.3" when fixed).
#[component]
fn KnownErrorStatus(status: String, fixed_in: Option<String>) -> impl IntoView {
    let session = session();
    let text = status_text(&status);
    view! {
        <span class=format!("badge ke-status ke-{status}") data-status=status.clone()>
            {move || session.t(text)}
            {fixed_in.clone().filter(|v| !v.is_empty()).filter(|_| status == "fixed").map(|version| format!(" {version}"))}
        </span>
    }
}

#[component]
pub fn KnownErrors() -> impl IntoView {
    let session = session();
    let query = use_query_map();
    let navigate = use_navigate();
    let search = move || query.with(|q| q.get("q").unwrap_or_default());
    let input = RwSignal::new(search());
    let list = Remote::new(move || {
        session.live_count.get();
        api::list_known_errors(search())
    });
    // Search as you type: the URL follows the input a quarter of a second after the last key.
    let typed = StoredValue::new(0u32);
    let on_input = {
        let navigate = navigate.clone();
        move |event: leptos::ev::Event| {
            let value = event_target_value(&event);
            input.set(value.clone());
            let ticket = typed.get_value() + 1;
            typed.set_value(ticket);
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                gloo_timers::future::TimeoutFuture::new(250).await;
                let still_here = window()
                    .location()
                    .pathname()
                    .is_ok_and(|path| path == "/known-errors");
                if typed.get_value() == ticket && still_here {
                    navigate(
                        &list_url(&value),
                        NavigateOptions {
                            replace: true,
                            ..Default::default()
                        },
                    );
                }
            });
        }
    };
    let on_search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        navigate(&list_url(&input.get_untracked()), Default::default());
    };
    let editor = move || session.role().edits_known_errors();
    view! {
        <RequireUser>
        <section class="known-errors-page">
            <div class="page-head">
                <h1>{session.text(Text::KnownErrors)}</h1>
                <ShowWhen when=editor>
                    <A href="/known-errors/new" attr:class="button primary">{session.text(Text::NewKnownError)}</A>
                </ShowWhen>
            </div>
            <form class="search" role="search" on:submit=on_search.clone()>
                <label for="known-search">{session.text(Text::SearchKnownErrors)}</label>
                <input id="known-search" type="search" autocomplete="off" prop:value=input on:input=on_input.clone()
                    aria-describedby="known-search-help"/>
                <button type="submit" class="button secondary">{session.text(Text::Search)}</button>
            </form>
            <p id="known-search-help" class="help">{session.text(Text::SearchKnownErrorsHelp)}</p>
            {transition(Waiting::Loading, move || list.get().map(|result| match result {
                Err(error) => view! { <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p> }.into_any(),
                Ok(list) if list.known_errors.is_empty() => view! {
                    <p class="empty">{if search().is_empty() { session.t(Text::NoKnownErrors) } else { session.t(Text::NoKnownErrorsMatch) }}</p>
                }.into_any(),
                Ok(list) => view! {
                    <ul class="known-errors" aria-live="polite">
                        {list.known_errors.into_iter().map(|item| view! { <KnownErrorCard item=item/> }).collect_view()}
                    </ul>
                }.into_any(),
            }))}
        </section>
        </RequireUser>
    }
}

/// One entry of the list.
#[component]
fn KnownErrorCard(item: KnownError) -> impl IntoView {
    let session = session();
    let href = format!("/known-errors/{}", item.id);
    let staff = move || session.is_staff();
    let published = item.published;
    view! {
        <li class="card ke-card">
            <div class="ke-head">
                <span class="ke-number">{item.number.clone()}</span>
                <h2><a href=href>{item.title.clone()}</a></h2>
                <KnownErrorStatus status=item.status.clone() fixed_in=item.fixed_in.clone()/>
                <ShowWhen when=staff>
                    <span class=if published { "badge state-met" } else { "badge state-none" }>
                        {move || session.t(if published { Text::Published } else { Text::NotPublished })}
                    </span>
                </ShowWhen>
            </div>
            <p class="body">{item.symptoms.clone()}</p>
            {Some(item.affected_versions.clone()).filter(|v| !v.is_empty()).map(|versions| view! {
                <p class="meta-line"><strong>{session.text(Text::AffectedVersions)}": "</strong>{versions}</p>
            })}
            {Some(item.workaround.clone()).filter(|v| !v.is_empty()).map(|workaround| view! {
                <p class="meta-line"><strong>{session.text(Text::Workaround)}": "</strong>{workaround}</p>
            })}
        </li>
    }
}

/// `/known-errors/new`: the empty form, for L2, supervisors and admins (the server's rule).
#[component]
pub fn NewKnownErrorPage() -> impl IntoView {
    let session = session();
    let notice = RwSignal::new(None::<Text>);
    view! {
        <RequireRole allow=Role::edits_known_errors>
        <section class="card form-page">
            <p><A href="/known-errors">{session.text(Text::BackToKnownErrors)}</A></p>
            <h1>{session.text(Text::NewKnownError)}</h1>
            <KnownErrorForm initial=None notice=notice/>
        </section>
        </RequireRole>
    }
}

/// The parameters of `/known-errors/:id`.
#[derive(Params, Clone, PartialEq)]
struct KnownErrorParams {
    id: Option<i64>,
}

/// `/known-errors/:id`: the entry, its linked tickets, and for editors the form and "mark fixed".
#[component]
pub fn KnownErrorPage() -> impl IntoView {
    let session = session();
    let params = use_params::<KnownErrorParams>();
    let id = move || {
        params.with(|params| {
            params
                .as_ref()
                .ok()
                .and_then(|params| params.id)
                .unwrap_or_default()
        })
    };
    let refresh = RwSignal::new(0u32);
    let found = Remote::new(move || {
        refresh.get();
        api::find_known_error(id())
    });
    let editor = move || session.role().edits_known_errors();
    let notice = RwSignal::new(None::<Text>);
    view! {
        <RequireUser>
        <section class="known-error-page">
            <p class="notice" role="status">{move || notice.get().map(|text| session.t(text))}</p>
            <p><A href="/known-errors">{session.text(Text::BackToKnownErrors)}</A></p>
            {transition(Waiting::Loading, move || found.get().map(|result| match result {
                Err(error) if error.is_not_found() => view! { <p class="empty" role="alert">{session.t(Text::KnownErrorNotFound)}</p> }.into_any(),
                Err(error) => view! { <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p> }.into_any(),
                Ok(known) => {
                    let known_id = known.id;
                    view! {
                        <div class="ke-detail-grid">
                            <div class="ke-main">
                                {if editor() {
                                    view! {
                                        <div class="card">
                                            <h1><span class="ke-number">{known.number.clone()}</span>" "{known.title.clone()}</h1>
                                            <KnownErrorForm initial=Some(known.clone()) notice=notice saved=refresh/>
                                        </div>
                                    }.into_any()
                                } else {
                                    view! { <KnownErrorReadOnly known=known.clone()/> }.into_any()
                                }}
                            </div>
                            <aside class="ke-side">
                                <ShowWhen when=editor>
                                    <MarkFixed known=known.clone() saved=refresh notice=notice/>
                                </ShowWhen>
                                <ShowWhen when=move || session.is_staff()>
                                    <LinkedTickets id=known_id/>
                                </ShowWhen>
                            </aside>
                        </div>
                    }.into_any()
                }
            }))}
        </section>
        </RequireUser>
    }
}

/// The entry as readers see it.
#[component]
fn KnownErrorReadOnly(known: KnownError) -> impl IntoView {
    let session = session();
    let zone = session.zone();
    let sections = [
        (Text::Symptoms, known.symptoms.clone()),
        (Text::AffectedVersions, known.affected_versions.clone()),
        (Text::Workaround, known.workaround.clone()),
        (Text::Solution, known.solution.clone()),
    ];
    view! {
        <article class="card">
            <h1><span class="ke-number">{known.number.clone()}</span>" "{known.title.clone()}</h1>
            <p class="ticket-meta">
                <KnownErrorStatus status=known.status.clone() fixed_in=known.fixed_in.clone()/>
                <span class="meta">{session.text(Text::UpdatedAt)}" "{format_time(known.updated_at, &zone)}</span>
            </p>
            <dl class="ke-fields">
                {sections.into_iter().filter(|(_, value)| !value.trim().is_empty()).map(|(label, value)| view! {
                    <dt>{move || session.t(label)}</dt>
                    <dd class="body">{value}</dd>
                }).collect_view()}
            </dl>
        </article>
    }
}

/// Create or edit: every field of a known error, with the server's messages next to the fields.
#[component]
fn KnownErrorForm(
    initial: Option<KnownError>,
    /// What the last save said; owned by the page so that it survives the refetch.
    notice: RwSignal<Option<Text>>,
    #[prop(optional)] saved: Option<RwSignal<u32>>,
) -> impl IntoView {
    let session = session();
    let navigate = use_navigate();
    let existing = initial.as_ref().map(|known| known.id);
    let was_fixed = initial
        .as_ref()
        .is_some_and(|known| known.status == "fixed");
    let value = |pick: fn(&KnownError) -> String| {
        RwSignal::new(initial.as_ref().map(pick).unwrap_or_default())
    };
    let title = value(|k| k.title.clone());
    let symptoms = value(|k| k.symptoms.clone());
    let affected = value(|k| k.affected_versions.clone());
    let workaround = value(|k| k.workaround.clone());
    let solution = value(|k| k.solution.clone());
    let status = RwSignal::new(
        initial
            .as_ref()
            .map(|k| k.status.clone())
            .unwrap_or_else(|| "investigating".to_owned()),
    );
    let fixed_in = value(|k| k.fixed_in.clone().unwrap_or_default());
    let published = RwSignal::new(initial.as_ref().is_some_and(|k| k.published));
    let error = RwSignal::new(None::<ApiError>);
    let fixed_in_missing = RwSignal::new(false);

    let save = Submit::new(move |_: &()| {
        let fixed = status.get_untracked() == "fixed";
        let version = Some(fixed_in.get_untracked().trim().to_owned()).filter(|v| !v.is_empty());
        let create = NewKnownError {
            title: title.get_untracked(),
            symptoms: symptoms.get_untracked(),
            affected_versions: affected.get_untracked(),
            workaround: workaround.get_untracked(),
            solution: solution.get_untracked(),
            status: Some(status.get_untracked()),
            fixed_in: if fixed { version } else { None },
            published: published.get_untracked(),
        };
        async move {
            match existing {
                None => api::create_known_error(create).await,
                Some(id) => {
                    let changes = UpdateKnownError {
                        title: Some(create.title),
                        symptoms: Some(create.symptoms),
                        affected_versions: Some(create.affected_versions),
                        workaround: Some(create.workaround),
                        solution: Some(create.solution),
                        status: create.status,
                        fixed_in: create.fixed_in,
                        published: Some(create.published),
                    };
                    api::update_known_error(id, changes).await
                }
            }
        }
    });
    effect(move |_| {
        if let Some(result) = save.value() {
            match result {
                Ok(known) => {
                    error.set(None);
                    let informed = !was_fixed && known.status == "fixed";
                    notice.set(Some(if informed {
                        Text::FixedAndInformed
                    } else {
                        Text::Saved
                    }));
                    match (existing, saved) {
                        (None, _) => {
                            navigate(&format!("/known-errors/{}", known.id), Default::default())
                        }
                        (Some(_), Some(saved)) => saved.update(|n| *n += 1),
                        (Some(_), None) => {}
                    }
                }
                Err(failure) => {
                    notice.set(None);
                    error.set(Some(failure));
                }
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let missing =
            status.get_untracked() == "fixed" && fixed_in.get_untracked().trim().is_empty();
        fixed_in_missing.set(missing);
        if missing || save.pending().get_untracked() {
            return;
        }
        save.dispatch(());
    };
    let fixed_in_message = move || {
        field_message(error, "fixed_in")().or_else(|| {
            fixed_in_missing
                .get()
                .then(|| session.t(Text::FixedInRequired).to_owned())
        })
    };
    let text_field = move |id: &'static str,
                           label: Text,
                           signal: RwSignal<String>,
                           multiline: bool,
                           required: bool| {
        let message = field_message(error, id);
        let error_id = format!("{id}-error");
        let described = error_id.clone();
        view! {
            <div class="field">
                <label for=id>{move || session.t(label)}{required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}</label>
                {if multiline {
                    view! {
                        <textarea id=id required=required aria-invalid={move || invalid(message())} aria-describedby=described.clone()
                            prop:value=signal on:input=move |ev| signal.set(event_target_value(&ev))></textarea>
                    }.into_any()
                } else {
                    view! {
                        <input id=id type="text" required=required aria-invalid={move || invalid(message())} aria-describedby=described.clone()
                            prop:value=signal on:input=move |ev| signal.set(event_target_value(&ev))/>
                    }.into_any()
                }}
                <FieldError id=error_id message=Signal::derive(message)/>
            </div>
        }
    };
    const SHOWN: &[&str] = &[
        "title",
        "symptoms",
        "affected_versions",
        "workaround",
        "solution",
        "status",
        "fixed_in",
    ];
    view! {
        <form class="ke-form" on:submit=submit novalidate>
            {text_field("title", Text::Title, title, false, true)}
            {text_field("symptoms", Text::Symptoms, symptoms, true, true)}
            {text_field("affected_versions", Text::AffectedVersions, affected, false, false)}
            {text_field("workaround", Text::Workaround, workaround, true, false)}
            {text_field("solution", Text::Solution, solution, true, false)}
            <div class="field-row">
                <div class="field">
                    <label for="ke-status">{session.text(Text::Status)}</label>
                    <select id="ke-status" aria-describedby="ke-status-error"
                        on:change=move |ev| status.set(event_target_value(&ev))>
                        {STATUSES.into_iter().map(|(code, text)| view! {
                            <option value=code selected={move || status.get() == code}>{move || session.t(text)}</option>
                        }).collect_view()}
                    </select>
                    <FieldError id="ke-status-error" message=Signal::derive(field_message(error, "status"))/>
                </div>
                <ShowWhen when=move || status.get() == "fixed">
                    <div class="field">
                        <label for="fixed_in">{session.text(Text::FixedInVersion)}<span class="required" aria-hidden="true">" *"</span></label>
                        <input id="fixed_in" type="text" required placeholder="5.3.0"
                            aria-invalid={move || invalid(fixed_in_message())} aria-describedby="fixed_in-error"
                            prop:value=fixed_in on:input=move |ev| fixed_in.set(event_target_value(&ev))/>
                        <FieldError id="fixed_in-error" message=Signal::derive(fixed_in_message)/>
                    </div>
                </ShowWhen>
            </div>
            <ShowWhen when=move || status.get() == "fixed" && !was_fixed && existing.is_some()>
                <p class="help notice-info">{session.text(Text::FixedInformsLinked)}</p>
            </ShowWhen>
            <div class="field checkbox">
                <label>
                    <input id="published" type="checkbox" prop:checked=published aria-describedby="published-help"
                        on:change=move |ev| published.set(event_target_checked(&ev))/>
                    {session.text(Text::PublishedForCustomers)}
                </label>
                <p id="published-help" class="help">{session.text(Text::PublishedHelp)}</p>
            </div>
            <p class="form-error" role="alert">{form_message(error, SHOWN)}</p>
            <div class="actions">
                <button type="submit" class="button primary" disabled={move || save.pending().get()}>
                    {move || if save.pending().get() { session.t(Text::Saving) } else if existing.is_some() { session.t(Text::SaveChanges) } else { session.t(Text::CreateKnownError) }}
                </button>
            </div>
        </form>
    }
}

/// "Mark fixed": the status and version in one step; the server tells every linked ticket.
#[component]
fn MarkFixed(
    known: KnownError,
    saved: RwSignal<u32>,
    notice: RwSignal<Option<Text>>,
) -> impl IntoView {
    let session = session();
    let id = known.id;
    let already = known.status == "fixed";
    let version = RwSignal::new(known.fixed_in.clone().unwrap_or_default());
    let missing = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let mark = Submit::new(move |fixed_in: &String| {
        let changes = UpdateKnownError {
            status: Some("fixed".into()),
            fixed_in: Some(fixed_in.clone()),
            ..Default::default()
        };
        async move { api::update_known_error(id, changes).await }
    });
    effect(move |_| {
        if let Some(result) = mark.value() {
            match result {
                Ok(_) => {
                    error.set(None);
                    notice.set(Some(Text::FixedAndInformed));
                    saved.update(|n| *n += 1);
                }
                Err(failure) => error.set(Some(failure)),
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let value = version.get_untracked().trim().to_owned();
        missing.set(value.is_empty());
        if !value.is_empty() {
            mark.dispatch(value);
        }
    };
    let message = move || {
        field_message(error, "fixed_in")()
            .or_else(|| field_message(error, "status")())
            .or_else(|| {
                error
                    .get()
                    .filter(|e| e.body.field.is_none() && e.body.fields.is_empty())
                    .map(|e| e.to_string())
            })
            .or_else(|| {
                missing
                    .get()
                    .then(|| session.t(Text::FixedInRequired).to_owned())
            })
    };
    view! {
        <section class="card mark-fixed" aria-labelledby="mark-fixed-title">
            <h2 id="mark-fixed-title">{session.text(Text::MarkFixed)}</h2>
            {if already {
                view! { <p class="help">{session.text(Text::AlreadyFixed)}</p> }.into_any()
            } else {
                view! {
                    <form on:submit=submit novalidate>
                        <div class="field">
                            <label for="mark-fixed-version">{session.text(Text::FixedInVersion)}</label>
                            <input id="mark-fixed-version" type="text" required placeholder="5.3.0"
                                aria-invalid={move || invalid(message())} aria-describedby="mark-fixed-error mark-fixed-help"
                                prop:value=version on:input=move |ev| version.set(event_target_value(&ev))/>
                            <FieldError id="mark-fixed-error" message=Signal::derive(message)/>
                            <p id="mark-fixed-help" class="help">{session.text(Text::FixedInformsLinked)}</p>
                        </div>
                        <button type="submit" class="button primary" disabled={move || mark.pending().get()}>
                            {session.text(Text::MarkFixedAndInform)}
                        </button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

/// The tickets linked to a known error.
#[component]
fn LinkedTickets(id: i64) -> impl IntoView {
    let session = session();
    let linked = Remote::new(move || {
        session.live_count.get();
        api::list_linked_tickets(id)
    });
    view! {
        <section class="card linked-tickets" aria-labelledby="linked-title">
            <h2 id="linked-title">{session.text(Text::LinkedTickets)}</h2>
            {transition(Waiting::Loading, move || linked.get().map(|result| match result {
                Err(_) => view! { <p class="help">{session.t(Text::LinkedTicketsUnavailable)}</p> }.into_any(),
                Ok(list) if list.tickets.is_empty() => view! { <p class="help">{session.t(Text::NoLinkedTickets)}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="linked">
                        {list.tickets.into_iter().map(|ticket| view! {
                            <li>
                                <a href=format!("/tickets/{}", ticket.reference)>{ticket.reference.clone()}</a>
                                " "{ticket.subject.clone()}" "
                                <StatusBadge status=ticket.status/>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }))}
        </section>
    }
}
