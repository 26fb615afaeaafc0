//! "Queue": the staff's live queue in queue order, with filters in the URL, ticking countdowns,
//! counters per state of the whole view, highlighted arrivals, keyboard (j/k/Enter/t) and paging.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::api::{ActionRequest, Ticket, TicketCounts};
use shared::i18n::Text;
use shared::ticket::{Action, Channel};

use crate::api;
use crate::components::countdown::ClockCountdowns;
use crate::components::layout::RequireUser;
use crate::components::reactive::{Waiting, keyed, transition};
use crate::components::status::StatusBadge;
use crate::components::time::format_time;
use crate::remote::{Remote, effect};
use crate::state::session;

/// How long live events are gathered before the counters are asked for again.
const COUNTS_COALESCE_MS: u32 = 400;

const VIEWS: [(&str, Text); 7] = [
    ("", Text::ViewAll),
    ("mine", Text::ViewMine),
    ("unassigned", Text::ViewUnassigned),
    ("l2", Text::ViewL2),
    ("special", Text::ViewSpecial),
    ("at_risk", Text::ViewAtRisk),
    ("breached", Text::ViewBreached),
];

fn query_string(view: &str, q: &str, cursor: &str) -> String {
    let mut parts = Vec::new();
    for (key, value) in [("view", view), ("q", q), ("cursor", cursor)] {
        if !value.is_empty() {
            parts.push(format!(
                "{key}={}",
                String::from(js_sys::encode_uri_component(value))
            ));
        }
    }
    if parts.is_empty() {
        "/queue".to_owned()
    } else {
        format!("/queue?{}", parts.join("&"))
    }
}

#[component]
pub fn Queue() -> impl IntoView {
    let session = session();
    let query = use_query_map();
    let navigate = use_navigate();
    // The list's parameters are memos: moving the selection changes the URL too, and must not
    // fetch the page again on every j or k.
    let parameter =
        move |key: &'static str| Memo::new(move |_| query.with(|q| q.get(key).unwrap_or_default()));
    let (view_memo, search_memo, cursor_memo) =
        (parameter("view"), parameter("q"), parameter("cursor"));
    let view_name = move || view_memo.get();
    let search = move || search_memo.get();
    let cursor = move || cursor_memo.get();
    let selected = move || query.with(|q| q.get("selected").unwrap_or_default());

    // The references of the last page shown and of those that arrived on it: a page holds a few
    // dozen tickets, so a list is as quick as a set and needs no hash table in the bundle.
    let seen = StoredValue::new(None::<Vec<String>>);
    let fresh = RwSignal::new(Vec::<String>::new());
    let tickets = Remote::new(move || {
        session.live_count.get();
        let request = api::TicketQuery {
            view: Some(view_name()),
            q: Some(search()),
            cursor: Some(cursor()),
        };
        async move {
            let result = api::list_tickets(request).await;
            if let Ok(list) = &result {
                let now: Vec<String> = list.tickets.iter().map(|t| t.reference.clone()).collect();
                let arrived: Vec<String> = seen
                    .get_value()
                    .map(|before| {
                        now.iter()
                            .filter(|reference| !before.contains(reference))
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                seen.set_value(Some(now));
                if !arrived.is_empty() {
                    fresh.set(arrived);
                }
            }
            result
        }
    });
    let rows = move || {
        tickets
            .get()
            .and_then(|r| r.ok())
            .map(|l| l.tickets)
            .unwrap_or_default()
    };

    let go = {
        let navigate = navigate.clone();
        move |url: String| {
            navigate(
                &url,
                leptos_router::NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            )
        }
    };
    let select = {
        let go = go.clone();
        move |reference: String| {
            let mut url = query_string(&view_name(), &search(), &cursor());
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&format!("selected={reference}"));
            go(url);
        }
    };

    // j/k move the selection, Enter opens, t takes.
    let keys = {
        let select = select.clone();
        let navigate = navigate.clone();
        move |event: leptos::ev::KeyboardEvent| {
            let target_is_field = event
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
            if target_is_field || event.ctrl_key() || event.meta_key() || event.alt_key() {
                return;
            }
            let list = rows();
            if list.is_empty() {
                return;
            }
            let current = list.iter().position(|t| t.reference == selected());
            match event.key().as_str() {
                "j" | "k" => {
                    event.prevent_default();
                    let next = match (current, event.key().as_str()) {
                        (None, _) => 0,
                        (Some(i), "j") => (i + 1).min(list.len() - 1),
                        (Some(i), _) => i.saturating_sub(1),
                    };
                    let reference = list[next].reference.clone();
                    select(reference.clone());
                    if let Some(row) = document()
                        .query_selector(&format!("tr[data-reference='{reference}']"))
                        .ok()
                        .flatten()
                    {
                        row.scroll_into_view_with_bool(false);
                    }
                }
                "Enter" => {
                    if let Some(i) = current {
                        navigate(
                            &format!("/tickets/{}", list[i].reference),
                            Default::default(),
                        );
                    }
                }
                "t" => {
                    if let Some(i) = current {
                        let ticket = list[i].clone();
                        if ticket.allowed_actions.contains(&Action::Take)
                            || ticket.assignee_id.is_none()
                        {
                            leptos::task::spawn_local(async move {
                                let _ = api::create_action(
                                    ticket.reference.clone(),
                                    ticket.version,
                                    ActionRequest {
                                        action: Action::Take,
                                        assignee_id: None,
                                        known_error_id: None,
                                        comment: None,
                                        special: None,
                                        reason: None,
                                        reason_kind: None,
                                        until: None,
                                    },
                                )
                                .await;
                                tickets.refetch();
                            });
                        }
                    }
                }
                _ => {}
            }
        }
    };
    let keys_handle = window_event_listener(leptos::ev::keydown, keys);
    on_cleanup(move || keys_handle.remove());

    // Counters per state of the whole view, counted by the server (`GET /api/tickets/counts`):
    // asked again when the view or the search changes and after live events, which are
    // coalesced so that a burst of them costs one request, not one each.
    let counts_due = RwSignal::new(0u64);
    let refresh_pending = std::rc::Rc::new(std::cell::Cell::new(false));
    effect(move |seen: Option<()>| {
        session.live_count.track();
        if seen.is_some() && !refresh_pending.replace(true) {
            let refresh_pending = refresh_pending.clone();
            leptos::task::spawn_local(async move {
                gloo_timers::future::TimeoutFuture::new(COUNTS_COALESCE_MS).await;
                refresh_pending.set(false);
                // The page may be gone by now: then there is nothing to refresh.
                let _ = counts_due.try_update(|due| *due += 1);
            });
        }
    });
    let counted = Remote::new(move || {
        counts_due.track();
        api::count_tickets(api::TicketQuery {
            view: Some(view_name()),
            q: Some(search()),
            cursor: None,
        })
    });
    // The last counts that arrived stay up while the next are on their way (or fail).
    let counters = RwSignal::new(TicketCounts::default());
    effect(move |_| {
        if let Some(Ok(counts)) = counted.get() {
            counters.set(counts);
        }
    });

    let search_input = RwSignal::new(search());
    let on_search = {
        let go = go.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            go(query_string(
                &view_name(),
                &search_input.get_untracked(),
                "",
            ));
        }
    };

    view! {
        <RequireUser>
        <section class="queue">
            <div class="page-head">
                <h1>{session.text(Text::Queue)}</h1>
                <p class="hint">{session.text(Text::KeyboardHelp)}</p>
                <a class="button primary" href="/tickets/new">{session.text(Text::NewTicketForCustomer)}</a>
            </div>
            <ul class="counters" aria-label="counters">
                <li class="badge state-running">{session.text(Text::Running)}": "{move || counters.get().running}</li>
                <li class="badge state-at_risk">{session.text(Text::AtRisk)}": "{move || counters.get().at_risk}</li>
                <li class="badge state-breached">{session.text(Text::Breached)}": "{move || counters.get().breached}</li>
                <li class="badge state-paused">{session.text(Text::Paused)}": "{move || counters.get().paused}</li>
                <li class="badge total">{session.text(Text::Total)}": "{move || counters.get().total}</li>
            </ul>
            <nav class="filters" aria-label=session.text(Text::Filters)>
                {VIEWS.into_iter().map(|(key, text)| {
                    view! {
                        <a href={move || query_string(key, &search(), "")}
                            aria-current={move || (view_name() == key).then_some("page")}
                            class="chip">{move || session.t(text)}</a>
                    }
                }).collect_view()}
                <form class="search" role="search" on:submit=on_search.clone()>
                    <label for="queue-search" class="visually-hidden">{session.text(Text::Search)}</label>
                    <input id="queue-search" type="search" placeholder={move || session.t(Text::Search)}
                        prop:value=search_input on:input=move |ev| search_input.set(event_target_value(&ev))/>
                    <button type="submit" class="button secondary">{session.text(Text::Search)}</button>
                </form>
            </nav>
            {transition(Waiting::Loading, move || tickets.get().map(|result| match result {
                Err(error) => view! { <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p> }.into_any(),
                Ok(list) if list.tickets.is_empty() => {
                    // An empty view or search is not an empty queue.
                    let filtered = !view_name().is_empty() || !search().is_empty();
                    let text = if filtered { Text::NoTicketsMatch } else { Text::NoTickets };
                    view! { <p class="empty" role="status">{session.t(text)}</p> }.into_any()
                }
                Ok(list) => {
                    let next = list.meta.next_cursor.clone();
                    view! {
                        <table class="list queue-list">
                            <thead><tr>
                                <th scope="col">{session.t(Text::Reference)}</th>
                                <th scope="col">{session.t(Text::Requester)}</th>
                                <th scope="col">{session.t(Text::Subject)}</th>
                                <th scope="col">{session.t(Text::Category)}</th>
                                <th scope="col">{session.t(Text::Plan)}</th>
                                <th scope="col">{session.t(Text::Assignee)}</th>
                                <th scope="col">{session.t(Text::Deadline)}</th>
                            </tr></thead>
                            <tbody>
                                {keyed(
                                    move || list.tickets.clone(),
                                    |t: &Ticket| format!("{}#{}", t.reference, t.version),
                                    move |ticket: Ticket| {
                                        let reference = ticket.reference.clone();
                                        let r1 = reference.clone();
                                        let r2 = reference.clone();
                                        let href = format!("/tickets/{reference}");
                                        view! {
                                            <tr data-reference=reference.clone()
                                                class:selected={move || selected() == r1}
                                                class:fresh={move || fresh.with(|f| f.contains(&r2))}>
                                                <td class="ref"><a href=href.clone()>{reference.clone()}</a></td>
                                                <td class="requester">
                                                    <span class="requester-name">{ticket.requester_name.clone()}</span>
                                                    {ticket.requester.clone().map(|details| view! { <span class="requester-email">{details.email}</span> })}
                                                    <span class="requester-organisation">{ticket.organisation_name.clone()}</span>
                                                </td>
                                                <td class="subject"><a href=href>{ticket.subject.clone()}</a>
                                                    {ticket.classification.special.then(|| view! { <span class="badge special">{session.t(Text::ViewSpecial)}</span> })}
                                                    " "<StatusBadge status=ticket.status/>
                                                    {(ticket.channel != Channel::Portal).then(|| view! { " "<span class="badge channel" data-channel=ticket.channel.as_str()>{session.t(ticket.channel.text())}</span> })}
                                                    {ticket.paid.then(|| view! { " "<span class="badge paid">{session.t(Text::PaidWork)}</span> })}
                                                    {ticket.scheduled_work.map(|window| view! { " "<span class="badge scheduled" data-testid="scheduled-work">{session.t(Text::ScheduledWork)}": "{format_time(window.start, &session.zone())}</span> })}</td>
                                                <td>{ticket.classification.label()}</td>
                                                <td>{ticket.plan.clone()}
                                                    {ticket.requester.clone().and_then(|details| details.contract).map(|contract| view! { <span class="contract">{contract}</span> })}</td>
                                                <td>{ticket.assignee_name.clone().unwrap_or_else(|| session.t(Text::Unassigned).to_owned())}</td>
                                                <td class="deadline"><ClockCountdowns ticket=ticket.clone()/></td>
                                            </tr>
                                        }.into_any()
                                    },
                                )}
                            </tbody>
                        </table>
                        <div class="pager">
                            {(!cursor().is_empty()).then(|| view! {
                                <a class="button secondary" href=query_string(&view_name(), &search(), "")>{session.t(Text::FirstPage)}</a>
                            })}
                            {next.map(|next| view! {
                                <a class="button secondary" href=query_string(&view_name(), &search(), &next)>{session.t(Text::NextPage)}</a>
                            })}
                        </div>
                    }.into_any()
                }
            }))}
        </section>
        </RequireUser>
    }
}
