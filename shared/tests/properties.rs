//! Property tests of the calendar arithmetic on random calendars and instants.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use proptest::prelude::*;
use shared::calendar::{Calendar, CalendarSpec, Holidays, WeekSpec};

const ZONES: &[&str] = &[
    "UTC",
    "Europe/Moscow",
    "Europe/Berlin",
    "Europe/London",
    "Asia/Omsk",
    "Asia/Kolkata",
    "Asia/Tehran",
];

fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Up to three non-overlapping intervals of a day on a 15-minute grid, `24:00` included.
fn day() -> impl Strategy<Value = Vec<String>> {
    (0usize..=3, prop::collection::btree_set(0u16..=96, 0..=6)).prop_map(|(count, marks)| {
        let marks: Vec<u16> = marks.into_iter().map(|m| m * 15).collect();
        marks
            .chunks_exact(2)
            .take(count)
            .map(|pair| format!("{}-{}", clock(pair[0]), clock(pair[1])))
            .collect()
    })
}

fn calendar() -> impl Strategy<Value = Calendar> {
    (
        prop::sample::select(ZONES),
        prop::collection::vec(day(), 7),
        any::<bool>(),
        prop::collection::vec(0u32..2500, 0..20),
        any::<bool>(),
        0u8..10,
    )
        .prop_map(|(zone, mut days, ru, holiday_offsets, shorten, always)| {
            if always == 0 {
                return Calendar::always_open();
            }
            if always == 1 {
                // 24x7 whose days end at the zone's midnight.
                let spec = CalendarSpec {
                    timezone: Some(zone.to_owned()),
                    ..CalendarSpec::always_open()
                };
                return Calendar::new(&spec).expect("a supported zone");
            }
            if days.iter().all(Vec::is_empty) {
                days[0] = vec!["09:00-17:00".to_owned()];
            }
            let first = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
            let holidays = if ru {
                Holidays::Ru
            } else {
                Holidays::Dates(
                    holiday_offsets
                        .iter()
                        .map(|&d| first + Duration::days(i64::from(d)))
                        .collect(),
                )
            };
            let days: [Vec<String>; 7] = days.try_into().expect("seven days");
            let spec = CalendarSpec {
                timezone: Some(zone.to_owned()),
                week: Some(WeekSpec::from(days)),
                holidays,
                shorten_pre_holiday: shorten,
                ..CalendarSpec::default()
            };
            Calendar::new(&spec).expect("generated calendars are valid")
        })
}

/// An instant between 2023 and 2029, to the second.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    let from = Utc
        .with_ymd_and_hms(2023, 1, 1, 0, 0, 0)
        .unwrap()
        .timestamp();
    let to = Utc
        .with_ymd_and_hms(2029, 1, 1, 0, 0, 0)
        .unwrap()
        .timestamp();
    (from..to).prop_map(|secs| DateTime::from_timestamp(secs, 0).unwrap())
}

/// Up to 200 working hours, to the second.
fn amount() -> impl Strategy<Value = Duration> {
    (0i64..200 * 3600).prop_map(Duration::seconds)
}

/// Whether `at` closes the last working interval of its local day.
fn is_day_close(calendar: &Calendar, at: DateTime<Utc>) -> bool {
    let before = at - Duration::nanoseconds(1);
    if !calendar.is_working(before) {
        return false;
    }
    if calendar.is_always_open() {
        return at.with_timezone(&calendar.timezone()).time() == NaiveTime::MIN;
    }
    let date = before.with_timezone(&calendar.timezone()).date_naive();
    calendar
        .working_intervals_on(date)
        .last()
        .is_some_and(|&(_, close)| close == at)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn working_between_inverts_add_working(calendar in calendar(), start in instant(), amount in amount()) {
        let due = calendar.add_working(start, amount);
        prop_assert_eq!(calendar.working_between(start, due), amount);
    }

    #[test]
    fn deadlines_are_monotonic(calendar in calendar(), start in instant(), a in amount(), b in amount()) {
        let (small, large) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(calendar.add_working(start, small) <= calendar.add_working(start, large));
    }

    #[test]
    fn deadlines_end_working_time(calendar in calendar(), start in instant(), amount in amount()) {
        let due = calendar.add_working(start, amount);
        if amount > Duration::zero() {
            // The last nanosecond before a deadline is working time: a deadline is never inside
            // non-working time except exactly at an interval's end.
            prop_assert!(calendar.is_working(due - Duration::nanoseconds(1)));
        } else {
            prop_assert!(calendar.is_working(due));
            prop_assert_eq!(calendar.working_between(start, due), Duration::zero());
        }
        prop_assert!(due >= start);
    }

    #[test]
    fn pauses_never_lengthen_working_time(
        calendar in calendar(),
        from in instant(),
        to in instant(),
        pauses in prop::collection::vec((instant(), instant()), 0..6),
    ) {
        let plain = calendar.working_between(from, to);
        let excluded = calendar.working_between_excluding(from, to, &pauses);
        prop_assert!(excluded <= plain);
        prop_assert!(excluded >= Duration::zero());
        // Excluding the pauses one at a time never removes less than excluding them together.
        prop_assert_eq!(calendar.working_between_excluding(from, to, &[]), plain);
    }

    #[test]
    fn always_open_is_plain_arithmetic(start in instant(), end in instant(), amount in amount()) {
        let calendar = Calendar::always_open();
        prop_assert_eq!(calendar.add_working(start, amount), start + amount);
        prop_assert_eq!(calendar.working_between(start, end), (end - start).max(Duration::zero()));
    }

    #[test]
    fn r3_and_r4_land_on_a_working_days_close(
        calendar in calendar(),
        start in instant(),
        cutoff in 0u32..24,
        days in 0u32..70,
    ) {
        let cutoff = NaiveTime::from_hms_opt(cutoff, 0, 0).unwrap();
        let r3 = calendar.same_or_next_working_day(start, cutoff);
        prop_assert!(is_day_close(&calendar, r3), "R3 {} -> {}", start, r3);
        let r4 = calendar.add_working_days(start, days);
        prop_assert!(is_day_close(&calendar, r4), "R4 {} -> {}", start, r4);
        prop_assert!(r4 > start);
        if days > 0 {
            prop_assert!(r4 > calendar.add_working_days(start, days - 1));
        }
    }

    #[test]
    fn a_24x7_day_ends_at_its_zones_midnight(
        zone in prop::sample::select(ZONES),
        start in instant(),
        cutoff in 0u32..24,
        days in 0u32..70,
    ) {
        let calendar = Calendar::new(&CalendarSpec {
            timezone: Some(zone.to_owned()),
            ..CalendarSpec::always_open()
        })
        .expect("a supported zone");
        let tz = calendar.timezone();
        let local = start.with_timezone(&tz);
        let cutoff = NaiveTime::from_hms_opt(cutoff, 0, 0).unwrap();
        let r3 = calendar.same_or_next_working_day(start, cutoff).with_timezone(&tz);
        prop_assert_eq!(r3.time(), NaiveTime::MIN);
        let days_later = if local.time() < cutoff { 1 } else { 2 };
        prop_assert_eq!(r3.date_naive(), local.date_naive() + Duration::days(days_later));
        let r4 = calendar.add_working_days(start, days).with_timezone(&tz);
        prop_assert_eq!(r4.time(), NaiveTime::MIN);
        prop_assert_eq!(r4.date_naive(), local.date_naive() + Duration::days(i64::from(days) + 1));
        if zone == "UTC" {
            // Naming UTC changes nothing against naming no zone.
            let plain = Calendar::always_open();
            prop_assert_eq!(r3.with_timezone(&Utc), plain.same_or_next_working_day(start, cutoff));
            prop_assert_eq!(r4.with_timezone(&Utc), plain.add_working_days(start, days));
        }
    }

    #[test]
    fn working_between_is_additive(calendar in calendar(), a in instant(), b in instant(), c in instant()) {
        let mut points = [a, b, c];
        points.sort();
        let [a, b, c] = points;
        prop_assert_eq!(calendar.working_between(a, c), calendar.working_between(a, b) + calendar.working_between(b, c));
    }
}

mod countdowns {
    //! The browser reads a clock every second with `Clock::at`; it must say what `clocks` would.

    use chrono::{Duration, TimeZone, Utc};
    use proptest::prelude::*;
    use shared::sla::{Clock, ClockEvent, ClockEventKind, Plan, clocks, seed_plans};
    use shared::ticket::{Category, Classification, Severity};

    fn classification() -> impl Strategy<Value = Classification> {
        (0usize..5, 1u8..=3, any::<bool>()).prop_map(|(category, severity, special)| {
            let category = [
                Category::A,
                Category::B,
                Category::C,
                Category::D,
                Category::E,
            ][category];
            let severity = (category == Category::C).then_some(match severity {
                1 => Severity::Critical,
                2 => Severity::Serious,
                _ => Severity::Minor,
            });
            Classification::new(category, severity, special).expect("valid classification")
        })
    }

    /// Without a target a clock has no countdown: only its state is read.
    fn same_reading(early: &Clock, late: &Clock) -> bool {
        if late.budget_seconds.is_none() {
            return early.state == late.state && early.deadline == late.deadline;
        }
        early.state == late.state
            && early.deadline == late.deadline
            && early.remaining_seconds == late.remaining_seconds
            && (early.elapsed_seconds - late.elapsed_seconds).abs() <= 1
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn reading_a_clock_later_matches_recomputing_it(
            plan in 0usize..8,
            classification in classification(),
            registered_offset in 0i64..(3 * 365 * 86_400),
            first_step in 0i64..(10 * 86_400),
            later in 0i64..(20 * 86_400),
            waiting in any::<bool>(),
        ) {
            let plans = seed_plans();
            let plan = Plan::new(&plans[plan % plans.len()].1).expect("seed plans are valid");
            let registered = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + Duration::seconds(registered_offset);
            let mut events = vec![
                ClockEvent::new(registered, ClockEventKind::Registered),
                ClockEvent::new(registered, ClockEventKind::AutoAcknowledgement),
            ];
            let step = registered + Duration::seconds(first_step);
            events.push(ClockEvent::new(step, if waiting { ClockEventKind::WaitingForCustomer } else { ClockEventKind::CustomerMessage }));
            let now = step + Duration::seconds(1);
            let then = now + Duration::seconds(later);
            let early = clocks(&plan, &classification, &events, now);
            let late = clocks(&plan, &classification, &events, then);
            let pairs = early.iter().zip(late.iter());
            for (before, after) in pairs {
                let read = before.at(plan.calendar_of(&early.classification, before), then);
                prop_assert!(same_reading(&read, after), "{:?}\n  read {:?}\n  want {:?}", before.kind, read, after);
            }
        }

        /// [000, 003, 004] special requests go out of turn: every clock of a special request is
        /// due no later than the same clock of the same ticket without the flag.
        #[test]
        fn a_special_request_is_never_due_later(
            plan in 0usize..8,
            classification in classification(),
            registered_offset in 0i64..(3 * 365 * 86_400),
            first_step in 0i64..(10 * 86_400),
            waiting in any::<bool>(),
            reply in any::<bool>(),
        ) {
            let plans = seed_plans();
            let plan = Plan::new(&plans[plan % plans.len()].1).expect("seed plans are valid");
            let registered = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + Duration::seconds(registered_offset);
            let step = registered + Duration::seconds(first_step);
            let mut events = vec![ClockEvent::new(registered, ClockEventKind::Registered)];
            if reply {
                events.push(ClockEvent::new(step, if waiting { ClockEventKind::WaitingForCustomer } else { ClockEventKind::AgentPublicReply }));
            }
            let now = step + Duration::seconds(1);
            let special = Classification { special: true, ..classification };
            let ordinary = Classification { special: false, ..classification };
            let fast = clocks(&plan, &special, &events, now);
            let slow = clocks(&plan, &ordinary, &events, now);
            for (fast, slow) in fast.iter().zip(slow.iter()) {
                if let Some(limit) = slow.deadline {
                    prop_assert!(
                        fast.deadline.is_some_and(|deadline| deadline <= limit),
                        "{:?}: special {:?}, ordinary {:?}", fast.kind, fast.deadline, limit
                    );
                }
            }
        }
    }
}
