//! Table tests of the seed plans and the SLA clocks: targets, deadlines, pauses, special requests.

use chrono::{DateTime, Duration, TimeZone, Utc};
use shared::sla::{
    ClockEvent, ClockEventKind, ClockState, Plan, PlanSpec, ResolutionFrom, Target, clocks,
    seed_plan, seed_plans,
};
use shared::ticket::{Category, Classification, Severity};

fn msk(text: &str) -> DateTime<Utc> {
    let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    chrono_tz::Europe::Moscow
        .from_local_datetime(&naive)
        .unwrap()
        .with_timezone(&Utc)
}

fn omsk(text: &str) -> DateTime<Utc> {
    let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    chrono_tz::Asia::Omsk
        .from_local_datetime(&naive)
        .unwrap()
        .with_timezone(&Utc)
}

fn plan(key: &str) -> Plan {
    Plan::new(&seed_plan(key).unwrap()).unwrap()
}

fn class(category: Category, severity: Option<u8>, special: bool) -> Classification {
    Classification::new(
        category,
        severity.map(|s| Severity::try_from(s).unwrap()),
        special,
    )
    .unwrap()
}

fn event(at: DateTime<Utc>, kind: ClockEventKind) -> ClockEvent {
    ClockEvent::new(at, kind)
}

#[test]
fn seed_rules_give_the_documented_targets() {
    use Category::{A, B, C, D, E};
    let none = Target::None;
    let sond = Target::same_or_next_day(12);
    let cases: &[(&str, Classification, Target, Target)] = &[
        ("vip", class(A, None, false), Target::hours(3), none),
        ("vip", class(C, Some(1), false), Target::hours(3), none),
        ("vip", class(E, None, false), none, none),
        ("extended", class(D, None, false), Target::hours(12), none),
        ("extended", class(E, None, false), none, none),
        (
            "standard",
            class(B, None, false),
            sond,
            Target::WorkingDays { days: 60 },
        ),
        ("standard", class(C, Some(2), false), sond, none),
        ("standard", class(C, Some(4), false), sond, none),
        ("standard", class(A, None, false), sond, none),
        ("standard", class(D, None, true), Target::hours(4), none),
        ("vip", class(C, Some(1), true), Target::hours(3), none),
        ("extended", class(A, None, true), Target::hours(12), none),
        ("standard", class(E, None, false), none, none),
        (
            "assistance",
            class(D, None, false),
            Target::Working { minutes: 20 },
            none,
        ),
        (
            "assistance",
            class(A, None, false),
            Target::Working { minutes: 40 },
            none,
        ),
        (
            "assistance",
            class(B, None, false),
            Target::Working { minutes: 40 },
            none,
        ),
        (
            "assistance",
            class(C, Some(1), false),
            Target::hours(2),
            none,
        ),
        (
            "assistance",
            class(C, Some(3), false),
            Target::hours(2),
            none,
        ),
        ("assistance", class(D, None, true), Target::hours(3), none),
        ("assistance", class(E, None, false), none, none),
        ("unqualified", class(C, Some(1), false), none, none),
        ("unqualified", class(A, None, true), none, none),
    ];
    for (key, classification, first_response, resolution) in cases {
        let targets = plan(key).targets_for(classification);
        assert_eq!(
            targets.first_response,
            *first_response,
            "{key} {}",
            classification.label()
        );
        assert_eq!(
            targets.next_response,
            *first_response,
            "{key} {}",
            classification.label()
        );
        assert_eq!(
            targets.resolution,
            *resolution,
            "{key} {}",
            classification.label()
        );
        assert_eq!(targets.escalation, Target::hours(3));
    }
    assert_eq!(seed_plans().len(), 5);
    assert_eq!(
        plan("standard").resolution_from(),
        ResolutionFrom::Reproduced
    );
    assert!(plan("assistance").calendar().is_always_open());
    assert!(
        plan("vip")
            .calendar_for(&class(A, None, true))
            .is_always_open()
    );
}

#[test]
fn seed_deadlines() {
    let registered = |plan: &Plan, classification: Classification, at| {
        let events = [event(at, ClockEventKind::Registered)];
        clocks(plan, &classification, &events, at)
            .first_response
            .deadline
            .unwrap()
    };
    let a = class(Category::A, None, false);
    // VIP: 3 working hours, Omsk 11–18.
    assert_eq!(
        registered(&plan("vip"), a, omsk("2025-12-01 17:00")),
        omsk("2025-12-02 13:00")
    );
    // VIP special: 24x7.
    assert_eq!(
        registered(
            &plan("vip"),
            class(Category::A, None, true),
            omsk("2025-12-01 17:00")
        ),
        omsk("2025-12-01 20:00")
    );
    // Extended: 12 working hours over the New Year holidays.
    assert_eq!(
        registered(&plan("extended"), a, omsk("2025-12-30 17:00")),
        omsk("2026-01-13 15:00")
    );
    // Standard: B registered 11:59 → the same day; 12:00 → the next working day.
    let b = class(Category::B, None, false);
    assert_eq!(
        registered(&plan("standard"), b, msk("2025-12-01 11:59")),
        msk("2025-12-01 19:00")
    );
    assert_eq!(
        registered(&plan("standard"), b, msk("2025-12-01 12:00")),
        msk("2025-12-02 19:00")
    );
    // Assistance levels: 24x7.
    let d = class(Category::D, None, false);
    assert_eq!(
        registered(&plan("assistance"), d, msk("2025-12-31 23:50")),
        msk("2026-01-01 00:10")
    );
}

#[test]
fn first_response_met_breached_and_auto_acknowledgement() {
    let vip = plan("vip");
    let a = class(Category::A, None, false);
    let start = omsk("2025-12-01 12:00");
    let history = [
        event(start, ClockEventKind::Registered),
        event(
            start + Duration::seconds(1),
            ClockEventKind::AutoAcknowledgement,
        ),
    ];
    let now = omsk("2025-12-01 14:00");
    let running = clocks(&vip, &a, &history, now);
    assert_eq!(running.first_response.state, ClockState::Running);
    assert_eq!(
        running.first_response.deadline,
        Some(omsk("2025-12-01 15:00"))
    );
    assert_eq!(
        running.first_response.warn_at,
        Some(omsk("2025-12-01 14:15"))
    );
    assert_eq!(running.first_response.elapsed_seconds, 7200);
    assert_eq!(running.first_response.remaining_seconds, Some(3600));
    assert_eq!(running.next_change(now), Some(omsk("2025-12-01 14:15")));
    assert_eq!(
        clocks(&vip, &a, &history, omsk("2025-12-01 14:30"))
            .first_response
            .state,
        ClockState::AtRisk
    );
    let late = clocks(&vip, &a, &history, omsk("2025-12-01 15:00"));
    assert_eq!(late.first_response.state, ClockState::Breached);
    assert!(late.breached());
    // Overdue after closing: still breached, zero working time overdue until the next opening.
    let night = clocks(&vip, &a, &history, omsk("2025-12-01 22:00"));
    assert_eq!(night.first_response.state, ClockState::Breached);
    assert_eq!(night.first_response.remaining_seconds, Some(-3 * 3600));

    let mut answered = history.to_vec();
    answered.push(event(
        omsk("2025-12-01 15:00"),
        ClockEventKind::AgentPublicReply,
    ));
    let met = clocks(&vip, &a, &answered, omsk("2025-12-03 12:00"));
    assert_eq!(met.first_response.state, ClockState::Met);
    assert_eq!(met.first_response.elapsed_seconds, 3 * 3600);
    assert!(!met.first_response.active);
    assert_eq!(met.next_deadline(), None);
}

#[test]
fn waiting_for_the_customer_pauses_resolution_and_reopen_resumes_it() {
    let mut spec: PlanSpec = seed_plan("vip").unwrap();
    let catch_all = spec
        .rules
        .iter_mut()
        .find(|rule| rule.category.is_none() && rule.special.is_none())
        .unwrap();
    catch_all.resolution = Target::hours(10);
    let vip = Plan::new(&spec).unwrap();
    let a = class(Category::A, None, false);
    let history = [
        event(omsk("2025-12-01 11:00"), ClockEventKind::Registered),
        event(omsk("2025-12-01 12:00"), ClockEventKind::WaitingForCustomer), // 1 h used
        event(omsk("2025-12-02 12:00"), ClockEventKind::CustomerMessage),    // 7 working h paused
        event(omsk("2025-12-02 14:00"), ClockEventKind::Resolved),           // 3 h used
        event(omsk("2025-12-03 11:00"), ClockEventKind::Reopened), // 4 h paused while resolved
    ];
    let waiting = clocks(&vip, &a, &history[..2], omsk("2025-12-01 17:00"));
    assert_eq!(waiting.resolution.state, ClockState::Paused);
    assert_eq!(waiting.resolution.deadline, None);
    assert_eq!(waiting.resolution.remaining_seconds, Some(9 * 3600));
    assert_eq!(waiting.first_response.state, ClockState::Met);

    let resolved = clocks(&vip, &a, &history[..4], omsk("2025-12-02 16:00"));
    assert_eq!(resolved.resolution.state, ClockState::Met);
    assert_eq!(resolved.resolution.elapsed_seconds, 3 * 3600);
    assert_eq!(resolved.resolution.paused_seconds, 7 * 3600);
    // Next response was armed by the customer's message and stopped by resolving.
    assert_eq!(resolved.next_response.unwrap().state, ClockState::Met);

    let reopened = clocks(&vip, &a, &history, omsk("2025-12-03 12:00"));
    assert_eq!(reopened.reopen_count, 1);
    assert_eq!(reopened.resolution.state, ClockState::Running);
    assert_eq!(reopened.resolution.elapsed_seconds, 4 * 3600);
    assert_eq!(reopened.resolution.paused_seconds, 11 * 3600);
    // 7 h were left when it resumed at 11:00 on 3 December: the whole day, so 18:00.
    assert_eq!(reopened.resolution.deadline, Some(omsk("2025-12-03 18:00")));
    let next = reopened.next_response.unwrap();
    assert_eq!(next.state, ClockState::Running);
    assert_eq!(next.deadline, Some(omsk("2025-12-03 14:00")));
    assert_eq!(reopened.next_deadline(), Some(omsk("2025-12-03 14:00")));
}

#[test]
fn next_response_cycles_and_breaches() {
    let vip = plan("vip");
    let a = class(Category::A, None, false);
    let history = [
        event(omsk("2025-12-01 11:00"), ClockEventKind::Registered),
        event(omsk("2025-12-01 11:30"), ClockEventKind::AgentPublicReply),
        event(omsk("2025-12-01 12:00"), ClockEventKind::CustomerMessage),
        event(omsk("2025-12-01 13:00"), ClockEventKind::CustomerMessage), // the cycle keeps running
        event(omsk("2025-12-02 12:00"), ClockEventKind::AgentPublicReply), // 3 h due at 15:00 → 7 h: breached
        event(omsk("2025-12-02 13:00"), ClockEventKind::CustomerMessage),
    ];
    let now = omsk("2025-12-02 14:00");
    let result = clocks(&vip, &a, &history, now);
    assert_eq!(result.next_response_cycles, 2);
    assert_eq!(result.next_response_breaches, 1);
    let next = result.next_response.unwrap();
    assert_eq!(next.started_at, Some(omsk("2025-12-02 13:00")));
    assert_eq!(next.deadline, Some(omsk("2025-12-02 16:00")));
    assert_eq!(result.first_response.state, ClockState::Met);
}

#[test]
fn resolution_start_per_rule_and_escalation() {
    let standard = plan("standard");
    let b = class(Category::B, None, false);
    let history = [
        event(msk("2025-12-01 11:00"), ClockEventKind::Registered),
        event(msk("2025-12-01 11:30"), ClockEventKind::AgentPublicReply),
        event(msk("2025-12-02 10:00"), ClockEventKind::Escalated),
    ];
    let before = clocks(&standard, &b, &history, msk("2025-12-02 11:00"));
    // [001] B: 60 working days from registration, whatever the plan's default says.
    assert_eq!(standard.resolution_from(), ResolutionFrom::Reproduced);
    assert_eq!(
        standard.targets_for(&b).resolution_from,
        ResolutionFrom::Registered
    );
    assert_eq!(before.resolution.state, ClockState::Running);
    assert_eq!(before.resolution.started_at, Some(msk("2025-12-01 11:00")));
    let escalation = before.escalation.unwrap();
    assert_eq!(escalation.deadline, Some(msk("2025-12-02 13:00")));
    assert_eq!(escalation.state, ClockState::Running);
    assert_eq!(escalation.warn_at, Some(msk("2025-12-02 12:15")));
    let mut linked = history.to_vec();
    linked.push(event(
        msk("2025-12-02 12:00"),
        ClockEventKind::KnownErrorLinked,
    ));
    linked.push(event(
        msk("2025-12-02 12:30"),
        ClockEventKind::MarkedReproduced,
    ));
    let after = clocks(&standard, &b, &linked, msk("2025-12-03 10:00"));
    assert_eq!(after.escalation.unwrap().state, ClockState::Met);
    // Marking it reproduced does not restart it.
    assert_eq!(after.resolution.started_at, Some(msk("2025-12-01 11:00")));
    // 60 working days after 1 December 2025 (New Year, 23 February and 9 March off).
    assert_eq!(after.resolution.deadline, Some(msk("2026-03-06 19:00")));
    assert_eq!(after.resolution.state, ClockState::Running);
    // [001] C: counted from reproduction.
    let c2 = class(Category::C, Some(2), false);
    assert_eq!(
        standard.targets_for(&c2).resolution_from,
        ResolutionFrom::Reproduced
    );
    let pending = clocks(&standard, &c2, &history, msk("2025-12-02 11:00"));
    assert_eq!(pending.resolution.started_at, None);
    let started = clocks(&standard, &c2, &linked, msk("2025-12-03 10:00"));
    assert_eq!(started.resolution.started_at, Some(msk("2025-12-02 12:30")));
    // A rule's setting wins over the plan's either way.
    let mut spec = seed_plan("standard").unwrap();
    spec.resolution_from = ResolutionFrom::Registered;
    for rule in &mut spec.rules {
        if rule.category == Some(Category::C) {
            rule.resolution = Target::WorkingDays { days: 10 };
        }
    }
    let registered_default = Plan::new(&spec).unwrap();
    let waiting = clocks(&registered_default, &c2, &history, msk("2025-12-02 11:00"));
    assert_eq!(waiting.resolution.state, ClockState::Pending);
    assert_eq!(
        registered_default
            .targets_for(&class(Category::A, None, false))
            .resolution_from,
        ResolutionFrom::Registered
    );
    let json = serde_json::to_value(&spec.rules[1]).unwrap();
    assert_eq!(json["resolution_from"], "registered");
    assert!(
        serde_json::to_value(&spec.rules[0])
            .unwrap()
            .get("resolution_from")
            .is_none()
    );
}

#[test]
fn reclassification_and_special_requests() {
    let assistance = plan("assistance");
    let c4 = class(Category::C, Some(4), false);
    let d = class(Category::D, None, false);
    let start = Utc.with_ymd_and_hms(2025, 12, 1, 9, 0, 0).unwrap();
    let history = [
        event(start, ClockEventKind::Registered),
        event(
            start + Duration::minutes(5),
            ClockEventKind::Reclassified(d),
        ),
    ];
    let result = clocks(&assistance, &c4, &history, start + Duration::minutes(10));
    assert_eq!(result.classification, d);
    assert_eq!(
        result.first_response.deadline,
        Some(start + Duration::minutes(20))
    );
    assert_eq!(result.first_response.state, ClockState::Running);
    // Special requests use the 24x7 calendar of any plan: Standard's 4 hours on Saturday.
    let special = class(Category::A, None, true);
    let saturday = msk("2025-12-06 03:00");
    let standard = clocks(
        &plan("standard"),
        &special,
        &[event(saturday, ClockEventKind::Registered)],
        saturday,
    );
    assert_eq!(
        standard.first_response.deadline,
        Some(msk("2025-12-06 07:00"))
    );
}

#[test]
fn no_commitment_and_json_shapes() {
    let unqualified = plan("unqualified");
    let start = msk("2025-12-01 11:00");
    let result = clocks(
        &unqualified,
        &class(Category::A, None, false),
        &[event(start, ClockEventKind::Registered)],
        msk("2025-12-01 12:00"),
    );
    assert_eq!(result.first_response.state, ClockState::None);
    assert_eq!(result.first_response.deadline, None);
    assert_eq!(result.first_response.elapsed_seconds, 3600);
    assert_eq!(result.next_deadline(), None);
    let json = serde_json::to_value(result).unwrap();
    assert_eq!(json["first_response"]["state"], "none");
    assert_eq!(json["first_response"]["kind"], "first_response");
    assert_eq!(json["first_response"]["target"]["kind"], "none");
    let event_json = serde_json::to_value(event(
        start,
        ClockEventKind::Reclassified(class(Category::C, Some(2), false)),
    ))
    .unwrap();
    assert_eq!(event_json["kind"], "reclassified");
    assert_eq!(event_json["classification"]["severity"], 2);
    let back: ClockEvent = serde_json::from_value(
        serde_json::json!({"at": "2025-12-01T08:00:00Z", "kind": "registered"}),
    )
    .unwrap();
    assert_eq!(back.kind, ClockEventKind::Registered);
}

#[test]
fn plan_spec_json() {
    let json = r#"{
        "name": "Gold",
        "calendar": {"timezone": "Europe/Moscow", "week": {"mon": ["10:00-19:00"], "tue": ["10:00-19:00"]}, "holidays": "ru"},
        "rules": [
            {"category": "C", "severity": 1, "first_response": {"kind": "working", "minutes": 30}, "resolution": {"kind": "working_days", "days": 2}},
            {"first_response": {"kind": "same_or_next_working_day", "cutoff": "12:00"}, "resolution": {"kind": "none"}}
        ]
    }"#;
    let spec = PlanSpec::from_json(json).unwrap();
    assert_eq!(spec.warn_at_percent, 75);
    assert_eq!(spec.escalation, Target::hours(3));
    assert!(spec.special_calendar.always_open);
    let plan = Plan::new(&spec).unwrap();
    assert_eq!(
        plan.targets_for(&class(Category::C, Some(1), false))
            .first_response,
        Target::Working { minutes: 30 }
    );
    assert_eq!(
        plan.targets_for(&class(Category::C, Some(2), false))
            .first_response,
        Target::same_or_next_day(12)
    );
    let round = serde_json::to_string(&spec).unwrap();
    assert!(round.contains(r#""cutoff":"12:00""#), "{round}");
    assert_eq!(PlanSpec::from_json(&round).unwrap(), spec);

    let bad = |json: &str| {
        Plan::new(&PlanSpec::from_json(json).unwrap())
            .unwrap_err()
            .field
    };
    let calendar = r#""calendar": {"timezone": "UTC", "week": {"mon": ["10:00-19:00"]}}"#;
    assert_eq!(
        bad(&format!(
            r#"{{"name": "x", {calendar}, "rules": [{{"category": "A", "severity": 2, "first_response": {{"kind": "none"}}, "resolution": {{"kind": "none"}}}}]}}"#
        )),
        "rules[0].severity"
    );
    assert_eq!(
        bad(&format!(
            r#"{{"name": "x", {calendar}, "rules": [], "warn_at_percent": 0}}"#
        )),
        "warn_at_percent"
    );
    assert_eq!(
        bad(r#"{"name": "x", "calendar": {"timezone": "US/Pacific", "week": {}}, "rules": []}"#),
        "calendar.timezone"
    );
    assert_eq!(
        bad(&format!(r#"{{"name": " ", {calendar}, "rules": []}}"#)),
        "name"
    );
    assert_eq!(
        PlanSpec::from_json(r#"{"name": "x"}"#).unwrap_err().field,
        "calendar"
    );
}

/// Issue 24, item 2: on Standard, a special C1 at Mon 11:00 Moscow was due Tue 03:00 Moscow (the
/// same-or-next-day rule ending at UTC midnight on the 24x7 calendar) while a normal C1 was due
/// Mon 19:00.
#[test]
fn a_special_request_is_never_due_later_than_a_normal_one() {
    let monday = msk("2025-12-01 11:00");
    let c1 = class(Category::C, Some(1), false);
    let special_c1 = class(Category::C, Some(1), true);
    let first = |plan: &Plan, classification: Classification| {
        clocks(
            plan,
            &classification,
            &[event(monday, ClockEventKind::Registered)],
            monday,
        )
        .first_response
    };
    // The Standard plan as it was: no rule for special requests, a 24x7 calendar without a zone.
    let mut old = seed_plan("standard").unwrap();
    old.rules.retain(|rule| rule.special.is_none());
    old.special_calendar = shared::calendar::CalendarSpec::always_open();
    let old = Plan::new(&old).unwrap();
    assert_eq!(first(&old, c1).deadline, Some(msk("2025-12-01 19:00")));
    // The ordinary clock is earlier than UTC midnight (Tue 03:00 Moscow), so it is kept.
    let kept = first(&old, special_c1);
    assert_eq!(kept.deadline, Some(msk("2025-12-01 19:00")));
    assert!(kept.ordinary_calendar);
    assert_eq!(
        old.calendar_of(&special_c1, &kept)
            .spec()
            .timezone
            .as_deref(),
        Some("Europe/Moscow")
    );
    // With the zone on the 24x7 calendar the day ends at Moscow midnight — still later than 19:00.
    let mut zoned = seed_plan("standard").unwrap();
    zoned.rules.retain(|rule| rule.special.is_none());
    let zoned = Plan::new(&zoned).unwrap();
    assert_eq!(
        zoned
            .calendar_for(&special_c1)
            .same_or_next_working_day(monday, chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap()),
        msk("2025-12-02 00:00")
    );
    assert_eq!(
        first(&zoned, special_c1).deadline,
        Some(msk("2025-12-01 19:00"))
    );
    // The seed plan gives special requests a real round-the-clock target: 4 hours.
    let standard = plan("standard");
    let special = first(&standard, special_c1);
    assert_eq!(special.deadline, Some(msk("2025-12-01 15:00")));
    assert!(!special.ordinary_calendar);
    // At night the 4 hours run while the office is closed.
    let night = msk("2025-12-01 22:00");
    let late = clocks(
        &standard,
        &special_c1,
        &[event(night, ClockEventKind::Registered)],
        night,
    );
    assert_eq!(late.first_response.deadline, Some(msk("2025-12-02 02:00")));
}

#[test]
fn a_24x7_calendar_with_a_zone_ends_its_days_at_that_zones_midnight() {
    use shared::calendar::{Calendar, CalendarSpec};
    let moscow = Calendar::new(&CalendarSpec {
        timezone: Some("Europe/Moscow".into()),
        ..CalendarSpec::always_open()
    })
    .unwrap();
    let utc = Calendar::always_open();
    let noon = chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap();
    let monday = msk("2025-12-01 11:00");
    assert_eq!(
        moscow.same_or_next_working_day(monday, noon),
        msk("2025-12-02 00:00")
    );
    assert_eq!(
        utc.same_or_next_working_day(monday, noon),
        msk("2025-12-02 03:00")
    );
    // 02:00 Moscow is still Sunday 23:00 UTC, past the cut-off there: the zone decides the day.
    let early = msk("2025-12-01 02:00");
    assert_eq!(
        moscow.same_or_next_working_day(early, noon),
        msk("2025-12-02 00:00")
    );
    assert_eq!(
        utc.same_or_next_working_day(early, noon),
        msk("2025-12-02 03:00")
    );
    assert_eq!(moscow.add_working_days(monday, 2), msk("2025-12-04 00:00"));
    assert_eq!(moscow.timezone(), chrono_tz::Europe::Moscow);
    assert_eq!(
        moscow.working_intervals_on(chrono::NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()),
        vec![(msk("2025-12-01 00:00"), msk("2025-12-02 00:00"))]
    );
    let bad = Calendar::new(&CalendarSpec {
        timezone: Some("Mars/Olympus".into()),
        ..CalendarSpec::always_open()
    });
    assert_eq!(bad.unwrap_err().field, "timezone");
}

/// Issue 24, items 17 and 18: every seed regulation is a valid template with its calendar;
/// 001's A and D say "advice only" in their targets.
#[test]
fn the_seed_regulations_are_plan_templates() {
    use shared::sla::plan_templates;
    let templates = plan_templates();
    let seeds: Vec<&str> = templates.iter().map(|t| t.seed.as_str()).collect();
    assert_eq!(seeds, ["000", "001", "002", "003", "004", "004", "004"]);
    for template in &templates {
        let plan = Plan::new(&template.spec).unwrap_or_else(|e| panic!("{}: {e}", template.key));
        assert!(!template.name_ru.is_empty());
        // Day-based targets of special requests end at the plan's own midnight.
        if template.spec.special_calendar.always_open {
            assert_eq!(
                template.spec.special_calendar.timezone, template.spec.calendar.timezone,
                "{}",
                template.key
            );
        }
        assert!(
            plan.calendar().covers(msk("2026-06-01 12:00")),
            "{}",
            template.key
        );
    }
    let by_key = |key: &str| Plan::new(&shared::sla::plan_template(key).unwrap().spec).unwrap();
    let alee = by_key("alee");
    for category in [Category::A, Category::D] {
        assert!(alee.targets_for(&class(category, None, false)).advice_only);
    }
    assert!(
        !alee
            .targets_for(&class(Category::B, None, false))
            .advice_only
    );
    assert!(
        plan("standard")
            .targets_for(&class(Category::A, None, false))
            .advice_only
    );
    // 003 works 8–18 Moscow only; 004 11–18 Omsk.
    let mobi = by_key("mobi_c");
    assert_eq!(mobi.calendar().timezone(), chrono_tz::Europe::Moscow);
    assert!(!mobi.calendar().is_working(msk("2025-12-01 18:00")));
    assert!(mobi.calendar().is_working(msk("2025-12-01 08:00")));
    let vip = by_key("hivetaxi_vip");
    assert_eq!(vip.calendar().timezone(), chrono_tz::Asia::Omsk);
    assert!(vip.calendar().is_working(omsk("2025-12-01 11:00")));
    assert!(!vip.calendar().is_working(omsk("2025-12-01 18:00")));
    assert_eq!(
        shared::i18n::Text::SpecialRequest.get(shared::i18n::Locale::Ru),
        "Спецобращение"
    );
}
