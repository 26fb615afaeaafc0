//! One local year of a calendar, prepared for binary search.
//!
//! A table holds every working interval of the year as UTC nanoseconds with the cumulative
//! working time before it, the UTC instant of each local midnight, the close of each working day
//! and the list of working days. Building it is the only place that consults the time zone.

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
    /// The close of each day's last working interval, or [`NONE`].
    pub(crate) day_close: Vec<i64>,
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
        let mut cum = Vec::with_capacity(open.len() + 1);
        let mut sum = 0;
        cum.push(0);
        for (o, c) in open.iter().zip(&close) {
            sum += c - o;
            cum.push(sum);
        }
        Self {
            start: day_start[0],
            end: day_start[days],
            open,
            close,
            cum,
            day_start,
            day_close,
            uniform,
            work_days,
            covered: !rules.ru || ru::covers_year(year),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.open.len()
    }

    pub(crate) fn total(&self) -> i64 {
        self.cum[self.open.len()]
    }

    /// The index of the first interval that closes after `t`.
    pub(crate) fn first_close_after(&self, t: i64) -> usize {
        self.close.partition_point(|&c| c <= t)
    }

    pub(crate) fn is_working(&self, t: i64) -> bool {
        let index = self.first_close_after(t);
        index < self.len() && self.open[index] <= t
    }

    /// The working time of this year before `t`.
    pub(crate) fn cumulative_at(&self, t: i64) -> i64 {
        let started = self.open.partition_point(|&o| o <= t);
        if started == 0 {
            return 0;
        }
        let i = started - 1;
        self.cum[i] + t.min(self.close[i]) - self.open[i]
    }

    /// The instant at which the year's working time reaches `target` (`0 < target <= total`):
    /// an exact fill lands on a close, never on the next opening.
    pub(crate) fn at_cumulative(&self, target: i64) -> i64 {
        let i = self.cum[1..].partition_point(|&c| c < target);
        self.open[i] + (target - self.cum[i])
    }

    /// The day of the year (0-based) that contains `t`.
    pub(crate) fn day_of(&self, t: i64) -> usize {
        let days = self.day_close.len();
        self.day_start
            .partition_point(|&s| s <= t)
            .saturating_sub(1)
            .min(days - 1)
    }

    /// The local time of day of `t` in nanoseconds, when it can be read without the time zone.
    pub(crate) fn local_nanos_of_day(&self, day: usize, t: i64) -> Option<i64> {
        self.uniform[day].then(|| t - self.day_start[day])
    }
}
