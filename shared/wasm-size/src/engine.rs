//! The exports, calling the SLA engine. Instants are Unix seconds; a failed parse writes the
//! error to the output and returns 1.

use std::cell::{Cell, RefCell};

use chrono::{DateTime, Duration, NaiveTime, Utc};
use shared::calendar::{Calendar, CalendarSpec};
use shared::sla::{ClockEvent, Plan, PlanSpec, clocks};
use shared::ticket::{Category, Classification, Severity};

use crate::{put_output, take_input};

thread_local! {
    static CALENDAR: RefCell<Calendar> = RefCell::new(Calendar::always_open());
    static PLAN: RefCell<Option<Plan>> = const { RefCell::new(None) };
    static CLASSIFICATION: Cell<Option<Classification>> = const { Cell::new(None) };
    static EVENTS: RefCell<Vec<ClockEvent>> = const { RefCell::new(Vec::new()) };
}

fn instant(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

fn with_calendar<T>(f: impl FnOnce(&Calendar) -> T) -> T {
    CALENDAR.with_borrow(f)
}

fn failed(error: impl std::fmt::Display) -> u32 {
    put_output(&error.to_string());
    1
}

/// Parses and validates the calendar JSON in the input.
#[unsafe(no_mangle)]
pub extern "C" fn calendar_from_json() -> u32 {
    match CalendarSpec::from_json(&take_input()).and_then(|spec| Calendar::new(&spec)) {
        Ok(calendar) => {
            CALENDAR.set(calendar);
            0
        }
        Err(error) => failed(error),
    }
}

/// R1.
#[unsafe(no_mangle)]
pub extern "C" fn add_working(start: i64, seconds: i64) -> i64 {
    with_calendar(|calendar| calendar.add_working(instant(start), Duration::seconds(seconds)))
        .timestamp()
}

/// R2.
#[unsafe(no_mangle)]
pub extern "C" fn working_between(from: i64, to: i64) -> i64 {
    with_calendar(|calendar| calendar.working_between(instant(from), instant(to))).num_seconds()
}

/// R3.
#[unsafe(no_mangle)]
pub extern "C" fn same_or_next_working_day(registered: i64, cutoff_minutes: u32) -> i64 {
    let cutoff = NaiveTime::from_num_seconds_from_midnight_opt(cutoff_minutes * 60, 0)
        .unwrap_or(NaiveTime::MIN);
    with_calendar(|calendar| calendar.same_or_next_working_day(instant(registered), cutoff))
        .timestamp()
}

/// R4.
#[unsafe(no_mangle)]
pub extern "C" fn add_working_days(start: i64, days: u32) -> i64 {
    with_calendar(|calendar| calendar.add_working_days(instant(start), days)).timestamp()
}

/// R5 with one pause.
#[unsafe(no_mangle)]
pub extern "C" fn working_between_excluding(from: i64, to: i64, paused: i64, resumed: i64) -> i64 {
    let pauses = [(instant(paused), instant(resumed))];
    with_calendar(|calendar| {
        calendar.working_between_excluding(instant(from), instant(to), &pauses)
    })
    .num_seconds()
}

/// Whether `at` is working time (bit 0) and exact holiday data covers it (bit 1).
#[unsafe(no_mangle)]
pub extern "C" fn is_working(at: i64) -> u32 {
    with_calendar(|calendar| {
        u32::from(calendar.is_working(instant(at))) | u32::from(calendar.covers(instant(at))) << 1
    })
}

/// Parses and validates the plan JSON in the input.
#[unsafe(no_mangle)]
pub extern "C" fn plan_from_json() -> u32 {
    match PlanSpec::from_json(&take_input()).and_then(|spec| Plan::new(&spec)) {
        Ok(plan) => {
            PLAN.set(Some(plan));
            0
        }
        Err(error) => failed(error),
    }
}

/// Validates a classification: category 0–4 for A–E, severity 1–4 or 0 for none.
#[unsafe(no_mangle)]
pub extern "C" fn classify(category: u32, severity: u32, special: u32) -> u32 {
    let categories = [
        Category::A,
        Category::B,
        Category::C,
        Category::D,
        Category::E,
    ];
    let category = categories[category as usize % categories.len()];
    let severity = match severity {
        0 => None,
        1 => Some(Severity::Critical),
        2 => Some(Severity::Serious),
        3 => Some(Severity::Minor),
        _ => Some(Severity::NotADefect),
    };
    match Classification::new_final(category, severity, special != 0) {
        Ok(classification) => {
            put_output(&classification.label());
            CLASSIFICATION.set(Some(classification));
            0
        }
        Err(error) => failed(format!("{}: {error}", error.field())),
    }
}

/// Parses the ticket's events (JSON array) in the input.
#[unsafe(no_mangle)]
pub extern "C" fn events_from_json() -> u32 {
    match serde_json::from_str::<Vec<ClockEvent>>(&take_input()) {
        Ok(events) => {
            EVENTS.set(events);
            0
        }
        Err(error) => failed(error),
    }
}

/// Calls `f` with the plan, the classification and the events, once all three are set.
fn with_ticket<T>(f: impl FnOnce(&Plan, &Classification, &[ClockEvent]) -> T) -> Option<T> {
    let classification = CLASSIFICATION.get()?;
    PLAN.with_borrow(|plan| {
        let plan = plan.as_ref()?;
        Some(EVENTS.with_borrow(|events| f(plan, &classification, events)))
    })
}

/// The clocks at `now`, written to the output as JSON; returns the next deadline or -1.
#[unsafe(no_mangle)]
pub extern "C" fn ticket_clocks(now: i64) -> i64 {
    with_ticket(|plan, classification, events| {
        let result = clocks(plan, classification, events, instant(now));
        put_output(&serde_json::to_string(&result).unwrap_or_default());
        result
            .next_deadline()
            .map_or(-1, |deadline| deadline.timestamp())
    })
    .unwrap_or(-1)
}

/// The countdown: the first-response clock computed at `now`, read again at `later` with
/// `Clock::at`; returns its remaining working seconds.
#[unsafe(no_mangle)]
pub extern "C" fn countdown(now: i64, later: i64) -> i64 {
    with_ticket(|plan, classification, events| {
        let first = clocks(plan, classification, events, instant(now)).first_response;
        let calendar = plan.calendar_of(classification, &first);
        first.at(calendar, instant(later)).remaining_seconds
    })
    .flatten()
    .unwrap_or(-1)
}
