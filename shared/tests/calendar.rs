//! Table tests of the calendar arithmetic (R1–R5) on the seed calendars and edge cases.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use shared::calendar::{Calendar, CalendarSpec, Holidays, WeekSpec, seed_calendar};

fn seed(key: &str) -> Calendar {
    Calendar::new(&seed_calendar(key).unwrap()).unwrap()
}

/// A local wall-clock time in a zone, as UTC.
fn local(zone: Tz, text: &str) -> DateTime<Utc> {
    let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    zone.from_local_datetime(&naive)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

fn msk(text: &str) -> DateTime<Utc> {
    local(chrono_tz::Europe::Moscow, text)
}

fn noon() -> NaiveTime {
    NaiveTime::from_hms_opt(12, 0, 0).unwrap()
}

fn spec(json: &str) -> CalendarSpec {
    CalendarSpec::from_json(json).unwrap()
}

#[test]
fn add_working_on_moscow_10_19() {
    let cal = seed("moscow_10_19");
    let cases: &[(&str, i64, &str)] = &[
        // start, working minutes, expected (all Moscow time)
        ("2025-12-01 10:00", 0, "2025-12-01 10:00"),
        ("2025-12-01 08:00", 0, "2025-12-01 10:00"),
        ("2025-12-01 19:00", 0, "2025-12-02 10:00"),
        ("2025-12-01 10:00", 9 * 60, "2025-12-01 19:00"), // fills the day: its close, not the next opening
        ("2025-12-01 18:00", 60, "2025-12-01 19:00"),
        ("2025-12-01 18:00", 61, "2025-12-02 10:01"),
        ("2025-12-01 19:00", 20, "2025-12-02 10:20"),
        ("2025-12-05 18:30", 60, "2025-12-08 10:30"), // over the weekend
        // New Year: 31 December 2025 and 1–11 January 2026 are off.
        ("2025-12-30 18:00", 120, "2026-01-12 11:00"),
        ("2025-12-31 12:00", 20, "2026-01-12 10:20"),
        ("2026-01-09 12:00", 60, "2026-01-12 11:00"), // 9 January 2026 is a transferred day off
        // The working Saturday 1 November 2025, then 3–4 November off.
        ("2025-10-31 18:00", 3 * 60, "2025-11-01 12:00"),
        ("2025-11-01 18:30", 60, "2025-11-05 10:30"),
        // 2024: Saturdays 27 April and 28 December are worked; 29–30 April and 30–31 December are not.
        ("2024-04-26 19:00", 60, "2024-04-27 11:00"),
        ("2024-04-27 18:00", 120, "2024-05-02 11:00"),
        ("2024-12-27 18:00", 120, "2024-12-28 11:00"),
        ("2024-12-28 18:00", 120, "2025-01-09 11:00"),
        // 2027: Saturday 20 February worked, 22–23 February off.
        ("2027-02-19 18:00", 120, "2027-02-20 11:00"),
        ("2027-02-20 18:00", 120, "2027-02-24 11:00"),
    ];
    for &(start, minutes, expected) in cases {
        assert_eq!(
            cal.add_working(msk(start), Duration::minutes(minutes)),
            msk(expected),
            "{start} + {minutes} min"
        );
    }
}

#[test]
fn sixty_working_days_across_new_year() {
    let cal = seed("moscow_10_19");
    let start = msk("2025-12-15 10:00");
    // Working days from 15 December 2025: 15–30 December is 12 days; then 12 January on.
    // 23 February and 9 March 2026 are off as well.
    let due = cal.add_working_days(start, 60);
    assert_eq!(due, msk("2026-03-23 19:00"));
    assert_eq!(
        cal.add_working(start, Duration::hours(9 * 60)),
        msk("2026-03-20 19:00")
    );
    assert_eq!(
        cal.working_between(start, msk("2026-03-20 19:00")),
        Duration::hours(9 * 60)
    );
}

#[test]
fn working_between_whole_years() {
    let cal = seed("moscow_10_19");
    let days = [(2024, 248), (2025, 247), (2026, 247), (2027, 247)];
    for (year, working_days) in days {
        let from = msk(&format!("{year}-01-01 00:00"));
        let to = msk(&format!("{}-01-01 00:00", year + 1));
        assert_eq!(
            cal.working_between(from, to),
            Duration::hours(9 * working_days),
            "{year}"
        );
    }
    // Beyond the bundled years: fixed federal holidays only.
    let from = msk("2028-01-01 00:00");
    let to = msk("2028-01-11 00:00");
    assert_eq!(cal.working_between(from, to), Duration::hours(9)); // only Monday 10 January 2028
    assert!(!cal.covers(from));
    assert!(cal.covers(msk("2027-06-01 12:00")));
    assert!(!cal.covers(msk("2023-06-01 12:00")));
}

#[test]
fn shortened_pre_holiday_days() {
    let mut with = seed_calendar("moscow_10_19").unwrap();
    with.shorten_pre_holiday = true;
    let cal = Calendar::new(&with).unwrap();
    let plain = seed("moscow_10_19");
    // 7 March 2025, 30 April 2025, 1 November 2025 (a working Saturday), 3 November 2026.
    for day in [
        "2025-03-07",
        "2025-04-30",
        "2025-11-01",
        "2026-11-03",
        "2024-11-02",
        "2027-02-20",
    ] {
        let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        let intervals = cal.working_intervals_on(date);
        assert_eq!(
            intervals,
            vec![(msk(&format!("{day} 10:00")), msk(&format!("{day} 18:00")))],
            "{day}"
        );
        assert_eq!(
            plain.working_intervals_on(date).last().unwrap().1,
            msk(&format!("{day} 19:00"))
        );
    }
    // Not shortened: 27 April and 28 December 2024 (working Saturdays before transferred days off).
    for day in ["2024-04-27", "2024-12-28", "2025-12-30"] {
        let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        assert_eq!(
            cal.working_intervals_on(date).last().unwrap().1,
            msk(&format!("{day} 19:00")),
            "{day}"
        );
    }
    assert_eq!(
        cal.add_working(msk("2025-03-07 17:00"), Duration::hours(2)),
        msk("2025-03-10 11:00")
    );
}

#[test]
fn same_or_next_working_day_r3() {
    let cal = seed("moscow_10_19");
    let cases = [
        ("2025-12-01 11:59", "2025-12-01 19:00"),
        ("2025-12-01 12:00", "2025-12-02 19:00"),
        ("2025-12-01 07:00", "2025-12-01 19:00"), // before opening, before the cut-off
        ("2025-12-05 13:00", "2025-12-08 19:00"),
        ("2025-12-06 10:00", "2025-12-08 19:00"), // Saturday: not a working day
        ("2025-12-30 11:00", "2025-12-30 19:00"),
        ("2025-12-30 15:00", "2026-01-12 19:00"),
        ("2025-12-31 09:00", "2026-01-12 19:00"),
        ("2025-11-01 11:00", "2025-11-01 19:00"), // working Saturday
        ("2025-10-31 12:30", "2025-11-01 19:00"),
    ];
    for (registered, expected) in cases {
        assert_eq!(
            cal.same_or_next_working_day(msk(registered), noon()),
            msk(expected),
            "{registered}"
        );
    }
}

#[test]
fn add_working_days_r4() {
    let cal = seed("moscow_10_19");
    let cases = [
        ("2025-12-01 11:00", 0, "2025-12-01 19:00"),
        ("2025-12-01 19:00", 0, "2025-12-02 19:00"), // after closing: anchors on the next working day
        ("2025-12-01 11:00", 1, "2025-12-02 19:00"),
        ("2025-12-29 11:00", 2, "2026-01-12 19:00"),
        ("2025-10-31 11:00", 1, "2025-11-01 19:00"),
        ("2025-10-31 11:00", 2, "2025-11-05 19:00"),
    ];
    for (start, days, expected) in cases {
        assert_eq!(
            cal.add_working_days(msk(start), days),
            msk(expected),
            "{start} + {days}"
        );
    }
}

#[test]
fn always_open_r3_r4_use_the_utc_day() {
    let cal = Calendar::always_open();
    let at = |text: &str| local(chrono_tz::UTC, text);
    assert_eq!(
        cal.same_or_next_working_day(at("2025-03-03 11:00"), noon()),
        at("2025-03-04 00:00")
    );
    assert_eq!(
        cal.same_or_next_working_day(at("2025-03-03 12:00"), noon()),
        at("2025-03-05 00:00")
    );
    assert_eq!(
        cal.add_working_days(at("2025-03-03 11:00"), 0),
        at("2025-03-04 00:00")
    );
    assert_eq!(
        cal.add_working_days(at("2025-03-03 11:00"), 60),
        at("2025-05-03 00:00")
    );
    assert!(cal.is_working(at("2025-01-01 00:00")));
    assert!(cal.covers(at("2099-01-01 00:00")));
}

#[test]
fn omsk_11_18() {
    let cal = seed("omsk_11_18");
    let omsk = |text: &str| local(chrono_tz::Asia::Omsk, text);
    assert_eq!(
        cal.add_working(omsk("2025-12-01 17:00"), Duration::hours(3)),
        omsk("2025-12-02 13:00")
    );
    assert_eq!(
        cal.add_working(omsk("2025-12-30 17:00"), Duration::hours(12)),
        omsk("2026-01-13 15:00")
    );
    assert_eq!(cal.timezone(), chrono_tz::Asia::Omsk);
}

#[test]
fn lunch_breaks_and_24_00() {
    let cal = Calendar::new(&spec(
        r#"{"timezone": "Europe/Moscow",
            "week": {"mon": ["09:00-13:00", "14:00-18:00"], "tue": ["09:00-13:00", "14:00-18:00"],
                     "wed": ["18:00-24:00"], "thu": ["00:00-06:00"]}}"#,
    ))
    .unwrap();
    // Monday 1 December 2025.
    assert_eq!(
        cal.add_working(msk("2025-12-01 12:00"), Duration::hours(1)),
        msk("2025-12-01 13:00")
    );
    assert_eq!(
        cal.add_working(msk("2025-12-01 12:00"), Duration::minutes(61)),
        msk("2025-12-01 14:01")
    );
    assert!(!cal.is_working(msk("2025-12-01 13:30")));
    assert_eq!(
        cal.working_between(msk("2025-12-01 00:00"), msk("2025-12-02 00:00")),
        Duration::hours(8)
    );
    // Wednesday evening runs into Thursday morning across midnight.
    assert_eq!(
        cal.add_working(msk("2025-12-03 23:00"), Duration::hours(2)),
        msk("2025-12-04 01:00")
    );
    assert_eq!(
        cal.add_working(msk("2025-12-03 18:00"), Duration::hours(6)),
        msk("2025-12-04 00:00")
    );
    assert!(cal.is_working(msk("2025-12-04 00:00")));
    assert_eq!(
        cal.working_between(msk("2025-12-03 00:00"), msk("2025-12-05 00:00")),
        Duration::hours(12)
    );
    // R3 on Wednesday: the end of Wednesday is 24:00.
    assert_eq!(
        cal.same_or_next_working_day(msk("2025-12-03 10:00"), noon()),
        msk("2025-12-04 00:00")
    );
}

#[test]
fn daylight_saving_zones() {
    let berlin = chrono_tz::Europe::Berlin;
    let cal = Calendar::new(&spec(
        r#"{"timezone": "Europe/Berlin",
            "week": {"sun": ["01:00-04:00"], "mon": ["09:00-17:00"], "tue": ["09:00-17:00"],
                     "wed": ["09:00-17:00"], "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}}"#,
    ))
    .unwrap();
    let at = |text: &str| local(berlin, text);
    // 30 March 2025: 02:00–03:00 does not exist, so 01:00–04:00 is two hours long.
    let spring = NaiveDate::from_ymd_opt(2025, 3, 30).unwrap();
    let interval = cal.working_intervals_on(spring);
    assert_eq!(
        interval,
        vec![(at("2025-03-30 01:00"), at("2025-03-30 04:00"))]
    );
    assert_eq!(interval[0].1 - interval[0].0, Duration::hours(2));
    // 26 October 2025: 02:00–03:00 happens twice, so 01:00–04:00 is four hours long.
    let autumn = NaiveDate::from_ymd_opt(2025, 10, 26).unwrap();
    let interval = cal.working_intervals_on(autumn);
    assert_eq!(interval[0].1 - interval[0].0, Duration::hours(4));
    // A working week across the spring change is still 8 hours a day of wall-clock time.
    assert_eq!(
        cal.add_working(at("2025-03-28 16:00"), Duration::hours(4)),
        at("2025-03-31 10:00")
    );
    // An opening inside the gap moves to the end of the gap.
    let gap = Calendar::new(&spec(
        r#"{"timezone": "Europe/Berlin", "week": {"sun": ["02:30-05:00"]}}"#,
    ))
    .unwrap();
    assert_eq!(
        gap.working_intervals_on(spring),
        vec![(at("2025-03-30 03:00"), at("2025-03-30 05:00"))]
    );
    // R3 on a DST day reads the local time correctly.
    let noon_cut = gap.same_or_next_working_day(
        at("2025-03-30 01:30"),
        NaiveTime::from_hms_opt(3, 30, 0).unwrap(),
    );
    assert_eq!(noon_cut, at("2025-03-30 05:00"));
}

#[test]
fn explicit_holidays_extra_days_and_overrides() {
    let cal = Calendar::new(&spec(
        r#"{"timezone": "UTC",
            "week": {"mon": ["10:00-18:00"], "tue": ["10:00-18:00"], "wed": ["10:00-18:00"],
                     "thu": ["10:00-18:00"], "fri": ["10:00-18:00"]},
            "holidays": ["2025-12-25", "2025-12-26"],
            "extra_working_days": ["2025-12-27"],
            "overrides": {"2025-12-24": ["10:00-14:00"], "2025-12-31": []}}"#,
    ))
    .unwrap();
    let utc = |text: &str| local(chrono_tz::UTC, text);
    assert_eq!(
        cal.add_working(utc("2025-12-24 13:00"), Duration::hours(2)),
        utc("2025-12-27 11:00")
    );
    assert!(!cal.is_working_day(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()));
    assert!(cal.is_working_day(NaiveDate::from_ymd_opt(2025, 12, 27).unwrap()));
    assert!(cal.covers(utc("2040-01-01 00:00")));
}

#[test]
fn working_weekend_day_uses_the_first_weekday_with_hours() {
    let cal = Calendar::new(&spec(
        r#"{"timezone": "Europe/Moscow", "holidays": "ru",
            "week": {"tue": ["09:00-12:00"], "wed": ["09:00-12:00"]}}"#,
    ))
    .unwrap();
    let saturday = NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
    assert_eq!(
        cal.working_intervals_on(saturday),
        vec![(msk("2025-11-01 09:00"), msk("2025-11-01 12:00"))]
    );
}

#[test]
fn r5_pauses() {
    let cal = seed("moscow_10_19");
    let from = msk("2025-12-01 10:00");
    let to = msk("2025-12-03 19:00");
    let pauses = [
        (msk("2025-12-02 10:00"), msk("2025-12-02 12:00")),
        (msk("2025-12-02 11:00"), msk("2025-12-02 13:00")), // overlaps
        (msk("2025-11-30 10:00"), msk("2025-12-01 11:00")), // partly before `from`
        (msk("2025-12-03 18:00"), msk("2025-12-04 18:00")), // partly after `to`
        (msk("2025-12-03 15:00"), msk("2025-12-03 15:00")), // empty
        (msk("2025-12-03 20:00"), msk("2025-12-03 12:00")), // reversed
    ];
    let expected =
        Duration::hours(27) - Duration::hours(1) - Duration::hours(3) - Duration::hours(1);
    assert_eq!(cal.working_between_excluding(from, to, &pauses), expected);
    assert_eq!(
        cal.working_between_excluding(to, from, &pauses),
        Duration::zero()
    );
}

#[test]
fn invalid_specs_name_the_field() {
    let cases = [
        (
            r#"{"timezone": "America/New_York", "week": {"mon": ["10:00-19:00"]}}"#,
            "timezone",
        ),
        (
            r#"{"timezone": "Mars/Olympus", "week": {"mon": ["10:00-19:00"]}}"#,
            "timezone",
        ),
        (r#"{"week": {"mon": ["10:00-19:00"]}}"#, "timezone"),
        (r#"{"timezone": "UTC"}"#, "week"),
        (
            r#"{"timezone": "UTC", "week": {"mon": ["19:00-10:00"]}}"#,
            "week.mon[0]",
        ),
        (
            r#"{"timezone": "UTC", "week": {"tue": ["10:00-13:00", "12:00-19:00"]}}"#,
            "week.tue",
        ),
        (
            r#"{"timezone": "UTC", "week": {"mon": ["24:00-24:00"]}}"#,
            "week.mon[0]",
        ),
        (
            r#"{"timezone": "UTC", "week": {"mon": ["9:00-10:00"]}}"#,
            "week.mon[0]",
        ),
        (r#"{"timezone": "UTC", "week": {}}"#, "week"),
        (
            r#"{"timezone": "UTC", "week": {"mon": ["10:00-19:00"]}, "overrides": {"2025-01-01": ["x"]}}"#,
            "overrides.2025-01-01[0]",
        ),
    ];
    for (json, field) in cases {
        let error = Calendar::new(&spec(json)).unwrap_err();
        assert_eq!(error.field, field, "{json}: {error}");
        assert!(
            error
                .message
                .starts_with(|c: char| c.is_lowercase() || c == '`'),
            "{error}"
        );
        assert!(!error.message.ends_with('.'), "{error}");
    }
    for (json, field) in [
        (r#"{"timezone": "UTC", "week": {"mo": []}}"#, "mo"),
        (r#"{"timezone": "UTC", "week": {}, "colour": 1}"#, "colour"),
        (
            r#"{"timezone": "UTC", "week": {}, "holidays": "de"}"#,
            "calendar",
        ),
    ] {
        assert_eq!(
            CalendarSpec::from_json(json).unwrap_err().field,
            field,
            "{json}"
        );
    }
}

#[test]
fn json_round_trip_and_the_always_open_flag() {
    let text = r#"{"timezone":"Europe/Moscow","week":{"mon":["10:00-19:00"],"tue":[],"wed":[],"thu":[],"fri":[],"sat":[],"sun":[]},"holidays":"ru","overrides":{"2025-12-30":["10:00-15:00"]},"shorten_pre_holiday":true,"always_open":false}"#;
    let parsed = spec(text);
    assert_eq!(parsed.holidays, Holidays::Ru);
    assert_eq!(serde_json::to_string(&parsed).unwrap(), text);
    let always = spec(r#"{"always_open": true}"#);
    assert!(Calendar::new(&always).unwrap().is_always_open());
    assert_eq!(
        WeekSpec::weekdays(&["10:00-19:00"]).sat,
        Vec::<String>::new()
    );
}

#[test]
fn starts_exactly_at_opening_and_closing() {
    let cal = seed("moscow_8_18");
    assert!(cal.is_working(msk("2025-12-01 08:00")));
    assert!(!cal.is_working(msk("2025-12-01 18:00")));
    assert_eq!(
        cal.add_working(msk("2025-12-01 08:00"), Duration::hours(10)),
        msk("2025-12-01 18:00")
    );
    assert_eq!(
        cal.add_working(msk("2025-12-01 18:00"), Duration::hours(10)),
        msk("2025-12-02 18:00")
    );
    assert_eq!(
        cal.working_between(msk("2025-12-01 08:00"), msk("2025-12-01 18:00")),
        Duration::hours(10)
    );
    assert_eq!(
        cal.working_between(msk("2025-12-01 18:00"), msk("2025-12-02 08:00")),
        Duration::zero()
    );
}
