//! One local year of a calendar, prepared for lookups by day and binary search.
//!
//! A table holds every working interval of the year as UTC nanoseconds with the cumulative
//! working time before it, the UTC instant of each local midnight with the first interval that can
//! hold it, the close of each working day and the list of working days with each day's rank in
//! it. Building it is the only place that consults the time zone.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::{
    NANOS_PER_DAY, NANOS_PER_SECOND, Rules, Span, minutes_to_nanos, ru, to_nanos, weekday_index,
};

/// Marks a day without working hours.
pub(crate) const NONE: i64 = i64::MIN;

pub(crate) struct Year {
    /// The UTC instant of local midnight on 1 January.
    pub(crate) start: i64,
    /// The UTC instant of local midnight on 1 January of the next year.
    pub(crate) end: i64,
    /// Working intervals `[open, close)`, sorted, disjoint; touching intervals are merged.
    pub(crate) open: Vec<i64>,
    pub(crate) close: Vec<i64>,
    /// `cum[i]`: working time of this year before interval `i`; `cum[len]` is the year's total.
    pub(crate) cum: Vec<i64>,
    /// Local midnight of each day of the year, plus the next year's first midnight.
    pub(crate) day_start: Vec<i64>,
    /// `day_first[d]`: the first interval that closes after day `d`'s midnight, so the intervals
    /// that can hold an instant of day `d` are `day_first[d]..=day_first[d + 1]`.
    day_first: Vec<u32>,
    /// The close of each day's last working interval, or [`NONE`].
    pub(crate) day_close: Vec<i64>,
    /// `day_rank[d]`: how many working days of the year come before day `d`.
    day_rank: Vec<u16>,
    /// The working time of the year before each working day's close (0 for other days).
    pub(crate) day_close_cumulative: Vec<i64>,
    /// Whether the day is exactly 24 hours with one offset, so local time is `t - day_start`.
    uniform: Vec<bool>,
    /// Ordinals (0-based) of the working days.
    pub(crate) work_days: Vec<u16>,
    /// Whether the holiday data for this year is exact.
    pub(crate) covered: bool,
}

/// The UTC instant of a local wall-clock time: a time in a daylight-saving gap moves to the end
/// of the gap, an ambiguous time takes its first occurrence.
fn local_to_utc(tz: Tz, local: NaiveDateTime) -> i64 {
    if let Some(at) = tz.from_local_datetime(&local).earliest() {
        return to_nanos(at.with_timezone(&Utc));
    }
    // The first UTC second whose local time is at or after `local`: the end of the gap. Offsets
    // stay within ±15 hours, so the answer lies within this window.
    let guess = local.and_utc().timestamp();
    let (mut low, mut high) = (guess - 15 * 3600, guess + 15 * 3600);
    while low < high {
        let mid = low + (high - low) / 2;
        let at = DateTime::from_timestamp(mid, 0)
            .expect("in range")
            .with_timezone(&tz)
            .naive_local();
        if at >= local {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    low * NANOS_PER_SECOND
}

fn offset_seconds(tz: Tz, at: i64) -> i32 {
    tz.offset_from_utc_datetime(&DateTime::from_timestamp_nanos(at).naive_utc())
        .fix()
        .local_minus_utc()
}

impl Rules {
    /// The working intervals of a local date in local minutes.
    fn day_spans(&self, date: NaiveDate) -> Vec<Span> {
        if let Some(spans) = self.overrides.get(&date) {
            return spans.clone();
        }
        let own = &self.week[weekday_index(date.weekday())];
        let (working, shortened) = if self.extra_working_days.binary_search(&date).is_ok() {
            (true, self.ru && ru::day(date, true).shortened)
        } else if self.ru {
            let day = ru::day(date, !own.is_empty());
            (day.working, day.shortened)
        } else {
            (
                !own.is_empty() && self.holidays.binary_search(&date).is_err(),
                false,
            )
        };
        if !working {
            return Vec::new();
        }
        let mut spans = if own.is_empty() {
            self.weekend_hours.clone()
        } else {
            own.clone()
        };
        if shortened
            && self.shorten_pre_holiday
            && let Some(last) = spans.last_mut()
        {
            last.close = last.close.saturating_sub(60).max(last.open);
            if last.close == last.open {
                spans.pop();
            }
        }
        spans
    }
}

impl Year {
    pub(crate) fn build(rules: &Rules, year: i32) -> Self {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a supported year");
        let days = NaiveDate::from_ymd_opt(year + 1, 1, 1)
            .expect("a supported year")
            .signed_duration_since(first)
            .num_days() as usize;
        let midnight =
            |date: NaiveDate| local_to_utc(rules.tz, date.and_hms_opt(0, 0, 0).expect("midnight"));
        let day_start: Vec<i64> = (0..=days)
            .map(|d| midnight(first + Duration::days(d as i64)))
            .collect();
        let uniform = (0..days)
            .map(|d| {
                day_start[d + 1] - day_start[d] == NANOS_PER_DAY
                    && offset_seconds(rules.tz, day_start[d])
                        == offset_seconds(rules.tz, day_start[d + 1] - 1)
            })
            .collect();
        let mut open: Vec<i64> = Vec::with_capacity(days);
        let mut close: Vec<i64> = Vec::with_capacity(days);
        let mut day_close = vec![NONE; days];
        let mut work_days = Vec::with_capacity(days);
        for d in 0..days {
            let date = first + Duration::days(d as i64);
            let base = date.and_hms_opt(0, 0, 0).expect("midnight");
            for span in rules.day_spans(date) {
                let o = local_to_utc(
                    rules.tz,
                    base + Duration::nanoseconds(minutes_to_nanos(span.open)),
                );
                let c = if span.close >= 1440 {
                    day_start[d + 1]
                } else {
                    local_to_utc(
                        rules.tz,
                        base + Duration::nanoseconds(minutes_to_nanos(span.close)),
                    )
                };
                let o = o
                    .max(day_start[d])
                    .max(close.last().copied().unwrap_or(i64::MIN));
                let c = c.min(day_start[d + 1]);
                if c <= o {
                    continue;
                }
                if close.last() == Some(&o) {
                    *close.last_mut().expect("checked") = c;
                } else {
                    open.push(o);
                    close.push(c);
                }
                day_close[d] = c;
            }
            if day_close[d] != NONE {
                work_days.push(d as u16);
            }
        }
        let day_first = day_start
            .iter()
            .map(|&midnight| close.partition_point(|&c| c <= midnight) as u32)
            .collect();
        let day_rank = (0..days)
            .map(|d| work_days.partition_point(|&w| usize::from(w) < d) as u16)
            .collect();
        let mut cum = Vec::with_capacity(open.len() + 1);
        let mut sum = 0;
        cum.push(0);
        for (o, c) in open.iter().zip(&close) {
            sum += c - o;
            cum.push(sum);
        }
        let mut table = Self {
            start: day_start[0],
            end: day_start[days],
            open,
            close,
            cum,
            day_start,
            day_first,
            day_close,
            day_rank,
            uniform,
            work_days,
            covered: !rules.ru || ru::covers_year(year),
            day_close_cumulative: Vec::new(),
        };
        table.day_close_cumulative = table
            .day_close
            .iter()
            .map(|&close| {
                if close == NONE {
                    0
                } else {
                    table.cumulative_at(close)
                }
            })
            .collect();
        table
    }

    pub(crate) fn len(&self) -> usize {
        self.open.len()
    }

    pub(crate) fn total(&self) -> i64 {
        self.cum[self.open.len()]
    }

    /// The index of the first interval that closes after `t`: a search among the few intervals
    /// of `t`'s day, not the whole year.
    pub(crate) fn first_close_after(&self, t: i64) -> usize {
        let day = self.day_of(t);
        let (first, last) = (
            self.day_first[day] as usize,
            self.day_first[day + 1] as usize,
        );
        first + self.close[first..last].partition_point(|&c| c <= t)
    }

    pub(crate) fn is_working(&self, t: i64) -> bool {
        let index = self.first_close_after(t);
        index < self.len() && self.open[index] <= t
    }

    /// The working time of this year before `t`.
    pub(crate) fn cumulative_at(&self, t: i64) -> i64 {
        let index = self.first_close_after(t);
        match self.open.get(index) {
            Some(&open) if open <= t => self.cum[index] + (t - open),
            _ => self.cum[index],
        }
    }

    /// The instant at which the year's working time reaches `target` (`0 < target <= total`):
    /// an exact fill lands on a close, never on the next opening.
    pub(crate) fn at_cumulative(&self, target: i64) -> i64 {
        let i = self.cum[1..].partition_point(|&c| c < target);
        self.open[i] + (target - self.cum[i])
    }

    /// The day of the year (0-based) that contains `t`; the first day for earlier instants and
    /// the last for later ones.
    pub(crate) fn day_of(&self, t: i64) -> usize {
        let last = self.day_close.len() - 1;
        // A local day lasts 24 hours give or take the daylight-saving shifts, so the count of
        // whole days since the year's start is off by at most one.
        let guess = t.saturating_sub(self.start).max(0) / NANOS_PER_DAY;
        let mut day = usize::try_from(guess).map_or(last, |guess| guess.min(last));
        while day > 0 && self.day_start[day] > t {
            day -= 1;
        }
        while day < last && self.day_start[day + 1] <= t {
            day += 1;
        }
        day
    }

    /// How many working days of the year come before day `day`, and with `day` itself when
    /// `inclusive`: the position in `work_days` to count from.
    pub(crate) fn working_days_before(&self, day: usize, inclusive: bool) -> usize {
        usize::from(self.day_rank[day]) + usize::from(inclusive && self.day_close[day] != NONE)
    }

    /// The local time of day of `t` in nanoseconds, when it can be read without the time zone.
    pub(crate) fn local_nanos_of_day(&self, day: usize, t: i64) -> Option<i64> {
        self.uniform[day].then(|| t - self.day_start[day])
    }
}

#[cfg(test)]
mod tests {
    //! The day index must answer exactly what a search over the whole year answers.

    use proptest::prelude::*;

    use chrono::NaiveTime;

    use super::{NANOS_PER_DAY, Year};
    use crate::calendar::{Calendar, CalendarSpec, Holidays, WeekSpec};

    fn first_close_after(year: &Year, t: i64) -> usize {
        year.close.partition_point(|&c| c <= t)
    }

    fn cumulative_at(year: &Year, t: i64) -> i64 {
        let started = year.open.partition_point(|&o| o <= t);
        if started == 0 {
            return 0;
        }
        let i = started - 1;
        year.cum[i] + t.min(year.close[i]) - year.open[i]
    }

    fn day_of(year: &Year, t: i64) -> usize {
        let days = year.day_close.len();
        year.day_start
            .partition_point(|&s| s <= t)
            .saturating_sub(1)
            .min(days - 1)
    }

    fn working_days_before(year: &Year, day: usize, inclusive: bool) -> usize {
        if inclusive {
            year.work_days.partition_point(|&d| usize::from(d) <= day)
        } else {
            year.work_days.partition_point(|&d| usize::from(d) < day)
        }
    }

    /// Up to three intervals of a day on a 15-minute grid, `24:00` included.
    fn day() -> impl Strategy<Value = Vec<String>> {
        prop::collection::btree_set(0u16..=96, 0..=6).prop_map(|marks| {
            let marks: Vec<u16> = marks.into_iter().map(|m| m * 15).collect();
            marks
                .chunks_exact(2)
                .map(|pair| {
                    let clock = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
                    format!("{}-{}", clock(pair[0]), clock(pair[1]))
                })
                .collect()
        })
    }

    fn calendar() -> impl Strategy<Value = Calendar> {
        // Moscow (2011, 2014) and Volgograd (2018, 2020) changed their standard offsets, so some
        // of their local days start an hour away from whole days after the year's start.
        const ZONES: &[&str] = &[
            "UTC",
            "Europe/London",
            "Europe/Moscow",
            "Europe/Volgograd",
            "Asia/Tehran",
        ];
        (
            prop::sample::select(ZONES),
            prop::collection::vec(day(), 7),
            any::<bool>(),
        )
            .prop_map(|(zone, mut days, ru)| {
                if days.iter().all(Vec::is_empty) {
                    days[0] = vec!["00:00-24:00".to_owned()];
                }
                let days: [Vec<String>; 7] = days.try_into().expect("seven days");
                let spec = CalendarSpec {
                    timezone: Some(zone.to_owned()),
                    week: Some(WeekSpec::from(days)),
                    holidays: if ru {
                        Holidays::Ru
                    } else {
                        Holidays::default()
                    },
                    shorten_pre_holiday: ru,
                    ..CalendarSpec::default()
                };
                Calendar::new(&spec).expect("generated calendars are valid")
            })
    }

    #[test]
    fn a_deadline_past_the_last_year_measures_to_the_end_of_it() {
        let spec = CalendarSpec {
            timezone: Some("Europe/Moscow".to_owned()),
            week: Some(WeekSpec::weekdays(&["10:00-19:00"])),
            ..CalendarSpec::default()
        };
        let calendar = Calendar::new(&spec).expect("a valid calendar");
        let last = calendar.year(crate::calendar::MAX_YEAR);
        for start in [
            last.end - 20 * NANOS_PER_DAY,
            last.end - NANOS_PER_DAY,
            last.end,
        ] {
            let deadline = calendar.add_working_days_position(start, 30);
            assert_eq!(deadline.at, last.end);
            for from in [start, last.start, last.end - 40 * NANOS_PER_DAY] {
                let position = calendar.position(from);
                assert_eq!(
                    calendar.working_between_positions(position, deadline),
                    calendar.working_between_nanos(from, deadline.at),
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        #[test]
        fn deadline_positions_measure_what_their_instants_measure(
            calendar in calendar(),
            starts in prop::collection::vec(1_262_304_000i64..1_893_456_000, 16),
            days in 0u32..400,
            cutoff in 0u32..24,
        ) {
            // Instants between 2010 and 2030, to the second; R3 and R4 deadlines from each, and
            // the working time between them and every start measured both ways.
            let cutoff = NaiveTime::from_hms_opt(cutoff, 0, 0).expect("an hour");
            let starts: Vec<i64> = starts.iter().map(|&s| s * 1_000_000_000).collect();
            for &start in &starts {
                let r3 = calendar.same_or_next_working_day_position(start, cutoff);
                let r4 = calendar.add_working_days_position(start, days);
                prop_assert_eq!(r3.at, calendar.same_or_next_working_day_nanos(start, cutoff));
                prop_assert_eq!(r4.at, calendar.add_working_days_nanos(start, days));
                for deadline in [r3, r4] {
                    for &other in &starts {
                        let position = calendar.position(other);
                        prop_assert_eq!(
                            calendar.working_between_positions(position, deadline),
                            calendar.working_between_nanos(other, deadline.at)
                        );
                        prop_assert_eq!(
                            calendar.working_between_positions(deadline, position),
                            calendar.working_between_nanos(deadline.at, other)
                        );
                    }
                }
            }
        }

        #[test]
        fn the_day_index_agrees_with_a_search_of_the_year(
            calendar in calendar(),
            offsets in prop::collection::vec(-2 * NANOS_PER_DAY..368 * NANOS_PER_DAY, 32),
        ) {
            for year in 2010..2030 {
                let table = calendar.year(year);
                // Random instants around the year, and every edge of the tables with its neighbours.
                let edges = table.open.iter().chain(&table.close).chain(&table.day_start);
                let instants = offsets
                    .iter()
                    .map(|&offset| table.start + offset)
                    .chain(edges.flat_map(|&t| [t - 1, t, t + 1]));
                for t in instants {
                    let index = first_close_after(table, t);
                    prop_assert_eq!(table.day_of(t), day_of(table, t), "day of {}", t);
                    prop_assert_eq!(table.first_close_after(t), index, "close after {}", t);
                    prop_assert_eq!(table.cumulative_at(t), cumulative_at(table, t), "at {}", t);
                    prop_assert_eq!(table.is_working(t), index < table.len() && table.open[index] <= t);
                }
                for day in 0..table.day_close.len() {
                    for inclusive in [false, true] {
                        let expected = working_days_before(table, day, inclusive);
                        prop_assert_eq!(table.working_days_before(day, inclusive), expected);
                    }
                }
            }
        }
    }
}
