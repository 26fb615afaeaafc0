//! The live countdown of a ticket's running clock, in working time, computed by `shared`.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use shared::Calendar;
use shared::api::Ticket;
use shared::i18n::{Locale, Text};
use shared::sla::{Clock, ClockKind, ClockState};
use shared::ticket::Status;

use crate::components::time::{format_time, sort_by_time};
use crate::state::session;

/// The calendars a ticket's clocks run on, as the server sent them, built by `shared`.
pub struct TicketCalendar {
    /// The calendar of the classification in force (24x7 for a special request).
    main: Option<Calendar>,
    /// A special request's ordinary calendar, for its clocks that keep the ordinary deadline.
    ordinary: Option<Calendar>,
}

impl TicketCalendar {
    /// The calendar of the classification in force.
    pub fn main(&self) -> Option<&Calendar> {
        self.main.as_ref()
    }

    /// The calendar to read `clock` with.
    pub fn for_clock(&self, clock: &Clock) -> Option<&Calendar> {
        if clock.ordinary_calendar {
            self.ordinary.as_ref().or(self.main.as_ref())
        } else {
            self.main.as_ref()
        }
    }
}

/// The calendars of a ticket's clocks.
pub fn ticket_calendar(ticket: &Ticket) -> TicketCalendar {
    let build = |spec: Option<&shared::calendar::CalendarSpec>| Calendar::new(spec?).ok();
    TicketCalendar {
        main: build(ticket.calendar.as_ref()),
        ordinary: build(ticket.ordinary_calendar.as_ref()),
    }
}

/// What a clock says at `now`: the state class, and the text.
pub struct Reading {
    pub state: &'static str,
    pub text: String,
}

/// Formats a working-time span as `2h 05m 09s` (`1d 3h 05m 09s` when long): the seconds tick.
pub fn span(seconds: i64) -> String {
    let seconds = seconds.abs();
    let (days, hours, minutes, secs) = (
        seconds / 86_400,
        seconds / 3600 % 24,
        seconds / 60 % 60,
        seconds % 60,
    );
    if days > 0 {
        format!("{days}d {hours}h {minutes:02}m {secs:02}s")
    } else if hours > 0 {
        format!("{hours}h {minutes:02}m {secs:02}s")
    } else {
        format!("{minutes}m {secs:02}s")
    }
}

/// Reads one clock at `now` with the ticket's calendar: `shared`'s `Clock::at` decides the
/// state and the remaining working time; this only words it.
pub fn read_clock(
    clock: &Clock,
    calendar: Option<&Calendar>,
    now: DateTime<Utc>,
    zone: &str,
    locale: Locale,
) -> Reading {
    let t = |text: Text| text.get(locale);
    let clock = match calendar {
        Some(calendar) => clock.at(calendar, now),
        None => *clock,
    };
    let remaining = clock.remaining_seconds.unwrap_or_default();
    let reading = |state: &'static str, text: String| Reading { state, text };
    match clock.state {
        ClockState::Breached if clock.active => reading(
            "breached",
            format!(
                "{} {} · {}",
                t(Text::Breached),
                span(remaining),
                t(Text::Overdue)
            ),
        ),
        ClockState::Running | ClockState::AtRisk if clock.active => {
            if let Some(calendar) = calendar.filter(|calendar| !calendar.is_working(now)) {
                return reading(
                    "paused",
                    format!(
                        "{} {}",
                        t(Text::PausedUntil),
                        format_time(calendar.next_working(now), zone)
                    ),
                );
            }
            let state = if clock.state == ClockState::AtRisk {
                "at_risk"
            } else {
                "running"
            };
            reading(state, format!("{} {}", span(remaining), t(Text::Left)))
        }
        ClockState::Met => reading("met", t(Text::Met).to_owned()),
        ClockState::Breached => reading("breached", t(Text::Breached).to_owned()),
        ClockState::Paused => reading("paused", t(Text::Paused).to_owned()),
        _ => reading("none", "—".to_owned()),
    }
}

/// The clock a list shows: the active one with the nearest deadline, else the most telling one.
pub fn headline_clock(ticket: &Ticket) -> Option<Clock> {
    let clocks = ticket.clocks.as_ref()?;
    clocks
        .iter()
        .filter(|clock| clock.active && clock.deadline.is_some())
        .min_by_key(|clock| clock.deadline)
        .or_else(|| {
            clocks
                .iter()
                .find(|clock| clock.state == ClockState::Breached)
        })
        .or(Some(&clocks.resolution))
        .copied()
}

/// The headline countdown of a ticket, ticking with the session's `now`.
#[component]
pub fn Countdown(ticket: Ticket) -> impl IntoView {
    let session = session();
    let calendar = std::sync::Arc::new(ticket_calendar(&ticket));
    let calendar_for_title = calendar.clone();
    let clock = headline_clock(&ticket);
    let waiting = ticket.status == Status::WaitingForCustomer;
    let on_hold = ticket.status == Status::OnHold;
    let reading = move || {
        let now = session.now.get();
        let zone = session.zone();
        if on_hold {
            return Reading {
                state: "paused",
                text: session.t(Text::StatusOnHold).to_owned(),
            };
        }
        if waiting {
            let staff = session.is_staff();
            return Reading {
                state: "paused",
                text: session
                    .t(if staff {
                        Text::WaitingForCustomer
                    } else {
                        Text::WaitingForYou
                    })
                    .to_owned(),
            };
        }
        match &clock {
            Some(clock) => read_clock(
                clock,
                calendar.for_clock(clock),
                now,
                &zone,
                session.locale.get(),
            ),
            None => Reading {
                state: "none",
                text: "—".to_owned(),
            },
        }
    };
    let title = clock
        .and_then(|clock| clock.deadline)
        .map(|deadline| {
            let calendar_zone = calendar_for_title
                .main()
                .map(|c| c.timezone().name().to_owned());
            let zone = calendar_zone.unwrap_or_else(|| "UTC".to_owned());
            format!(
                "{} {} ({zone})",
                session.t(Text::Deadline),
                format_time(deadline, &zone)
            )
        })
        .unwrap_or_default();
    view! {
        {move || {
            let reading = reading();
            view! {
                <span class=format!("badge countdown state-{}", reading.state) title=title.clone()
                    data-state=reading.state>
                    {reading.text}
                </span>
            }
        }}
    }
}

/// The name of a clock, as the ticket page and the queue label it.
pub fn clock_name(kind: ClockKind) -> Text {
    match kind {
        ClockKind::FirstResponse => Text::FirstResponse,
        ClockKind::NextResponse => Text::NextResponse,
        ClockKind::Resolution => Text::Resolution,
        ClockKind::Escalation => Text::Escalation,
    }
}

/// A queue row's countdowns: one ticking badge per running clock, nearest deadline first, each
/// named; the headline countdown when at most one runs or the ticket waits for the customer.
#[component]
pub fn ClockCountdowns(ticket: Ticket) -> impl IntoView {
    let session = session();
    let mut running: Vec<Clock> = ticket
        .clocks
        .as_ref()
        .map(|clocks| {
            clocks
                .iter()
                .filter(|clock| clock.active && clock.deadline.is_some())
                .copied()
                .collect()
        })
        .unwrap_or_default();
    if running.len() <= 1 || matches!(ticket.status, Status::WaitingForCustomer | Status::OnHold) {
        return view! { <Countdown ticket=ticket/> }.into_any();
    }
    sort_by_time(&mut running, |clock| clock.deadline);
    let calendar = std::sync::Arc::new(ticket_calendar(&ticket));
    view! {
        <ul class="countdowns">
            {running.into_iter().map(|clock| {
                let calendar = calendar.clone();
                view! {
                    <li>
                        <span class="clock-name">{move || session.t(clock_name(clock.kind))}</span>
                        " "
                        {move || {
                            let reading = read_clock(&clock, calendar.for_clock(&clock), session.now.get(), &session.zone(), session.locale.get());
                            view! {
                                <span class=format!("badge countdown state-{}", reading.state) data-state=reading.state>
                                    {reading.text}
                                </span>
                            }
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
