//! The ticket page: thread, attachments, history with official server times, every clock with
//! its countdown, and the actions `shared::ticket::allowed_actions` allows the viewer.

use leptos::Params;
use leptos::prelude::*;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;
use shared::api::{ActionRequest, TicketDetail};
use shared::i18n::Text;
use shared::sla::{ClockEvent, ClockEventKind, ClockKind, Plan};
use shared::ticket::{
    Action, Category, Classification, HoldKind, Severity, allowed_actions, staff_only_event,
};

use crate::api::{self, ApiError};
use crate::components::attachment_drop::{AttachmentDrop, Picked, upload_all};
use crate::components::countdown::{clock_name, read_clock, ticket_calendar};
use crate::components::form::from_local_input;
use crate::components::layout::RequireUser;
use crate::components::reactive::{Waiting, transition};
use crate::components::stars::StarPicker;
use crate::components::status::StatusBadge;
use crate::components::time::{format_time, format_time_exact, sort_by_time};
use crate::components::title::set_title;
use crate::pages::admin::accounts::role_text;
use crate::remote::{Remote, effect};
use crate::state::session;

fn action_text(action: Action) -> Text {
    match action {
        Action::Take => Text::Take,
        Action::Assign => Text::Assign,
        Action::AgentReply | Action::CustomerReply => Text::Reply,
        Action::InternalNote => Text::InternalNote,
        Action::RequestInfo => Text::RequestInfo,
        Action::MarkReproduced => Text::MarkReproduced,
        Action::Escalate => Text::Escalate,
        Action::LinkKnownError => Text::LinkKnownError,
        Action::ProposeReclassification => Text::ProposeReclassification,
        Action::AcceptReclassification => Text::Accept,
        Action::RejectReclassification => Text::Reject,
        Action::Resolve => Text::Resolve,
        Action::Reopen => Text::Reopen,
        Action::Close => Text::Close,
        Action::Rate => Text::Rate,
        Action::Expedite => Text::Expedite,
        Action::SetSpecial => Text::SetSpecial,
        Action::Hold => Text::Hold,
        Action::Resume => Text::Resume,
    }
}

/// A reclassification the support proposed and the customer has not answered yet, read from
/// the history.
#[derive(Clone, Debug)]
struct Proposal {
    id: i64,
    classification: Option<Classification>,
    reason: String,
}

fn pending_proposal(detail: &TicketDetail) -> Option<Proposal> {
    if let Some(found) = detail
        .reclassifications
        .iter()
        .rev()
        .find(|r| r.status == "pending")
    {
        return Some(Proposal {
            id: found.id,
            classification: Some(found.to),
            reason: found.reason.clone(),
        });
    }
    if !detail.reclassifications.is_empty() {
        return None;
    }
    let mut pending = None;
    for event in &detail.events {
        let kind = event.kind.as_str();
        if kind.contains("reclassification")
            && (kind.contains("propos") || kind == "reclassification")
        {
            let payload = &event.payload;
            let id = payload
                .get("proposal_id")
                .or_else(|| payload.get("id"))
                .or_else(|| payload.get("reclassification_id"))
                .and_then(|v| v.as_i64());
            let classification = payload
                .get("to")
                .or_else(|| payload.get("classification"))
                .or(Some(payload))
                .and_then(api::from_value::<Classification>);
            let reason = payload
                .get("reason")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned();
            pending = id.map(|id| Proposal {
                id,
                classification,
                reason,
            });
        } else if kind.contains("reclassification") || kind == "reclassified" {
            pending = None;
        }
    }
    pending
}

/// What the viewer is writing or choosing: kept above the refetching view, so a live update of
/// the ticket never throws away a half-written reply or an open form.
#[derive(Clone, Copy)]
struct Drafts {
    mode: RwSignal<Option<Action>>,
    body: RwSignal<String>,
    score: RwSignal<u8>,
    assignee: RwSignal<String>,
    known_error: RwSignal<String>,
    category: RwSignal<Category>,
    severity: RwSignal<Option<Severity>>,
    files: RwSignal<Vec<Picked>>,
    notice: RwSignal<Option<String>>,
    hold_kind: RwSignal<HoldKind>,
    /// The `datetime-local` value of a hold's `until`, in the viewer's zone.
    hold_until: RwSignal<String>,
    /// Staff: the minutes of work the next reply or note records.
    minutes: RwSignal<String>,
}

/// The parameters of `/tickets/:reference`.
#[derive(Params, Clone, PartialEq)]
struct TicketParams {
    reference: Option<String>,
}

#[component]
pub fn TicketPage() -> impl IntoView {
    let session = session();
    let drafts = Drafts {
        mode: RwSignal::new(None),
        body: RwSignal::new(String::new()),
        score: RwSignal::new(0),
        assignee: RwSignal::new(String::new()),
        known_error: RwSignal::new(String::new()),
        category: RwSignal::new(Category::D),
        severity: RwSignal::new(None),
        files: RwSignal::new(Vec::new()),
        notice: RwSignal::new(None),
        hold_kind: RwSignal::new(HoldKind::VendorFix),
        hold_until: RwSignal::new(String::new()),
        minutes: RwSignal::new(String::new()),
    };
    let params = use_params::<TicketParams>();
    let reference = move || {
        params.with(|params| {
            params
                .as_ref()
                .ok()
                .and_then(|params| params.reference.clone())
                .unwrap_or_default()
        })
    };
    let refresh = RwSignal::new(0u32);
    // Refetch when a live event names this ticket.
    effect(move |_| {
        if let Some(event) = session.last_event.get()
            && event.reference.as_deref() == Some(reference().as_str())
        {
            refresh.update(|n| *n += 1);
        }
    });
    let detail = Remote::new(move || {
        refresh.get();
        api::find_ticket(reference())
    });
    view! {
        <RequireUser>
        {transition(Waiting::Loading, move || detail.get().map(|result| match result {
            Err(error) if error.is_not_found() => view! {
                <section class="card not-found">
                    <h1>{reference()}</h1>
                    <p class="empty" role="alert">{session.t(Text::TicketNotFound)}</p>
                </section>
            }.into_any(),
            Err(error) => view! {
                <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p>
            }.into_any(),
            Ok(detail) => view! { <TicketView detail=detail refresh=refresh drafts=drafts/> }.into_any(),
        }))}
        </RequireUser>
    }
}

#[component]
fn TicketView(detail: TicketDetail, refresh: RwSignal<u32>, drafts: Drafts) -> impl IntoView {
    let session = session();
    let ticket = detail.ticket.clone();
    let calendar = std::sync::Arc::new(ticket_calendar(&ticket));
    let zone = session.zone();
    let proposal = pending_proposal(&detail);
    let role = session.role();
    let staff = role.is_staff();
    // The escalation clock is the support's own commitment between its lines.
    let clocks: Vec<_> = ticket
        .clocks
        .map(|c| {
            c.iter()
                .filter(|clock| staff || clock.kind != ClockKind::Escalation)
                .copied()
                .collect()
        })
        .unwrap_or_default();
    set_title(&format!("{} · {}", ticket.reference, ticket.subject));
    let allowed = allowed_actions(ticket.status, role);
    let reference = ticket.reference.clone();
    let version = ticket.version;

    // The thread: public messages and, for staff, internal notes, in time order.
    let mut thread: Vec<(chrono::DateTime<chrono::Utc>, AnyView)> = Vec::new();
    for message in &detail.messages {
        let who = message
            .author_name
            .clone()
            .unwrap_or_else(|| session.t(Text::Staff).to_owned());
        let class = if message.from_staff {
            "message staff"
        } else {
            "message customer"
        };
        let automatic = message.automatic;
        let spent = message.minutes;
        thread.push((message.created_at, view! {
            <article class=class data-message-id=message.id>
                <header>
                    <strong>{who}</strong>
                    {automatic.then(|| view! { <span class="badge state-none">{session.t(Text::Automatic)}</span> })}
                    {spent.map(|m| view! { <span class="badge state-none minutes" data-testid="minutes">{format!("{m} {}", session.t(Text::MinutesShort))}</span> })}
                    <time datetime=message.created_at.to_rfc3339()>{format_time(message.created_at, &zone)}</time>
                </header>
                <p class="body">{message.body.clone()}</p>
            </article>
        }.into_any()));
    }
    for note in &detail.internal_notes {
        thread.push((note.created_at, view! {
            <article class="message internal">
                <header>
                    <strong>{note.author_name.clone().unwrap_or_default()}</strong>
                    <span class="badge state-at_risk">{session.t(Text::InternalNote)}</span>
                    {note.minutes.map(|m| view! { <span class="badge state-none minutes" data-testid="minutes">{format!("{m} {}", session.t(Text::MinutesShort))}</span> })}
                    <time datetime=note.created_at.to_rfc3339()>{format_time(note.created_at, &zone)}</time>
                </header>
                <p class="body">{note.body.clone()}</p>
            </article>
        }.into_any()));
    }
    sort_by_time(&mut thread, |(at, _)| Some(*at));
    let thread_empty = thread.is_empty();

    let calendar_zone = calendar
        .main()
        .map(|c| c.timezone().name().to_owned())
        .unwrap_or_else(|| "UTC".into());
    let events: Vec<_> = detail
        .events
        .iter()
        .filter(|event| staff || !staff_only_event(&event.kind))
        .cloned()
        .collect();
    let taken = ticket.assignee_id.is_some();

    view! {
        <article class="ticket-page">
            <header class="ticket-head">
                <p class="ref">{ticket.reference.clone()}" · "{ticket.organisation_name.clone()}</p>
                <h1>{ticket.subject.clone()}</h1>
                <div class="ticket-meta">
                    <StatusBadge status=ticket.status/>
                    <span class="badge state-none">{ticket.classification.label()}</span>
                    {ticket.classification.special.then(|| view! { <span class="badge special">{session.t(Text::SpecialRequest)}</span> })}
                    {ticket.special_requested.then(|| view! { <span class="badge special awaiting-confirmation">{session.t(Text::AwaitingConfirmation)}</span> })}
                    <span class="meta">{session.t(Text::Plan)}": "{ticket.plan.clone()}</span>
                    {ticket.product.clone().map(|name| view! { <span class="meta">{session.t(Text::Product)}": "{name}</span> })}
                    <span class="meta">{session.t(Text::ProductVersion)}": "{ticket.product_version.clone()}</span>
                    <span class="meta" data-testid="channel">{session.t(Text::Channel)}": "{session.t(ticket.channel.text())}</span>
                    {ticket.unsupported_version.then(|| view! { <span class="badge state-breached unsupported">{session.t(Text::UnsupportedVersion)}</span> })}
                    {ticket.paid.then(|| view! { <span class="badge paid">{session.t(Text::PaidWork)}</span> })}
                    {ticket.product_fields.iter().map(|(key, value)| view! {
                        <span class="meta" data-field=key.clone()>{key.replace('_', " ")}": "{value.clone()}</span>
                    }).collect_view()}
                </div>
                {ticket.hold.clone().map(|hold| view! { <HoldBanner hold=hold/> })}
                {ticket.scheduled_work.map(|window| view! { <ScheduledWindow window=window/> })}
            </header>
            <div class="ticket-grid">
                <div class="ticket-main">
                    {proposal.map(|proposal| view! { <ProposalBox proposal=proposal ticket=ticket.clone() plan=detail.plan_spec.clone() refresh=refresh/> })}
                    <section class="card">
                        <h2>{session.t(Text::Description)}</h2>
                        <p class="body">{ticket.description.clone()}</p>
                        {ticket.steps.clone().filter(|s| !s.is_empty()).map(|steps| view! {
                            <h3>{session.t(Text::StepsToReproduce)}</h3>
                            <p class="body">{steps}</p>
                        })}
                    </section>
                    <section class="card thread" aria-label=session.t(Text::Thread)>
                        <h2>{session.t(Text::Thread)}</h2>
                        {thread_empty.then(|| view! { <p class="empty">{session.t(Text::NoMessages)}</p> })}
                        {thread.into_iter().map(|(_, view)| view).collect_view()}
                    </section>
                    {(!detail.attachments.is_empty()).then(|| view! {
                        <section class="card attachments" aria-label=session.t(Text::Attachments)>
                            <h2>{session.t(Text::Attachments)}</h2>
                            <ul class="files">
                                {detail.attachments.iter().map(|file| view! {
                                    <li>
                                        <a href=api::attachment_url(file.id) download=file.file_name.clone()>{file.file_name.clone()}</a>
                                        <span class="file-size">{format!("{} KB", (file.size.max(0) as u64).div_ceil(1024))}</span>
                                        <time datetime=file.created_at.to_rfc3339()>{format_time(file.created_at, &session.zone())}</time>
                                        {file.first_downloaded_at.filter(|_| staff).map(|at| view! {
                                            <span class="delivered">{session.t(Text::DownloadedByRequester)}" "<time datetime=at.to_rfc3339()>{format_time(at, &session.zone())}</time></span>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                    {staff.then(|| view! { <CannedPicker ticket=ticket.clone() body=drafts.body/> })}
                    <ActionPanel drafts=drafts allowed=allowed.clone() reference=reference.clone() version=version staff=staff refresh=refresh
                        resolved=!ticket.status.is_active() special=ticket.classification.special taken=taken/>
                </div>
                <aside class="ticket-side">
                    {staff.then(|| view! { <RequesterCard ticket=ticket.clone() others=detail.requester_open_tickets.clone()/> })}
                    {(!detail.known_errors.is_empty()).then(|| view! { <LinkedKnownErrors known_errors=detail.known_errors.clone()/> })}
                    <section class="card clocks" aria-label=session.t(Text::Clocks)>
                        <h2>{session.t(Text::Clocks)}</h2>
                        <dl>
                            {clocks.into_iter().map(|clock| {
                                let zone = session.zone();
                                let calendar = calendar.clone();
                                let deadline_title = clock.deadline.map(|d| format!("{} ({})", format_time(d, &calendar_zone), calendar_zone)).unwrap_or_default();
                                view! {
                                    <dt>{session.t(clock_name(clock.kind))}" · "{clock.target.to_string()}</dt>
                                    <dd title=deadline_title>
                                        {move || {
                                            let now = session.now.get();
                                            let reading = read_clock(&clock, calendar.for_clock(&clock), now, &zone, session.locale.get());
                                            view! { <span class=format!("badge countdown state-{}", reading.state) data-state=reading.state data-clock=clock_name(clock.kind).get(shared::i18n::Locale::En)>{reading.text}</span> }
                                        }}
                                        {clock.deadline.map(|d| view! { <span class="deadline-at">{format_time(d, &session.zone())}</span> })}
                                    </dd>
                                }
                            }).collect_view()}
                        </dl>
                    </section>
                    <section class="card timeline" aria-label=session.t(Text::Timeline)>
                        <h2>{session.t(Text::Timeline)}</h2>
                        <ol>
                            {events.into_iter().rev().map(|event| view! {
                                <li>
                                    <time datetime=event.at.to_rfc3339()>{format_time_exact(event.at, &session.zone())}</time>
                                    " "<span>{event.kind.replace('_', " ")}</span>
                                </li>
                            }).collect_view()}
                        </ol>
                    </section>
                </aside>
            </div>
        </article>
    }
}

/// The window scheduled work was asked for, in the viewer's zone.
#[component]
fn ScheduledWindow(window: shared::ticket::scheduled::ScheduledWork) -> impl IntoView {
    let session = session();
    view! {
        <p class="notice scheduled" data-testid="scheduled-work">
            <strong>{session.t(Text::ScheduledWork)}": "</strong>
            <time datetime=window.start.to_rfc3339()>{format_time(window.start, &session.zone())}</time>
            " – "
            <time datetime=window.end.to_rfc3339()>{format_time(window.end, &session.zone())}</time>
        </p>
    }
}

/// Why the ticket is on hold and until when, for everyone who sees it.
#[component]
fn HoldBanner(hold: shared::api::Hold) -> impl IntoView {
    let session = session();
    view! {
        <p class="notice hold" role="status" data-testid="hold-reason">
            <strong>{session.t(Text::OnHoldBecause)}</strong>" "{session.t(hold.kind.text())}" — "{hold.reason}
            {hold.until.map(|until| view! { " ("{session.t(Text::OnHoldUntil)}" "{format_time(until, &session.zone())}")" })}
        </p>
    }
}

/// The requester's name, e-mail, organisation, contract and plan, and their other open
/// tickets [002 §2], for staff.
#[component]
fn RequesterCard(
    ticket: shared::api::Ticket,
    others: Vec<shared::api::TicketLink>,
) -> impl IntoView {
    let session = session();
    let details = ticket.requester.clone().unwrap_or_default();
    view! {
        <section class="card requester" aria-label=session.t(Text::Requester)>
            <h2>{session.t(Text::Requester)}</h2>
            <dl>
                <dt>{session.t(Text::PersonName)}</dt><dd>{ticket.requester_name.clone()}</dd>
                <dt>{session.t(Text::Email)}</dt><dd><a href=format!("mailto:{}", details.email)>{details.email.clone()}</a></dd>
                <dt>{session.t(Text::Organisation)}</dt><dd>{ticket.organisation_name.clone()}</dd>
                <dt>{session.t(Text::Contract)}</dt><dd>{details.contract.clone().unwrap_or_else(|| session.t(Text::NoContract).to_owned())}</dd>
                <dt>{session.t(Text::Plan)}</dt><dd>{ticket.plan.clone()}</dd>
            </dl>
            <h3>{session.t(Text::OtherOpenTickets)}</h3>
            {if others.is_empty() {
                view! { <p class="empty">{session.t(Text::NoOtherOpenTickets)}</p> }.into_any()
            } else {
                view! {
                    <ul class="other-tickets">
                        {others.into_iter().map(|other| view! {
                            <li><a href=format!("/tickets/{}", other.reference)>{other.reference.clone()}</a>" "{other.subject}" "<StatusBadge status=other.status/></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// The known errors linked to the ticket, by number.
#[component]
fn LinkedKnownErrors(known_errors: Vec<shared::api::LinkedKnownError>) -> impl IntoView {
    let session = session();
    view! {
        <section class="card known-errors" aria-label=session.t(Text::LinkedKnownErrors)>
            <h2>{session.t(Text::LinkedKnownErrors)}</h2>
            <ul>
                {known_errors.into_iter().map(|known| view! {
                    <li><strong>{known.number}</strong>" "{known.title}" · "{known.status}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The customer's answer to a proposed reclassification, with the effect on the deadline
/// computed by `shared`.
#[component]
fn ProposalBox(
    proposal: Proposal,
    ticket: shared::api::Ticket,
    plan: Option<shared::sla::PlanSpec>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let session = session();
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let effect = proposal.classification.and_then(|classification| {
        let plan = Plan::new(plan.as_ref()?).ok()?;
        let now = session.now.get_untracked();
        let clocks = shared::clocks(
            &plan,
            &classification,
            &[ClockEvent::new(
                ticket.registered_at,
                ClockEventKind::Registered,
            )],
            now,
        );
        Some((
            classification.label(),
            clocks.resolution.target.to_string(),
            clocks.resolution.deadline,
            clocks.resolution.target == shared::sla::Target::None,
        ))
    });
    let answer = move |accept: bool| {
        let id = proposal.id;
        leptos::task::spawn_local(async move {
            match api::answer_reclassification(id, accept, comment.get_untracked()).await {
                Ok(_) => refresh.update(|n| *n += 1),
                Err(failure) => error.set(Some(failure.to_string())),
            }
        });
    };
    view! {
        <section class="card proposal" role="region" aria-label=session.t(Text::ProposedReclassification)>
            <h2>{session.t(Text::ProposedReclassification)}</h2>
            <p>{ticket.classification.label()}" → "<strong>{effect.as_ref().map(|e| e.0.clone()).unwrap_or_default()}</strong></p>
            <p><strong>{session.t(Text::Reason)}": "</strong>{proposal.reason.clone()}</p>
            {effect.map(|(_, target, deadline, no_target)| {
                let explained = match deadline {
                    Some(at) => format!(
                        "{} {} {}, {} {}.",
                        session.t(Text::ProposalExplains),
                        session.t(Text::ProposalWithin),
                        target,
                        session.t(Text::ProposalBy),
                        format_time(at, &session.zone()),
                    ),
                    None if no_target => session.t(Text::ProposalNoDeadline).to_owned(),
                    // The plan counts resolution from the moment the problem is reproduced.
                    None => format!(
                        "{} {} {}, {}.",
                        session.t(Text::ProposalExplains),
                        session.t(Text::ProposalWithin),
                        target,
                        session.t(Text::ProposalFromReproduced),
                    ),
                };
                view! {
                    <p>{session.t(Text::NewDeadline)}": "<strong>{target}</strong>" · "
                        {deadline.map(|d| format_time(d, &session.zone())).unwrap_or_else(|| session.t(Text::NoCommitment).to_owned())}</p>
                    <p class="proposal-explained" data-testid="proposal-explained">{explained}</p>
                }
            })}
            <div class="field">
                <label for="proposal-comment">{session.t(Text::Comment)}</label>
                <input id="proposal-comment" type="text" prop:value=comment on:input=move |ev| comment.set(event_target_value(&ev))/>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <div class="actions">
                <button type="button" class="button primary" on:click=move |_| answer(true)>{session.t(Text::Accept)}</button>
                <button type="button" class="button secondary" on:click=move |_| answer(false)>{session.t(Text::Reject)}</button>
            </div>
        </section>
    }
}

/// Reply, and every action the viewer may take now.
#[component]
fn ActionPanel(
    drafts: Drafts,
    allowed: Vec<Action>,
    reference: String,
    version: i32,
    staff: bool,
    refresh: RwSignal<u32>,
    resolved: bool,
    /// Whether the ticket is a special request now (`set_special` offers the other choice).
    #[prop(optional)]
    special: bool,
    /// Whether somebody has the ticket already (then nobody is offered "Take").
    #[prop(optional)]
    taken: bool,
) -> impl IntoView {
    let session = session();
    let special_choice = RwSignal::new(!special);
    let Drafts {
        mode,
        body,
        score,
        assignee,
        known_error,
        category,
        severity,
        files,
        notice,
        hold_kind,
        hold_until,
        minutes,
    } = drafts;
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);

    let can = |action: Action| allowed.contains(&action) && !(action == Action::Take && taken);
    let can_reply = can(Action::CustomerReply) || can(Action::AgentReply);
    let reference_for_send = reference.clone();
    let send = move |internal: bool| {
        let reference = reference_for_send.clone();
        let text = body.get_untracked();
        let spent = minutes.get_untracked().trim().parse::<u32>().ok();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let mut ok = true;
            if !text.trim().is_empty() || files.get_untracked().is_empty() {
                match api::create_message(reference.clone(), text, internal, spent).await {
                    Ok(_) => {
                        body.set(String::new());
                        minutes.set(String::new());
                    }
                    Err(failure) => {
                        ok = false;
                        error.set(Some(failure));
                    }
                }
            }
            if ok && upload_all(reference, files).await {
                files.set(Vec::new());
            }
            busy.set(false);
            refresh.update(|n| *n += 1);
        });
    };
    let send_reply = send.clone();
    let reference_for_action = reference.clone();
    let run = move |action: Action| {
        let reference = reference_for_action.clone();
        busy.set(true);
        error.set(None);
        let comment = Some(body.get_untracked()).filter(|c| !c.trim().is_empty());
        if action == Action::Expedite && comment.is_none() {
            let why = Text::ExpediteNeedsReason.get(session.locale.get_untracked());
            error.set(Some(ApiError::invalid("comment", why.to_owned())));
            busy.set(false);
            return;
        }
        leptos::task::spawn_local(async move {
            let result = match action {
                Action::Rate => {
                    api::rate_ticket(
                        reference,
                        score.get_untracked(),
                        comment.unwrap_or_default(),
                    )
                    .await
                }
                Action::ProposeReclassification => {
                    match Classification::new(
                        category.get_untracked(),
                        severity.get_untracked(),
                        false,
                    ) {
                        Ok(classification) => {
                            api::propose_reclassification(
                                reference,
                                classification,
                                comment.unwrap_or_default(),
                            )
                            .await
                        }
                        Err(problem) => Err(ApiError::invalid("severity", problem.to_string())),
                    }
                }
                _ => {
                    let hold = action == Action::Hold;
                    let request = ActionRequest {
                        action,
                        assignee_id: assignee.get_untracked().trim().parse().ok(),
                        known_error_id: known_error.get_untracked().trim().parse().ok(),
                        reason: if hold { comment.clone() } else { None },
                        reason_kind: hold.then(|| hold_kind.get_untracked()),
                        until: if hold {
                            from_local_input(&hold_until.get_untracked(), &session.zone())
                        } else {
                            None
                        },
                        comment: if hold { None } else { comment },
                        special: (action == Action::SetSpecial)
                            .then(|| special_choice.get_untracked()),
                    };
                    api::create_action(reference, version, request).await
                }
            };
            match result {
                Ok(_) => {
                    body.set(String::new());
                    mode.set(None);
                    notice.set(match action {
                        Action::Expedite => Some(
                            Text::ExpediteSent
                                .get(session.locale.get_untracked())
                                .to_owned(),
                        ),
                        Action::Rate => Some(
                            Text::ThanksForRating
                                .get(session.locale.get_untracked())
                                .to_owned(),
                        ),
                        _ => None,
                    });
                    refresh.update(|n| *n += 1);
                }
                // Someone changed the ticket meanwhile: it is shown as it is now, with the
                // server's word on what happened, and the person decides again.
                Err(failure) if failure.is_conflict() => {
                    notice.set(Some(failure.to_string()));
                    refresh.update(|n| *n += 1);
                }
                Err(failure) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };

    // Actions that need words or a choice first open a small form; the rest run at once.
    let staff_actions: Vec<Action> = [
        Action::Take,
        Action::Assign,
        Action::InternalNote,
        Action::RequestInfo,
        Action::MarkReproduced,
        Action::Escalate,
        Action::LinkKnownError,
        Action::ProposeReclassification,
        Action::SetSpecial,
        Action::Hold,
        Action::Resume,
        Action::Resolve,
        Action::Close,
    ]
    .into_iter()
    .filter(|a| can(*a))
    .collect();
    let customer_actions: Vec<Action> = [
        Action::Expedite,
        Action::Rate,
        Action::Close,
        Action::Reopen,
    ]
    .into_iter()
    .filter(|a| can(*a))
    .collect();
    let buttons = if staff {
        staff_actions
    } else {
        customer_actions
    };
    let run_direct = run.clone();
    let run_confirm = run.clone();
    let send_note = send.clone();

    view! {
        <section class="card reply-box">
            {can_reply.then(|| view! {
                <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); send_reply(false); }>
                    <div class="field">
                        <label for="reply">{session.t(Text::Reply)}</label>
                        <textarea id="reply" placeholder=session.t(Text::ReplyPlaceholder)
                            prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                        <p class="field-error">{move || error.get().and_then(|e| e.field("body"))}</p>
                    </div>
                    {staff.then(|| view! {
                        <div class="field minutes">
                            <label for="reply-minutes">{session.t(Text::MinutesSpent)}</label>
                            <input id="reply-minutes" type="number" min="1" max="1440" inputmode="numeric"
                                aria-invalid={move || error.get().and_then(|e| e.field("minutes")).is_some().to_string()}
                                prop:value=minutes on:input=move |ev| minutes.set(event_target_value(&ev))/>
                            <p class="field-error">{move || error.get().and_then(|e| e.field("minutes"))}</p>
                        </div>
                    })}
                    <AttachmentDrop files=files/>
                    <div class="actions">
                        <button type="submit" class="button primary" disabled=busy>{session.t(Text::Send)}</button>
                    </div>
                </form>
            })}
            <div class="actions ticket-actions">
                {buttons.into_iter().map(|action| {
                    let run = run_direct.clone();
                    let immediate = action == Action::Take;
                    view! {
                        <button type="button" class="button secondary" disabled=busy
                            aria-pressed={move || (mode.get() == Some(action)).to_string()}
                            on:click=move |_| if immediate { run(action) } else { mode.set(Some(action)) }>
                            {session.t(action_text(action))}
                        </button>
                    }
                }).collect_view()}
            </div>
            {move || notice.get().map(|text| view! { <p class="notice" role="status">{text}</p> })}
            {
                let run = run_confirm.clone();
                let send_note = send_note.clone();
                move || mode.get().map(|action| {
                    let run = run.clone();
                    let send_note = send_note.clone();
                    let label = session.t(action_text(action));
                    view! {
                        <form class="action-form" aria-label=label
                            on:submit=move |ev: leptos::ev::SubmitEvent| {
                                ev.prevent_default();
                                if action == Action::InternalNote { send_note(true); mode.set(None); } else { run(action) }
                            }>
                            <h3>{label}</h3>
                            {clock_hint(action, staff).map(|text| view! { <p class="hint clock-effect">{session.t(text)}</p> })}
                            {(action == Action::Expedite).then(|| view! { <p class="help expedite-help">{session.t(Text::ExpediteConfirmHelp)}</p> })}
                            {(action == Action::Rate).then(|| view! { <StarPicker score=score/> })}
                            {(action == Action::Assign).then(|| view! { <AssigneePicker selected=assignee/> })}
                            {(action == Action::SetSpecial).then(|| view! {
                                <div class="field checkbox">
                                    <label>
                                        <input id="set-special" type="checkbox" prop:checked=special_choice
                                            on:change=move |ev| special_choice.set(event_target_checked(&ev))/>
                                        {session.t(Text::SpecialRequest)}
                                    </label>
                                    <p class="help">{session.t(Text::OneProblemPerSpecialRequest)}</p>
                                </div>
                            })}
                            {(action == Action::Hold).then(|| view! { <HoldFields kind=hold_kind until=hold_until/> })}
                            {(action == Action::LinkKnownError).then(|| view! { <KnownErrorPicker selected=known_error/> })}
                            {(action == Action::ProposeReclassification).then(|| view! {
                                <div class="field">
                                    <label for="new-category">{session.t(Text::Category)}</label>
                                    <select id="new-category" on:change=move |ev| {
                                        let code = event_target_value(&ev);
                                        if let Some(found) = Category::ALL.into_iter().find(|c| c.code() == code) { category.set(found); }
                                    }>
                                        {Category::ALL.into_iter().map(|c| view! { <option value=c.code() selected={move || category.get() == c}>{c.code()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="new-severity">{session.t(Text::Severity)}</label>
                                    <select id="new-severity" on:change=move |ev| severity.set(event_target_value(&ev).parse::<u8>().ok().and_then(|n| Severity::try_from(n).ok()))>
                                        <option value="">"—"</option>
                                        {Severity::ALL.into_iter().map(|s| view! { <option value=s.number().to_string()>{s.number()}</option> }).collect_view()}
                                    </select>
                                </div>
                            })}
                            <div class="field">
                                <label for="action-comment">{match action {
                                    Action::ProposeReclassification => session.t(Text::Reason),
                                    Action::Hold => session.t(Text::HoldReason),
                                    Action::Expedite => session.t(Text::ExpediteWhy),
                                    _ => session.t(Text::Comment),
                                }}</label>
                                <textarea id="action-comment" prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                                <p class="field-error">{move || error.get().and_then(|e| e.field("comment").or_else(|| e.field("score")).or_else(|| e.field("reason")).or_else(|| e.field("until")))}</p>
                            </div>
                            <p class="form-error" role="alert">{move || error.get().as_ref().and_then(panel_error)}</p>
                            <div class="actions">
                                <button type="submit" class="button primary" disabled=busy>{
                                    if action == Action::Expedite { session.t(Text::ExpediteConfirm) } else { label }
                                }</button>
                                <button type="button" class="button secondary" on:click=move |_| { error.set(None); mode.set(None) }>{session.t(Text::Back)}</button>
                            </div>
                        </form>
                    }
                })
            }
            {move || mode.get().is_none().then(|| view! {
                <p class="form-error" role="alert">{move || error.get().as_ref().and_then(panel_error)}</p>
            })}
            {resolved.then_some(())}
        </section>
    }
}

/// The fields whose refusal the action form shows beneath the field itself.
const FIELDS_SHOWN: [&str; 5] = ["body", "comment", "score", "reason", "until"];

/// What a refused action says in its panel: the server's reason for anything no field of the
/// form shows beneath itself (a severity a resolution needs, a status that changed, a rule).
fn panel_error(error: &ApiError) -> Option<String> {
    let elsewhere: Vec<&str> = error
        .body
        .fields
        .iter()
        .filter(|(field, _)| !FIELDS_SHOWN.contains(&field.as_str()))
        .map(|(_, message)| message.as_str())
        .collect();
    if !elsewhere.is_empty() {
        return Some(elsewhere.join(" "));
    }
    let shown = error
        .body
        .field
        .as_deref()
        .is_some_and(|field| FIELDS_SHOWN.contains(&field));
    (error.body.fields.is_empty() && !shown).then(|| error.to_string())
}

/// What the form of `action` says about the clocks: a customer is told nothing of clocks an
/// action leaves alone.
fn clock_hint(action: Action, staff: bool) -> Option<Text> {
    let effect = shared::ticket::clock_effect(action);
    (staff || effect != Text::EffectNone).then_some(effect)
}

/// The kind of a hold's reason and when the ticket resumes by itself.
#[component]
fn HoldFields(kind: RwSignal<HoldKind>, until: RwSignal<String>) -> impl IntoView {
    let session = session();
    view! {
        <div class="field">
            <label for="hold-kind">{session.t(Text::HoldKindLabel)}</label>
            <select id="hold-kind" on:change=move |ev| {
                if let Some(found) = HoldKind::parse(&event_target_value(&ev)) { kind.set(found); }
            }>
                {HoldKind::ALL.into_iter().map(|choice| view! {
                    <option value=choice.as_str() selected={move || kind.get() == choice}>{session.t(choice.text())}</option>
                }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for="hold-until">{session.t(Text::HoldUntil)}</label>
            <input id="hold-until" type="datetime-local" prop:value=until
                on:input=move |ev| until.set(event_target_value(&ev))/>
        </div>
    }
}

/// Search-as-you-type over the known errors; the choice fills `selected` with the id.
/// The members of staff by name and role: the assignment sends the chosen one's id.
#[component]
fn AssigneePicker(selected: RwSignal<String>) -> impl IntoView {
    let session = session();
    let staff = Remote::new(|| async { api::list_staff().await.unwrap_or_default() });
    view! {
        <div class="field">
            <label for="assignee">{session.t(Text::Assignee)}</label>
            <select id="assignee" on:change=move |ev| selected.set(event_target_value(&ev))>
                <option value="" selected={move || selected.get().is_empty()}>"—"</option>
                {move || staff.get().unwrap_or_default().into_iter().map(|member| {
                    let id = member.id.to_string();
                    let chosen = id.clone();
                    let role = session.t(role_text(member.role));
                    view! {
                        <option value=id selected={move || selected.get() == chosen}>
                            {format!("{} — {role}", member.name)}
                        </option>
                    }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn KnownErrorPicker(selected: RwSignal<String>) -> impl IntoView {
    let session = session();
    let query = RwSignal::new(String::new());
    let results = Remote::new(move || {
        let q = query.get();
        async move { api::search_known_errors(q).await.unwrap_or_default() }
    });
    view! {
        <div class="field">
            <label for="known-error-search">{session.t(Text::Search)}</label>
            <input id="known-error-search" type="search" prop:value=query on:input=move |ev| query.set(event_target_value(&ev))/>
            {transition(Waiting::Quietly, move || Some(view! {
            <ul class="picker">
                {move || results.get().unwrap_or_default().into_iter().map(|known| {
                    let id = known.id.to_string();
                    let chosen = id.clone();
                    view! {
                        <li><label><input type="radio" name="known-error" value=id.clone()
                            on:change=move |_| selected.set(chosen.clone())/>" "{known.title}</label></li>
                    }
                }).collect_view()}
            </ul>
            }.into_any()))}
        </div>
    }
}

/// Inserts a canned response into the reply, its placeholders filled by `shared::canned`.
#[component]
fn CannedPicker(ticket: shared::api::Ticket, body: RwSignal<String>) -> impl IntoView {
    let session = session();
    let canned = Remote::new(api::list_canned_responses);
    let insert = move |id: String| {
        let Some(Ok(list)) = canned.get_untracked() else {
            return;
        };
        let Some(chosen) = list.iter().find(|c| c.id.to_string() == id) else {
            return;
        };
        let agent = session
            .user
            .get_untracked()
            .flatten()
            .map(|me| me.name)
            .unwrap_or_default();
        let values = shared::canned::Placeholders {
            customer_name: &ticket.requester_name,
            reference: &ticket.reference,
            subject: &ticket.subject,
            organisation: &ticket.organisation_name,
            agent_name: &agent,
        };
        let text = shared::canned::expand(&chosen.body, &values);
        body.update(|current| {
            if !current.trim().is_empty() {
                current.push_str("\n\n");
            }
            current.push_str(&text);
        });
    };
    view! {
        <div class="field canned-picker">
            <label for="canned-response">{session.t(Text::CannedResponse)}</label>
            <select id="canned-response" on:change=move |ev| {
                let id = event_target_value(&ev);
                insert(id);
                if let Some(select) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok()) {
                    select.set_value("");
                }
            }>
                <option value="">{session.t(Text::CannedChoose)}</option>
                {move || canned.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| view! {
                    <option value=c.id.to_string()>{c.title}</option>
                }).collect_view()}
            </select>
        </div>
    }
}
