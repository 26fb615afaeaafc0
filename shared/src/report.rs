//! Reports for supervisors (SPEC §8): SLA compliance, CSAT, reopen rate and backlog age.
//!
//! The server aggregates in SQL and hands the counts to these functions, which decide the
//! rules with a number in them: what a final clock outcome is, how a percentage is rounded,
//! where the backlog age buckets start and end, which period a query means, and how a report
//! becomes CSV. The same types are the wire format of `GET /api/reports/…`.
//!
//! This module must not read the clock or do I/O: "today" and "now" are parameters.

use std::fmt::Write as _;
use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::sla::{Clock, ClockKind, ClockState};

/// The final outcome of a clock, as the ticket row stores it (`met` or `breached`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Met,
    Breached,
}

impl Outcome {
    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::Breached => "breached",
        }
    }
}

/// The outcome of `clock` if it is final: `Met` once the clock stopped in time (only a reopen
/// can undo that, and a reopen recomputes the row), `Breached` once its deadline passed,
/// whether it still runs or not (nothing can make it met again). Running, paused, pending and
/// uncommitted clocks have no outcome yet.
///
/// # Examples
///
/// ```
/// use shared::report::{outcome, Outcome};
/// use shared::sla::{Clock, ClockKind, ClockState, Target};
///
/// let mut clock = Clock {
///     kind: ClockKind::FirstResponse, target: Target::hours(3), state: ClockState::Running,
///     active: true, started_at: None, stopped_at: None, deadline: None, warn_at: None,
///     budget_seconds: Some(10_800), elapsed_seconds: 0, remaining_seconds: Some(10_800),
///     paused_seconds: 0, ordinary_calendar: false,
/// };
/// assert_eq!(outcome(&clock), None);
/// clock.state = ClockState::Breached;
/// assert_eq!(outcome(&clock), Some(Outcome::Breached));
/// ```
pub fn outcome(clock: &Clock) -> Option<Outcome> {
    match clock.state {
        ClockState::Met if clock.target.is_committed() => Some(Outcome::Met),
        ClockState::Breached => Some(Outcome::Breached),
        _ => None,
    }
}

/// The share of `met` among the decided clocks in percent, rounded to one decimal; `None`
/// when no clock is decided (a report must not claim 0% or 100% of nothing).
///
/// # Examples
///
/// ```
/// assert_eq!(shared::report::percent(2, 1), Some(66.7));
/// assert_eq!(shared::report::percent(0, 0), None);
/// ```
pub fn percent(part: u64, rest: u64) -> Option<f64> {
    let total = part + rest;
    if total == 0 {
        return None;
    }
    // Integer arithmetic first, so 2/3 is 66.7 on every platform.
    let tenths = (part * 1000 + total / 2) / total;
    Some(tenths as f64 / 10.0)
}

/// A period of whole UTC days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// An invalid report parameter: the field it is about and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ParamError {
    pub field: String,
    pub message: String,
}

impl ParamError {
    fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// The longest period a report covers.
pub const MAX_PERIOD_DAYS: i64 = 3660;

/// The default period: the 30 days ending `today`.
pub const DEFAULT_PERIOD_DAYS: i64 = 30;

impl Period {
    /// Parses `from` and `to` (`YYYY-MM-DD`); a missing `to` is `today`, a missing `from` is
    /// [`DEFAULT_PERIOD_DAYS`] days before `to` (inclusive).
    ///
    /// # Errors
    ///
    /// A [`ParamError`] on `from` or `to` for a malformed date, on `to` when it is before
    /// `from` or the period is longer than [`MAX_PERIOD_DAYS`].
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use shared::report::Period;
    ///
    /// let today = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    /// let period = Period::parse(None, None, today).unwrap();
    /// assert_eq!(period.from, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    /// assert_eq!(Period::parse(Some("31.03.2026"), None, today).unwrap_err().field, "from");
    /// ```
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        today: NaiveDate,
    ) -> Result<Self, ParamError> {
        let date = |field: &str, text: &str| {
            crate::calendar::text::parse_date(text.trim()).map_err(|_| {
                ParamError::new(field, format!("`{text}` is not a date like 2026-03-31"))
            })
        };
        let to = match to.filter(|t| !t.trim().is_empty()) {
            Some(text) => date("to", text)?,
            None => today,
        };
        let from = match from.filter(|f| !f.trim().is_empty()) {
            Some(text) => date("from", text)?,
            None => to - Duration::days(DEFAULT_PERIOD_DAYS - 1),
        };
        if to < from {
            return Err(ParamError::new("to", "must not be before from"));
        }
        if (to - from).num_days() >= MAX_PERIOD_DAYS {
            return Err(ParamError::new(
                "to",
                format!("a report covers at most {MAX_PERIOD_DAYS} days"),
            ));
        }
        Ok(Self { from, to })
    }

    /// The first instant of the period.
    pub fn start(&self) -> DateTime<Utc> {
        self.from.and_time(NaiveTime::MIN).and_utc()
    }

    /// The first instant after the period.
    pub fn end(&self) -> DateTime<Utc> {
        (self.to + Duration::days(1))
            .and_time(NaiveTime::MIN)
            .and_utc()
    }
}

/// What the SLA report groups by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Organisation,
    Category,
    Plan,
    /// The ticket's assignee (unassigned tickets form one group).
    Agent,
}

impl GroupBy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Organisation => "organisation",
            Self::Category => "category",
            Self::Plan => "plan",
            Self::Agent => "agent",
        }
    }
}

impl FromStr for GroupBy {
    type Err = ParamError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "organisation" => Ok(Self::Organisation),
            "category" => Ok(Self::Category),
            "plan" => Ok(Self::Plan),
            "agent" => Ok(Self::Agent),
            _ => Err(ParamError::new(
                "group_by",
                "one of organisation, category, plan, agent",
            )),
        }
    }
}

/// How a report is delivered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Json,
    Csv,
}

impl Format {
    /// `json` (or nothing) and `csv`.
    ///
    /// # Errors
    /// A [`ParamError`] on `format` for anything else.
    pub fn parse(text: Option<&str>) -> Result<Self, ParamError> {
        match text.map(str::trim) {
            None | Some("" | "json") => Ok(Self::Json),
            Some("csv") => Ok(Self::Csv),
            Some(_) => Err(ParamError::new("format", "json or csv")),
        }
    }
}

/// Met and breached final outcomes of one clock kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Compliance {
    pub met: u64,
    pub breached: u64,
    /// `met / (met + breached)` in percent, one decimal; `null` when nothing is decided.
    pub percent: Option<f64>,
}

impl Compliance {
    pub fn new(met: u64, breached: u64) -> Self {
        Self {
            met,
            breached,
            percent: percent(met, breached),
        }
    }
}

/// One group of the SLA report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaGroup {
    /// The group's id (organisation, plan or user id, or the category letter); `null` for the
    /// tickets without one (unassigned).
    pub key: Option<String>,
    pub label: String,
    /// Tickets registered in the period.
    pub tickets: u64,
    pub first_response: Compliance,
    pub resolution: Compliance,
}

/// The counts of one group as SQL returns them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlaCounts {
    pub key: Option<String>,
    pub label: String,
    pub tickets: u64,
    pub first_response_met: u64,
    pub first_response_breached: u64,
    pub resolution_met: u64,
    pub resolution_breached: u64,
}

impl From<&SlaCounts> for SlaGroup {
    fn from(counts: &SlaCounts) -> Self {
        Self {
            key: counts.key.clone(),
            label: counts.label.clone(),
            tickets: counts.tickets,
            first_response: Compliance::new(
                counts.first_response_met,
                counts.first_response_breached,
            ),
            resolution: Compliance::new(counts.resolution_met, counts.resolution_breached),
        }
    }
}

/// One breached clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Breach {
    pub reference: String,
    pub subject: String,
    pub organisation: String,
    pub assignee: Option<String>,
    /// `first_response` or `resolution`.
    pub clock: ClockKind,
    pub registered_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    /// When the clock stopped; `null` while it still runs past its deadline.
    pub stopped_at: Option<DateTime<Utc>>,
}

/// `GET /api/reports/sla`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaReport {
    pub period: Period,
    pub group_by: GroupBy,
    pub groups: Vec<SlaGroup>,
    pub total: SlaGroup,
    /// Breached clocks of the period's tickets, newest registration first (at most
    /// [`MAX_BREACHES`]).
    pub breaches: Vec<Breach>,
}

/// The longest breach list a report carries.
pub const MAX_BREACHES: u64 = 500;

impl SlaReport {
    /// The report from per-group counts: groups sorted by label, and their total.
    pub fn new(
        period: Period,
        group_by: GroupBy,
        mut counts: Vec<SlaCounts>,
        breaches: Vec<Breach>,
    ) -> Self {
        counts.sort_by(|a, b| a.label.cmp(&b.label).then_with(|| a.key.cmp(&b.key)));
        let sum = |pick: fn(&SlaCounts) -> u64| counts.iter().map(pick).sum::<u64>();
        let total = SlaCounts {
            key: None,
            label: "Total".to_owned(),
            tickets: sum(|c| c.tickets),
            first_response_met: sum(|c| c.first_response_met),
            first_response_breached: sum(|c| c.first_response_breached),
            resolution_met: sum(|c| c.resolution_met),
            resolution_breached: sum(|c| c.resolution_breached),
        };
        Self {
            period,
            group_by,
            groups: counts.iter().map(SlaGroup::from).collect(),
            total: SlaGroup::from(&total),
            breaches,
        }
    }

    /// One row per group and a total row.
    pub fn to_csv(&self) -> String {
        let mut csv = Csv::new(&[
            self.group_by.as_str(),
            "key",
            "tickets",
            "first_response_met",
            "first_response_breached",
            "first_response_percent",
            "resolution_met",
            "resolution_breached",
            "resolution_percent",
        ]);
        for group in self.groups.iter().chain([&self.total]) {
            csv.row(&[
                group.label.clone(),
                group.key.clone().unwrap_or_default(),
                group.tickets.to_string(),
                group.first_response.met.to_string(),
                group.first_response.breached.to_string(),
                percent_cell(group.first_response.percent),
                group.resolution.met.to_string(),
                group.resolution.breached.to_string(),
                percent_cell(group.resolution.percent),
            ]);
        }
        csv.finish()
    }
}

fn percent_cell(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.1}")).unwrap_or_default()
}

/// One score of the CSAT distribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreCount {
    pub score: u8,
    pub count: u64,
}

/// `GET /api/reports/csat`: ratings given in the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CsatReport {
    pub period: Period,
    pub count: u64,
    /// The mean score, two decimals; `null` without ratings.
    pub average: Option<f64>,
    /// Scores 1 to 5, each present.
    pub distribution: Vec<ScoreCount>,
}

impl CsatReport {
    /// The report from (score, count) pairs; scores outside 1–5 are ignored.
    pub fn new(period: Period, counts: &[(i64, u64)]) -> Self {
        let distribution: Vec<ScoreCount> = (1..=5u8)
            .map(|score| ScoreCount {
                score,
                count: counts
                    .iter()
                    .filter(|(s, _)| *s == i64::from(score))
                    .map(|(_, n)| n)
                    .sum(),
            })
            .collect();
        let count: u64 = distribution.iter().map(|d| d.count).sum();
        let points: u64 = distribution
            .iter()
            .map(|d| u64::from(d.score) * d.count)
            .sum();
        let average = (count > 0).then(|| ((points * 100 + count / 2) / count) as f64 / 100.0);
        Self {
            period,
            count,
            average,
            distribution,
        }
    }

    /// `score,count` for 1 to 5.
    pub fn to_csv(&self) -> String {
        let mut csv = Csv::new(&["score", "count"]);
        for entry in &self.distribution {
            csv.row(&[entry.score.to_string(), entry.count.to_string()]);
        }
        csv.finish()
    }
}

/// `GET /api/reports/reopens`: resolutions and reopens in the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReopenReport {
    pub period: Period,
    /// Resolutions in the period (a ticket resolved twice counts twice).
    pub resolved: u64,
    /// Reopens in the period.
    pub reopened: u64,
    /// `reopened / resolved` in percent, one decimal; `null` without resolutions.
    pub rate: Option<f64>,
}

impl ReopenReport {
    pub fn new(period: Period, resolved: u64, reopened: u64) -> Self {
        let rate = (resolved > 0).then(|| {
            let tenths = (reopened * 1000 + resolved / 2) / resolved;
            tenths as f64 / 10.0
        });
        Self {
            period,
            resolved,
            reopened,
            rate,
        }
    }

    pub fn to_csv(&self) -> String {
        let mut csv = Csv::new(&["from", "to", "resolved", "reopened", "rate_percent"]);
        csv.row(&[
            self.period.from.to_string(),
            self.period.to.to_string(),
            self.resolved.to_string(),
            self.reopened.to_string(),
            percent_cell(self.rate),
        ]);
        csv.finish()
    }
}

/// One backlog age bucket: tickets registered at least `min_days` and less than `max_days`
/// calendar days ago.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgeBucket {
    pub key: &'static str,
    pub label: &'static str,
    pub min_days: u32,
    pub max_days: Option<u32>,
}

/// The backlog age buckets: under 1 day, 1–3, 3–7, 7–30 and over 30 days.
pub const AGE_BUCKETS: [AgeBucket; 5] = [
    AgeBucket {
        key: "lt_1d",
        label: "< 1 day",
        min_days: 0,
        max_days: Some(1),
    },
    AgeBucket {
        key: "1_3d",
        label: "1–3 days",
        min_days: 1,
        max_days: Some(3),
    },
    AgeBucket {
        key: "3_7d",
        label: "3–7 days",
        min_days: 3,
        max_days: Some(7),
    },
    AgeBucket {
        key: "7_30d",
        label: "7–30 days",
        min_days: 7,
        max_days: Some(30),
    },
    AgeBucket {
        key: "gt_30d",
        label: "> 30 days",
        min_days: 30,
        max_days: None,
    },
];

/// The registration instants that separate the buckets at `now`, youngest first: a ticket
/// registered after `edges[0]` is under a day old, one registered at or before `edges[3]` is
/// over 30 days old.
///
/// # Examples
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// let now = Utc.with_ymd_and_hms(2026, 3, 31, 12, 0, 0).unwrap();
/// let edges = shared::report::age_edges(now);
/// assert_eq!(edges[0], now - Duration::days(1));
/// assert_eq!(edges[3], now - Duration::days(30));
/// ```
pub fn age_edges(now: DateTime<Utc>) -> [DateTime<Utc>; 4] {
    [1, 3, 7, 30].map(|days| now - Duration::days(days))
}

/// The bucket index of a ticket registered at `registered_at`, by [`age_edges`] at `now`.
pub fn age_bucket(registered_at: DateTime<Utc>, now: DateTime<Utc>) -> usize {
    age_edges(now)
        .iter()
        .position(|&edge| registered_at > edge)
        .unwrap_or(AGE_BUCKETS.len() - 1)
}

/// One bucket with its count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BacklogBucket {
    /// `lt_1d`, `1_3d`, `3_7d`, `7_30d` or `gt_30d`.
    pub key: String,
    pub label: String,
    pub min_days: u32,
    /// `null` for the last bucket.
    pub max_days: Option<u32>,
    pub count: u64,
}

/// `GET /api/reports/backlog`: open tickets by age at `at`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BacklogReport {
    pub at: DateTime<Utc>,
    pub total: u64,
    pub buckets: Vec<BacklogBucket>,
}

impl BacklogReport {
    /// The report from the count of each bucket in [`AGE_BUCKETS`] order.
    pub fn new(at: DateTime<Utc>, counts: [u64; 5]) -> Self {
        Self {
            at,
            total: counts.iter().sum(),
            buckets: AGE_BUCKETS
                .iter()
                .zip(counts)
                .map(|(bucket, count)| BacklogBucket {
                    key: bucket.key.to_owned(),
                    label: bucket.label.to_owned(),
                    min_days: bucket.min_days,
                    max_days: bucket.max_days,
                    count,
                })
                .collect(),
        }
    }

    pub fn to_csv(&self) -> String {
        let mut csv = Csv::new(&["bucket", "min_days", "max_days", "count"]);
        for entry in &self.buckets {
            csv.row(&[
                entry.label.clone(),
                entry.min_days.to_string(),
                entry.max_days.map(|d| d.to_string()).unwrap_or_default(),
                entry.count.to_string(),
            ]);
        }
        csv.finish()
    }
}

/// RFC 4180 CSV with CRLF line ends.
struct Csv(String);

impl Csv {
    fn new(header: &[&str]) -> Self {
        let mut csv = Self(String::new());
        csv.row(&header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>());
        csv
    }

    fn row(&mut self, cells: &[String]) {
        for (index, cell) in cells.iter().enumerate() {
            if index > 0 {
                self.0.push(',');
            }
            let _ = write!(self.0, "{}", csv_cell(cell));
        }
        self.0.push_str("\r\n");
    }

    fn finish(self) -> String {
        self.0
    }
}

/// One CSV cell: quoted when it holds a comma, quote or line break; text a spreadsheet would
/// run as a formula (`=`, `+`, `-`, `@` first, unless it is a number) gets a leading `'`.
///
/// # Examples
///
/// ```
/// assert_eq!(shared::report::csv_cell("a,b"), "\"a,b\"");
/// assert_eq!(shared::report::csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
/// assert_eq!(shared::report::csv_cell("-1.5"), "-1.5");
/// ```
pub fn csv_cell(text: &str) -> String {
    let formula =
        text.starts_with(['=', '+', '-', '@', '\t', '\r']) && text.parse::<f64>().is_err();
    let text = if formula {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn percentages_round_half_up_to_one_decimal() {
        for (met, breached, expected) in [
            (0, 0, None),
            (1, 0, Some(100.0)),
            (0, 3, Some(0.0)),
            (2, 1, Some(66.7)),
            (1, 2, Some(33.3)),
            (1, 7, Some(12.5)),
            (999, 1, Some(99.9)),
            (1999, 1, Some(100.0)),
        ] {
            assert_eq!(percent(met, breached), expected, "{met}/{breached}");
        }
    }

    #[test]
    fn periods_parse_with_defaults_and_limits() {
        let today = day("2026-12-01");
        type Case<'a> = (
            Option<&'a str>,
            Option<&'a str>,
            Result<(&'a str, &'a str), &'a str>,
        );
        let cases: [Case<'_>; 7] = [
            (None, None, Ok(("2026-11-02", "2026-12-01"))),
            (
                Some("2026-01-01"),
                Some("2026-01-31"),
                Ok(("2026-01-01", "2026-01-31")),
            ),
            (
                Some("2026-01-05"),
                Some("2026-01-05"),
                Ok(("2026-01-05", "2026-01-05")),
            ),
            (Some("2026-02-30"), None, Err("from")),
            (None, Some("tomorrow"), Err("to")),
            (Some("2026-02-01"), Some("2026-01-01"), Err("to")),
            (Some("2000-01-01"), None, Err("to")),
        ];
        for (from, to, expected) in cases {
            let got = Period::parse(from, to, today);
            match expected {
                Ok((f, t)) => assert_eq!(
                    got,
                    Ok(Period {
                        from: day(f),
                        to: day(t)
                    }),
                    "{from:?} {to:?}"
                ),
                Err(field) => assert_eq!(got.map_err(|e| e.field), Err(field.to_owned())),
            }
        }
        let period = Period::parse(Some("2026-01-01"), Some("2026-01-31"), today).expect("valid");
        assert_eq!(
            period.start(),
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
        );
        assert_eq!(
            period.end(),
            Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap()
        );
    }

    #[test]
    fn group_by_and_format_name_their_field() {
        assert_eq!("agent".parse::<GroupBy>(), Ok(GroupBy::Agent));
        assert_eq!(
            "team".parse::<GroupBy>().map_err(|e| e.field),
            Err("group_by".to_owned())
        );
        assert_eq!(Format::parse(Some("csv")), Ok(Format::Csv));
        assert_eq!(Format::parse(None), Ok(Format::Json));
        assert_eq!(
            Format::parse(Some("xlsx")).map_err(|e| e.field),
            Err("format".to_owned())
        );
    }

    #[test]
    fn age_buckets_split_at_their_edges() {
        let now = Utc.with_ymd_and_hms(2026, 3, 31, 12, 0, 0).unwrap();
        for (age_hours, bucket) in [
            (0, 0),
            (23, 0),
            (24, 1),
            (71, 1),
            (72, 2),
            (7 * 24 - 1, 2),
            (7 * 24, 3),
            (30 * 24 - 1, 3),
            (30 * 24, 4),
            (400 * 24, 4),
        ] {
            assert_eq!(
                age_bucket(now - Duration::hours(age_hours), now),
                bucket,
                "{age_hours} h"
            );
            assert!(
                i64::from(AGE_BUCKETS[bucket].min_days) * 24 <= age_hours,
                "{age_hours} h"
            );
        }
    }

    #[test]
    fn csat_averages_the_distribution() {
        let period = Period {
            from: day("2026-01-01"),
            to: day("2026-01-31"),
        };
        let report = CsatReport::new(period, &[(5, 3), (4, 1), (1, 1), (9, 4)]);
        assert_eq!(report.count, 5);
        assert_eq!(report.average, Some(4.0));
        assert_eq!(
            report
                .distribution
                .iter()
                .map(|d| d.count)
                .collect::<Vec<_>>(),
            [1, 0, 0, 1, 3]
        );
        assert_eq!(
            report.to_csv(),
            "score,count\r\n1,1\r\n2,0\r\n3,0\r\n4,1\r\n5,3\r\n"
        );
        let empty = CsatReport::new(period, &[]);
        assert_eq!((empty.count, empty.average), (0, None));
        let thirds = CsatReport::new(period, &[(5, 1), (4, 2)]);
        assert_eq!(thirds.average, Some(4.33));
    }

    #[test]
    fn the_sla_report_totals_its_groups_and_writes_csv() {
        let period = Period {
            from: day("2026-01-01"),
            to: day("2026-01-31"),
        };
        let counts = vec![
            SlaCounts {
                key: Some("2".into()),
                label: "Volga, \"Energy\"".into(),
                tickets: 3,
                first_response_met: 1,
                first_response_breached: 1,
                resolution_met: 0,
                resolution_breached: 0,
            },
            SlaCounts {
                key: Some("1".into()),
                label: "Northwind".into(),
                tickets: 2,
                first_response_met: 2,
                first_response_breached: 0,
                resolution_met: 1,
                resolution_breached: 1,
            },
        ];
        let report = SlaReport::new(period, GroupBy::Organisation, counts, Vec::new());
        assert_eq!(report.groups[0].label, "Northwind");
        assert_eq!(report.total.tickets, 5);
        assert_eq!(report.total.first_response, Compliance::new(3, 1));
        assert_eq!(report.total.first_response.percent, Some(75.0));
        assert_eq!(report.total.resolution.percent, Some(50.0));
        assert_eq!(report.groups[1].resolution.percent, None);
        let csv = report.to_csv();
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "organisation,key,tickets,first_response_met,first_response_breached,\
             first_response_percent,resolution_met,resolution_breached,resolution_percent"
        );
        assert_eq!(lines[1], "Northwind,1,2,2,0,100.0,1,1,50.0");
        assert_eq!(lines[2], "\"Volga, \"\"Energy\"\"\",2,3,1,1,50.0,0,0,");
        assert_eq!(lines[3], "Total,,5,3,1,75.0,1,1,50.0");
        assert_eq!(lines[4], "");
    }

    #[test]
    fn reopen_rate_and_backlog_csv() {
        let period = Period {
            from: day("2026-01-01"),
            to: day("2026-01-31"),
        };
        let reopens = ReopenReport::new(period, 8, 1);
        assert_eq!(reopens.rate, Some(12.5));
        assert_eq!(ReopenReport::new(period, 0, 0).rate, None);
        assert_eq!(
            reopens.to_csv(),
            "from,to,resolved,reopened,rate_percent\r\n2026-01-01,2026-01-31,8,1,12.5\r\n"
        );
        let now = Utc.with_ymd_and_hms(2026, 3, 31, 12, 0, 0).unwrap();
        let backlog = BacklogReport::new(now, [4, 0, 1, 0, 2]);
        assert_eq!(backlog.total, 7);
        assert_eq!(
            backlog.to_csv(),
            "bucket,min_days,max_days,count\r\n< 1 day,0,1,4\r\n1–3 days,1,3,0\r\n\
             3–7 days,3,7,1\r\n7–30 days,7,30,0\r\n> 30 days,30,,2\r\n"
        );
        let json = serde_json::to_value(&backlog).expect("json");
        assert_eq!(json["buckets"][4]["key"], "gt_30d");
        assert_eq!(json["buckets"][4]["max_days"], serde_json::Value::Null);
    }

    proptest! {
        #[test]
        fn csv_cells_never_break_a_row(text in ".{0,40}") {
            let cell = csv_cell(&text);
            // Unquoted cells hold no separator; quoted ones double every inner quote.
            let decoded = if cell.starts_with('"') && cell.len() >= 2 {
                prop_assert!(cell.ends_with('"'));
                let inner = &cell[1..cell.len() - 1];
                prop_assert!(!inner.replace("\"\"", "").contains('"'));
                inner.replace("\"\"", "\"")
            } else {
                prop_assert!(!cell.contains([',', '"', '\n', '\r']));
                cell.clone()
            };
            prop_assert!(!decoded.starts_with(['=', '+', '-', '@']) || decoded.parse::<f64>().is_ok());
        }

        #[test]
        fn percent_stays_within_bounds(met in 0u64..1_000_000, breached in 0u64..1_000_000) {
            if let Some(value) = percent(met, breached) {
                prop_assert!((0.0..=100.0).contains(&value));
            } else {
                prop_assert_eq!(met + breached, 0);
            }
        }
    }
}
