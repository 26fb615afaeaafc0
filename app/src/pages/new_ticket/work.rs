//! The new-ticket form's fields for scheduled off-hours work and paid work [004]. The window is
//! entered in the plan calendar's zone and checked as the customer types by the rule the
//! server applies (`shared::ticket::scheduled::check`).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use shared::i18n::Text;
use shared::sla::Plan;
use shared::ticket::scheduled::{self, ScheduledWork};

use crate::api::ApiError;
use crate::components::layout::ShowWhen;
use crate::state::session;

/// The scheduled-work and paid-work choices being edited.
#[derive(Clone, Copy)]
pub(super) struct WorkDraft {
    pub scheduled: RwSignal<bool>,
    pub start: RwSignal<String>,
    pub end: RwSignal<String>,
    pub paid: RwSignal<bool>,
}

impl WorkDraft {
    pub fn new() -> WorkDraft {
        WorkDraft {
            scheduled: RwSignal::new(false),
            start: RwSignal::new(String::new()),
            end: RwSignal::new(String::new()),
            paid: RwSignal::new(false),
        }
    }

    /// The window as entered, read in `zone`; `None` when scheduled work is not chosen or a
    /// time does not parse (the server then answers for the missing field).
    pub fn window(&self, zone: chrono_tz::Tz) -> Option<ScheduledWork> {
        if !self.scheduled.get_untracked() {
            return None;
        }
        let start = scheduled::parse_local(&self.start.get_untracked(), zone)?;
        let end = scheduled::parse_local(&self.end.get_untracked(), zone).unwrap_or(start);
        Some(ScheduledWork { start, end })
    }
}

/// The calendar zone the window is entered in: the plan's, else UTC.
pub(super) fn plan_zone(plan: Option<&Plan>) -> chrono_tz::Tz {
    plan.map_or(chrono_tz::UTC, |plan| plan.calendar().timezone())
}

/// The checkbox for scheduled work with its window, and the checkbox for paid work.
#[component]
pub(super) fn WorkFields(
    work: WorkDraft,
    plan: RwSignal<Option<Arc<Plan>>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let session = session();
    let zone = move || plan_zone(plan.get().as_deref());
    let earliest = move || {
        let now: DateTime<Utc> = session.now.get();
        let plan = plan.get()?;
        Some(scheduled::earliest_start(plan.calendar(), now))
    };
    // What the server would say about the window, said before it is sent.
    let local_error = move || {
        // `window` reads untracked: the check follows every input it depends on.
        work.scheduled.track();
        work.start.track();
        work.end.track();
        let plan = plan.get()?;
        let window = work.window(plan_zone(Some(&plan)))?;
        let now = session.now.get();
        scheduled::check(&window, plan.calendar(), now)
            .err()
            .map(|failure| (failure.field(), failure.message(plan.calendar())))
    };
    // With the plan known, the form's own check speaks for the window (an answer of the server
    // to an earlier window would otherwise stay after a correction); without it, the server.
    let field_error = move |name: &'static str| {
        move || {
            if plan.with(Option::is_some) {
                local_error()
                    .filter(|(field, _)| *field == name)
                    .map(|(_, message)| message)
            } else {
                error.get().and_then(|e| e.field(name))
            }
        }
    };
    view! {
        <div class="field checkbox">
            <label>
                <input id="scheduled-work" type="checkbox" aria-describedby="scheduled-work-help"
                    prop:checked=work.scheduled on:change=move |ev| work.scheduled.set(event_target_checked(&ev))/>
                {session.text(Text::ScheduledWork)}
            </label>
            <p id="scheduled-work-help" class="help">{session.text(Text::ScheduledWorkHelp)}</p>
        </div>
        <ShowWhen when=move || work.scheduled.get()>
            <div class="field-row scheduled-window">
                <div class="field">
                    <label for="scheduled-start">{move || format!("{} ({})", session.t(Text::ScheduledStart), zone().name())}</label>
                    <input id="scheduled-start" type="datetime-local" aria-describedby="scheduled-earliest scheduled-start-error"
                        aria-invalid={move || field_error("scheduled_work.start")().is_some().to_string()}
                        prop:value=work.start on:input=move |ev| work.start.set(event_target_value(&ev))/>
                    <p id="scheduled-earliest" class="help" data-testid="earliest-start">
                        {move || earliest().map(|at| format!("{}: {} ({})", session.t(Text::EarliestStart), scheduled::local_text(at, zone()), zone().name()))}
                    </p>
                    <p id="scheduled-start-error" class="field-error">{field_error("scheduled_work.start")}</p>
                </div>
                <div class="field">
                    <label for="scheduled-end">{move || format!("{} ({})", session.t(Text::ScheduledEnd), zone().name())}</label>
                    <input id="scheduled-end" type="datetime-local" aria-describedby="scheduled-end-error"
                        aria-invalid={move || field_error("scheduled_work.end")().is_some().to_string()}
                        prop:value=work.end on:input=move |ev| work.end.set(event_target_value(&ev))/>
                    <p id="scheduled-end-error" class="field-error">{field_error("scheduled_work.end")}</p>
                </div>
            </div>
        </ShowWhen>
        <div class="field checkbox">
            <label>
                <input id="paid-work" type="checkbox" aria-describedby="paid-work-help paid-work-error"
                    prop:checked=work.paid on:change=move |ev| work.paid.set(event_target_checked(&ev))/>
                {session.text(Text::PaidWork)}
            </label>
            <p id="paid-work-help" class="help">{session.text(Text::PaidWorkHelp)}</p>
            <p id="paid-work-error" class="field-error">{move || error.get().and_then(|e| e.field("paid"))}</p>
        </div>
    }
}
