//! On hold with a reason: the transitions in and out, and the clocks the plan pauses meanwhile.

use chrono::{DateTime, TimeZone, Utc};
use shared::sla::{ClockEvent, ClockEventKind, ClockKind, ClockState, Plan, clocks, seed_plan};
use shared::ticket::{Action, Category, Classification, HoldKind, Role, Status, transition};

fn msk(text: &str) -> DateTime<Utc> {
    let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    chrono_tz::Europe::Moscow
        .from_local_datetime(&naive)
        .unwrap()
        .with_timezone(&Utc)
}

fn event(at: &str, kind: ClockEventKind) -> ClockEvent {
    ClockEvent::new(msk(at), kind)
}

/// The standard plan (Mon–Fri 10:00–19:00 Moscow, B resolved within 60 working days, here
/// counted from "reproduced" rather than from registration as the seed plan does) with
/// `pauses` as its `on_hold_pauses`.
fn standard(pauses: Option<&[ClockKind]>) -> Plan {
    let mut spec = seed_plan("standard").unwrap();
    for rule in &mut spec.rules {
        if rule.category == Some(Category::B) {
            rule.resolution_from = Some(shared::sla::ResolutionFrom::Reproduced);
        }
    }
    if let Some(pauses) = pauses {
        spec.on_hold_pauses = pauses.to_vec();
    }
    Plan::new(&spec).unwrap()
}

fn b() -> Classification {
    Classification::new(Category::B, None, false).unwrap()
}

#[test]
fn hold_and_resume_are_staff_transitions() {
    use Action::{Escalate, Hold, RequestInfo, Resolve, Resume};
    use Role::{AgentL1, AgentL2, Customer, Supervisor};
    use Status::{Closed, Escalated, New, OnHold, Open, Resolved, WaitingForCustomer};
    for (status, action, role, expected) in [
        (Open, Hold, AgentL1, Ok(OnHold)),
        (New, Hold, AgentL2, Ok(OnHold)),
        (WaitingForCustomer, Hold, AgentL1, Ok(OnHold)),
        (Escalated, Hold, AgentL2, Ok(OnHold)),
        (OnHold, Resume, Supervisor, Ok(Open)),
        (OnHold, Resolve, AgentL1, Ok(Resolved)),
        (OnHold, Action::AgentReply, AgentL1, Ok(OnHold)),
        (OnHold, Action::CustomerReply, Customer, Ok(OnHold)),
    ] {
        assert_eq!(
            transition(status, action, role),
            expected,
            "{status} {action}"
        );
    }
    for (status, action, role, code) in [
        (Open, Hold, Customer, "forbidden"),
        (OnHold, Resume, Customer, "forbidden"),
        (OnHold, Hold, AgentL1, "invalid_transition"),
        (Open, Resume, AgentL1, "invalid_transition"),
        (Resolved, Hold, AgentL1, "invalid_transition"),
        (Closed, Resume, AgentL1, "invalid_transition"),
        (OnHold, RequestInfo, AgentL1, "invalid_transition"),
        (OnHold, Escalate, AgentL1, "invalid_transition"),
    ] {
        let error = transition(status, action, role).unwrap_err();
        assert_eq!(error.code(), code, "{status} {action} by {role}");
    }
    assert_eq!(serde_json::to_string(&OnHold).unwrap(), r#""on_hold""#);
    assert_eq!(HoldKind::parse("vendor_fix"), Some(HoldKind::VendorFix));
    assert_eq!(HoldKind::parse("lunch"), None);
}

#[test]
fn by_default_hold_pauses_resolution_only() {
    let plan = standard(None);
    let events = [
        event("2025-12-01 10:00", ClockEventKind::Registered),
        event("2025-12-01 11:00", ClockEventKind::MarkedReproduced),
        event("2025-12-01 12:00", ClockEventKind::OnHold),
    ];
    let held = clocks(&plan, &b(), &events, msk("2025-12-03 12:00"));
    assert_eq!(held.resolution.state, ClockState::Paused);
    assert_eq!(held.resolution.elapsed_seconds, 3600);
    // First response was not answered by the hold: it runs on and is breached by now.
    assert_eq!(held.first_response.state, ClockState::Breached);

    let resumed = [
        &events[..],
        &[event("2025-12-03 12:00", ClockEventKind::Resumed)],
    ]
    .concat();
    let after = clocks(&plan, &b(), &resumed, msk("2025-12-03 14:00"));
    assert_eq!(after.resolution.state, ClockState::Running);
    // 1 h before the hold and 2 h after it; the two working days on hold do not count.
    assert_eq!(after.resolution.elapsed_seconds, 3 * 3600);
    assert_eq!(after.resolution.paused_seconds, 18 * 3600);
}

#[test]
fn the_plan_names_the_clocks_that_pause() {
    let plan = standard(Some(&[ClockKind::FirstResponse, ClockKind::Resolution]));
    let events = [
        event("2025-12-01 10:00", ClockEventKind::Registered),
        event("2025-12-01 11:00", ClockEventKind::OnHold),
    ];
    let held = clocks(&plan, &b(), &events, msk("2025-12-03 12:00"));
    assert_eq!(held.first_response.state, ClockState::Paused);
    assert_eq!(held.first_response.elapsed_seconds, 3600);
    // Resolution counts from "reproduced" on this plan: not started, so nothing to pause.
    assert_eq!(held.resolution.state, ClockState::Pending);

    let none = standard(Some(&[]));
    let events = [
        event("2025-12-01 10:00", ClockEventKind::Registered),
        event("2025-12-01 10:30", ClockEventKind::MarkedReproduced),
        event("2025-12-01 11:00", ClockEventKind::OnHold),
    ];
    let running = clocks(&none, &b(), &events, msk("2025-12-01 12:00"));
    assert_eq!(running.resolution.state, ClockState::Running);
    assert_eq!(running.resolution.elapsed_seconds, 90 * 60);
}

#[test]
fn reproduced_while_on_hold_starts_paused_and_resolve_stops_it() {
    let plan = standard(None);
    let events = [
        event("2025-12-01 10:00", ClockEventKind::Registered),
        event("2025-12-01 10:30", ClockEventKind::AgentPublicReply),
        event("2025-12-01 11:00", ClockEventKind::OnHold),
        event("2025-12-01 12:00", ClockEventKind::MarkedReproduced),
    ];
    let held = clocks(&plan, &b(), &events, msk("2025-12-01 15:00"));
    assert_eq!(held.resolution.state, ClockState::Paused);
    assert_eq!(held.resolution.elapsed_seconds, 0);
    let resolved = [
        &events[..],
        &[event("2025-12-01 16:00", ClockEventKind::Resolved)],
    ]
    .concat();
    let done = clocks(&plan, &b(), &resolved, msk("2025-12-02 12:00"));
    assert_eq!(done.resolution.state, ClockState::Met);
    assert!(!done.resolution.active);
}

#[test]
fn the_default_setting_is_not_written_and_reads_back() {
    let spec = seed_plan("standard").unwrap();
    assert_eq!(spec.on_hold_pauses, [ClockKind::Resolution]);
    let json = serde_json::to_string(&spec).unwrap();
    assert!(!json.contains("on_hold_pauses"), "{json}");
    let mut custom = spec.clone();
    custom.on_hold_pauses = vec![ClockKind::Resolution, ClockKind::Escalation];
    let json = serde_json::to_value(&custom).unwrap();
    assert_eq!(
        json["on_hold_pauses"],
        serde_json::json!(["resolution", "escalation"])
    );
    let read: shared::sla::PlanSpec = serde_json::from_value(json).unwrap();
    assert_eq!(read, custom);
}
