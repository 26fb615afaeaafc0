//! Benchmarks of the SLA engine, side by side with the `workclock` crate on the same inputs.
//!
//! The Moscow 10–19 calendar with the Russian production calendar; the start lies before the
//! New Year holidays 2025/2026 so every case crosses them. `workclock` gets the same non-working
//! weekdays as a holiday list (it cannot express working Saturdays or shortened days; none falls
//! inside these inputs, and the setup asserts that both give the same answers).

use std::hint::black_box;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use jiff::civil::{date, time};
use jiff::{SignedDuration, Timestamp};
use shared::calendar::{Calendar, seed_calendar};
use shared::queue::{QueueKey, sort_queue};
use shared::sla::{ClockEvent, ClockEventKind, Plan, clocks, seed_plan};
use shared::ticket::{Category, Classification};
use workclock::{Holidays, Schedule, Weekdays, WorkDay};

fn moscow() -> Calendar {
    Calendar::new(&seed_calendar("moscow_10_19").unwrap()).unwrap()
}

fn workclock_schedule(calendar: &Calendar) -> Schedule {
    let mut holidays = Vec::new();
    let mut day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    while day.year() < 2028 {
        let weekday = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if weekday && !calendar.is_working_day(day) {
            holidays.push(date(day.year() as i16, day.month() as i8, day.day() as i8));
        }
        day = day.succ_opt().unwrap();
    }
    Schedule::builder()
        .time_zone("Europe/Moscow")
        .rule(WorkDay::new(
            time(10, 0, 0, 0),
            time(19, 0, 0, 0),
            Weekdays::MON_TO_FRI,
        ))
        .rule(Holidays::new(holidays))
        .build()
        .unwrap()
}

fn timestamp(at: DateTime<Utc>) -> Timestamp {
    Timestamp::from_second(at.timestamp()).unwrap()
}

fn add_working(c: &mut Criterion) {
    let calendar = moscow();
    let schedule = workclock_schedule(&calendar);
    // Monday 29 December 2025, 15:00 Moscow.
    let start = Utc.with_ymd_and_hms(2025, 12, 29, 12, 0, 0).unwrap();
    let cases = [
        ("20 min", Duration::minutes(20)),
        ("12 h", Duration::hours(12)),
        ("200 h", Duration::hours(200)),
        ("60 working days", Duration::hours(60 * 9)),
    ];
    let mut group = c.benchmark_group("add_working");
    for (name, amount) in cases {
        let ours = calendar.add_working(start, amount);
        let theirs = schedule
            .add(
                timestamp(start),
                SignedDuration::from_secs(amount.num_seconds()),
            )
            .unwrap();
        assert_eq!(ours.timestamp(), theirs.as_second(), "{name}");
        group.bench_function(format!("reglament/{name}"), |b| {
            b.iter(|| calendar.add_working(black_box(start), black_box(amount)));
        });
        let span = SignedDuration::from_secs(amount.num_seconds());
        let from = timestamp(start);
        group.bench_function(format!("workclock/{name}"), |b| {
            b.iter(|| schedule.add(black_box(from), black_box(span)).unwrap());
        });
    }
    group.bench_function("reglament/add_working_days 60", |b| {
        b.iter(|| calendar.add_working_days(black_box(start), black_box(60)));
    });
    let noon = chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap();
    group.bench_function("reglament/same_or_next_working_day", |b| {
        b.iter(|| calendar.same_or_next_working_day(black_box(start), black_box(noon)));
    });
    group.finish();
}

fn working_between(c: &mut Criterion) {
    let calendar = moscow();
    let schedule = workclock_schedule(&calendar);
    let from = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    assert_eq!(
        calendar.working_between(from, to).num_seconds(),
        schedule.between(timestamp(from), timestamp(to)).as_secs()
    );
    let mut group = c.benchmark_group("working_between");
    group.bench_function("reglament/year 2026", |b| {
        b.iter(|| calendar.working_between(black_box(from), black_box(to)));
    });
    let (a, z) = (timestamp(from), timestamp(to));
    group.bench_function("workclock/year 2026", |b| {
        b.iter(|| schedule.between(black_box(a), black_box(z)));
    });
    group.finish();
}

fn ticket_history() -> Vec<ClockEvent> {
    use ClockEventKind::*;
    let mut at = Utc.with_ymd_and_hms(2025, 12, 1, 8, 0, 0).unwrap();
    let mut events = vec![
        ClockEvent::new(at, Registered),
        ClockEvent::new(at + Duration::seconds(1), AutoAcknowledgement),
    ];
    let mut step = |hours: i64, kind| {
        at += Duration::hours(hours);
        events.push(ClockEvent::new(at, kind));
    };
    step(1, AgentPublicReply);
    step(2, MarkedReproduced);
    step(1, Escalated);
    step(2, KnownErrorLinked);
    for _ in 0..11 {
        step(3, WaitingForCustomer);
        step(20, CustomerMessage);
        step(2, AgentPublicReply);
        step(1, CustomerMessage);
    }
    events
}

fn clock_bench(c: &mut Criterion) {
    let plan = Plan::new(&seed_plan("standard").unwrap()).unwrap();
    let classification = Classification::new(Category::B, None, false).unwrap();
    let events = ticket_history();
    assert_eq!(events.len(), 50);
    let now = events.last().unwrap().at + Duration::hours(1);
    c.bench_function("clocks/50 events", |b| {
        b.iter(|| {
            clocks(
                black_box(&plan),
                black_box(&classification),
                black_box(&events),
                black_box(now),
            )
        });
    });
}

fn queue_bench(c: &mut Criterion) {
    let base = Utc.with_ymd_and_hms(2025, 12, 1, 0, 0, 0).unwrap();
    // A deterministic shuffle: a linear congruential generator.
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    let queue: Vec<QueueKey> = (0..100_000)
        .map(|id| QueueKey {
            special: next() % 50 == 0,
            deadline: (next() % 10 != 0)
                .then(|| base + Duration::minutes((next() % 100_000) as i64)),
            registered_at: base + Duration::seconds((next() % 5_000_000) as i64),
            id,
        })
        .collect();
    let mut group = c.benchmark_group("queue");
    group.sample_size(20);
    group.bench_function("sort 100k", |b| {
        b.iter_batched_ref(
            || queue.clone(),
            |queue| sort_queue(black_box(queue)),
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(
    benches,
    add_working,
    working_between,
    clock_bench,
    queue_bench
);
criterion_main!(benches);
