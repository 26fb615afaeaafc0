//! Business calendars: when working time runs, and the deadline arithmetic over it.
//!
//! A [`CalendarSpec`] is the JSON an admin edits; [`Calendar::new`] validates it and prepares, year
//! by year and on first use, every working interval as UTC instants with the cumulative working
//! time before it, indexed by local day. Every question (R1–R5 of the SLA engine) is then a lookup
//! of the day and a search among its few intervals, or a binary search of the cumulative working
//! time for a deadline: no minute or day stepping, no time zone lookups and no allocation on the
//! hot path.
//!
//! This module must not read the clock or do I/O: every instant is a parameter.

mod ru;
mod table;
pub mod text;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use table::{NONE, Year};

/// The first local year a calendar answers for; earlier instants are treated as this year.
pub const MIN_YEAR: i32 = 1971;
/// The last local year a calendar answers for; later deadlines saturate at its end.
pub const MAX_YEAR: i32 = 2200;

const NANOS_PER_SECOND: i64 = 1_000_000_000;
const NANOS_PER_MINUTE: i64 = 60 * NANOS_PER_SECOND;
const NANOS_PER_DAY: i64 = 86_400 * NANOS_PER_SECOND;

/// An invalid calendar: the field it is about and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct CalendarError {
    /// The JSON path of the offending field, such as `timezone` or `week.mon[0]`.
    pub field: String,
    /// What is wrong, lowercase and without a trailing period.
    pub message: String,
}

impl CalendarError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The working hours of each weekday as `"HH:MM-HH:MM"` intervals; a missing day has no hours.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WeekSpec {
    #[serde(default)]
    pub mon: Vec<String>,
    #[serde(default)]
    pub tue: Vec<String>,
    #[serde(default)]
    pub wed: Vec<String>,
    #[serde(default)]
    pub thu: Vec<String>,
    #[serde(default)]
    pub fri: Vec<String>,
    #[serde(default)]
    pub sat: Vec<String>,
    #[serde(default)]
    pub sun: Vec<String>,
}

/// The hours of each weekday, Monday first.
impl From<[Vec<String>; 7]> for WeekSpec {
    fn from([mon, tue, wed, thu, fri, sat, sun]: [Vec<String>; 7]) -> Self {
        Self {
            mon,
            tue,
            wed,
            thu,
            fri,
            sat,
            sun,
        }
    }
}

impl WeekSpec {
    /// The same hours on Monday to Friday and none at the weekend.
    pub fn weekdays(intervals: &[&str]) -> Self {
        let day: Vec<String> = intervals.iter().map(|s| (*s).to_owned()).collect();
        Self {
            mon: day.clone(),
            tue: day.clone(),
            wed: day.clone(),
            thu: day.clone(),
            fri: day,
            sat: Vec::new(),
            sun: Vec::new(),
        }
    }

    fn days(&self) -> [(&'static str, &Vec<String>); 7] {
        [
            ("mon", &self.mon),
            ("tue", &self.tue),
            ("wed", &self.wed),
            ("thu", &self.thu),
            ("fri", &self.fri),
            ("sat", &self.sat),
            ("sun", &self.sun),
        ]
    }
}

/// Which dates are holidays: the bundled Russian production calendar or an explicit list.
///
/// JSON: the string `"ru"` or an array of `"YYYY-MM-DD"`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "HolidaysJson")]
pub enum Holidays {
    /// The Russian production calendar 2024–2027, fixed federal holidays in other years.
    Ru,
    /// Exactly these dates.
    Dates(Vec<NaiveDate>),
}

/// `"ru"` or a list of dates, as the JSON has it.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Holidays {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{
            ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type,
        };
        let name = ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(["ru"]))
            .description(Some("the Russian production calendar"));
        let dates = ArrayBuilder::new().items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
        );
        OneOfBuilder::new().item(name).item(dates).into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Holidays {}

impl Default for Holidays {
    fn default() -> Self {
        Self::Dates(Vec::new())
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum HolidaysJson {
    Name(String),
    Dates(Vec<NaiveDate>),
}

/// Reads `"ru"` or a list of dates by what the JSON holds, without buffering it first as an
/// untagged enum would (machinery the browser bundle would carry for this one type).
impl<'de> Deserialize<'de> for Holidays {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HolidaysVisitor;

        impl<'de> serde::de::Visitor<'de> for HolidaysVisitor {
            type Value = Holidays;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"ru\" or a list of dates")
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Holidays, E> {
                if name == "ru" {
                    Ok(Holidays::Ru)
                } else {
                    Err(E::custom(format!(
                        "unknown holiday set `{name}`, expected \"ru\" or a list of dates"
                    )))
                }
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Holidays, A::Error> {
                let mut dates = Vec::new();
                while let Some(date) = seq.next_element::<NaiveDate>()? {
                    dates.push(date);
                }
                Ok(Holidays::Dates(dates))
            }
        }

        deserializer.deserialize_any(HolidaysVisitor)
    }
}

impl From<Holidays> for HolidaysJson {
    fn from(value: Holidays) -> Self {
        match value {
            Holidays::Ru => Self::Name("ru".to_owned()),
            Holidays::Dates(dates) => Self::Dates(dates),
        }
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// A business calendar as admins edit it and the API carries it.
///
/// ```json
/// { "timezone": "Europe/Moscow",
///   "week": { "mon": ["10:00-19:00"], "tue": ["10:00-19:00"], "wed": ["10:00-19:00"],
///             "thu": ["10:00-19:00"], "fri": ["10:00-19:00"], "sat": [], "sun": [] },
///   "holidays": "ru", "extra_working_days": [], "overrides": {"2025-12-30": ["10:00-15:00"]},
///   "shorten_pre_holiday": true, "always_open": false }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// An IANA zone of the supported list (`UTC`, `Europe/…`, `Asia/…`); required unless 24x7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// The weekly working hours; required unless 24x7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub week: Option<WeekSpec>,
    #[serde(default)]
    pub holidays: Holidays,
    /// Dates worked although the week or the holidays say otherwise (transferred working days).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_working_days: Vec<NaiveDate>,
    /// Dates with their own hours, winning over everything else; `[]` closes the date.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub overrides: BTreeMap<NaiveDate, Vec<String>>,
    /// Whether the last interval of a shortened pre-holiday day ends one hour earlier.
    #[serde(default, skip_serializing_if = "is_false")]
    pub shorten_pre_holiday: bool,
    /// 24x7: every instant is working time and the other fields are ignored, except `timezone`:
    /// when given, day-based targets (same-or-next day, working days) end at that zone's
    /// midnight rather than UTC's.
    #[serde(default)]
    pub always_open: bool,
}

impl CalendarSpec {
    /// The 24x7 calendar.
    pub fn always_open() -> Self {
        Self {
            always_open: true,
            ..Self::default()
        }
    }

    /// Parses the JSON form, reporting a malformed document as a [`CalendarError`].
    ///
    /// # Errors
    ///
    /// A [`CalendarError`] naming the field when the JSON is malformed, has an unknown field or
    /// weekday, or a date that does not parse. The values are validated by [`Calendar::new`].
    ///
    /// # Examples
    ///
    /// ```
    /// use shared::calendar::CalendarSpec;
    ///
    /// let error = CalendarSpec::from_json(r#"{"timezone": "UTC", "week": {"mo": []}}"#).unwrap_err();
    /// assert_eq!(error.field, "mo");
    /// ```
    pub fn from_json(json: &str) -> Result<Self, CalendarError> {
        serde_json::from_str(json).map_err(|error| {
            let (field, message) = json_error_field(&error, "calendar");
            CalendarError::new(field, message)
        })
    }
}

/// Splits a serde error into the field it names (from "unknown field `x`" and the like) and a
/// lowercase message without the position suffix.
pub(crate) fn json_error_field(error: &serde_json::Error, fallback: &str) -> (String, String) {
    let text = error.to_string();
    let message = match text.find(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    };
    let field = message
        .split('`')
        .nth(1)
        .filter(|_| message.starts_with("unknown field") || message.starts_with("missing field"))
        .unwrap_or(fallback)
        .to_owned();
    (field, message)
}

/// One working interval of a day in local minutes since midnight, `close` up to 1440 (24:00).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) open: u16,
    pub(crate) close: u16,
}

fn parse_clock(text: &str, allow_24: bool) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    if m >= 60 || h > 24 || (h == 24 && (m != 0 || !allow_24)) {
        return None;
    }
    Some(h * 60 + m)
}

fn parse_day(field: &str, intervals: &[String]) -> Result<Vec<Span>, CalendarError> {
    let mut spans = Vec::with_capacity(intervals.len());
    for (index, text) in intervals.iter().enumerate() {
        let at = format!("{field}[{index}]");
        let (open, close) = text.split_once('-').ok_or_else(|| {
            CalendarError::new(&at, format!("`{text}` is not an interval like 10:00-19:00"))
        })?;
        let open = parse_clock(open, false).ok_or_else(|| {
            CalendarError::new(&at, format!("`{text}` has an invalid opening time"))
        })?;
        let close = parse_clock(close, true).ok_or_else(|| {
            CalendarError::new(&at, format!("`{text}` has an invalid closing time"))
        })?;
        if close <= open {
            return Err(CalendarError::new(
                at,
                format!("`{text}` closes before it opens"),
            ));
        }
        spans.push(Span { open, close });
    }
    spans.sort_by_key(|span| span.open);
    for pair in spans.windows(2) {
        if pair[1].open < pair[0].close {
            return Err(CalendarError::new(field, "overlapping intervals"));
        }
    }
    Ok(spans)
}

/// The validated rules of a calendar that is not 24x7.
pub(crate) struct Rules {
    pub(crate) tz: Tz,
    /// Monday first.
    pub(crate) week: [Vec<Span>; 7],
    /// The hours a working weekend day works: Monday's, or the first weekday's that has hours.
    pub(crate) weekend_hours: Vec<Span>,
    pub(crate) ru: bool,
    pub(crate) holidays: Vec<NaiveDate>,
    pub(crate) extra_working_days: Vec<NaiveDate>,
    pub(crate) overrides: BTreeMap<NaiveDate, Vec<Span>>,
    pub(crate) shorten_pre_holiday: bool,
}

struct Inner {
    spec: CalendarSpec,
    rules: Option<Rules>,
    years: Box<[OnceLock<Year>]>,
    /// The zone whose midnights end the days of a 24x7 calendar (UTC when `None`).
    open_zone: Option<Tz>,
}

/// A validated business calendar, cheap to clone and safe to share between threads.
///
/// Working intervals are half-open `[open, close)` in the calendar's local wall-clock time. A
/// local time that does not exist (a daylight-saving gap) moves to the end of the gap; an
/// ambiguous one takes its first occurrence.
#[derive(Clone)]
pub struct Calendar {
    inner: Arc<Inner>,
}

impl fmt::Debug for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Calendar")
            .field("spec", &self.inner.spec)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Calendar {
    fn eq(&self, other: &Self) -> bool {
        self.inner.spec == other.inner.spec
    }
}

/// An instant with its place in a calendar's working time: its local year and the working time of
/// that year before it. Code that asks about the same instants again and again (the clocks of a
/// ticket) looks each one up once and subtracts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Position {
    /// The instant, in nanoseconds since the epoch.
    pub(crate) at: i64,
    year: i32,
    cumulative: i64,
}

impl Position {
    /// On the 24x7 calendar the instant is all there is to know.
    fn always_open(at: i64) -> Self {
        Self {
            at,
            year: 0,
            cumulative: 0,
        }
    }

    /// The close of working day `day` of the table of `year`.
    fn day_close(year: i32, table: &Year, day: usize) -> Self {
        Self {
            at: table.day_close[day],
            year,
            cumulative: table.day_close_cumulative[day],
        }
    }
}

pub(crate) fn to_nanos(at: DateTime<Utc>) -> i64 {
    at.timestamp_nanos_opt().unwrap_or(if at.timestamp() < 0 {
        i64::MIN / 2
    } else {
        i64::MAX / 2
    })
}

pub(crate) fn from_nanos(nanos: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(nanos)
}

pub(crate) fn duration_nanos(duration: Duration) -> i64 {
    duration
        .num_nanoseconds()
        .unwrap_or(if duration < Duration::zero() {
            0
        } else {
            i64::MAX / 4
        })
        .max(0)
}

impl Calendar {
    /// Validates a calendar and prepares it for fast queries.
    ///
    /// # Errors
    ///
    /// A [`CalendarError`] naming the field: `timezone` for a missing or unsupported zone (only
    /// the zones listed in `.cargo/config.toml` are compiled in: Russia's, the CIS capitals' and a
    /// few international ones), `week` when missing or without any hours,
    /// `week.mon[0]` and the like for an interval that does not parse, closes before it opens
    /// or overlaps another, `overrides.YYYY-MM-DD[i]` likewise.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use shared::calendar::{Calendar, CalendarSpec};
    ///
    /// let spec = CalendarSpec::from_json(r#"{"timezone": "Europe/Moscow",
    ///     "week": {"mon": ["10:00-19:00"], "tue": ["10:00-19:00"], "wed": ["10:00-19:00"],
    ///              "thu": ["10:00-19:00"], "fri": ["10:00-19:00"]},
    ///     "holidays": "ru"}"#).unwrap();
    /// let calendar = Calendar::new(&spec).unwrap();
    /// // 31 December 2025 is a day off by decree; the New Year holidays last until 11 January.
    /// let start = Utc.with_ymd_and_hms(2025, 12, 30, 15, 0, 0).unwrap(); // 18:00 in Moscow
    /// let due = calendar.add_working(start, chrono::Duration::hours(2));
    /// assert_eq!(due, Utc.with_ymd_and_hms(2026, 1, 12, 8, 0, 0).unwrap()); // 11:00 in Moscow
    ///
    /// let bad = CalendarSpec { timezone: Some("America/New_York".into()), ..spec };
    /// assert_eq!(Calendar::new(&bad).unwrap_err().field, "timezone");
    /// ```
    pub fn new(spec: &CalendarSpec) -> Result<Self, CalendarError> {
        let (rules, open_zone) = if spec.always_open {
            (None, spec.timezone.as_deref().map(parse_zone).transpose()?)
        } else {
            (Some(Self::rules(spec)?), None)
        };
        let years = (MIN_YEAR..=MAX_YEAR).map(|_| OnceLock::new()).collect();
        Ok(Self {
            inner: Arc::new(Inner {
                spec: spec.clone(),
                rules,
                years,
                open_zone,
            }),
        })
    }

    fn rules(spec: &CalendarSpec) -> Result<Rules, CalendarError> {
        let zone = spec.timezone.as_deref().ok_or_else(|| {
            CalendarError::new("timezone", "a time zone is required unless always_open")
        })?;
        let tz = parse_zone(zone)?;
        let week_spec = spec.week.as_ref().ok_or_else(|| {
            CalendarError::new("week", "weekly hours are required unless always_open")
        })?;
        let mut week: [Vec<Span>; 7] = Default::default();
        for (index, (name, intervals)) in week_spec.days().into_iter().enumerate() {
            week[index] = parse_day(&format!("week.{name}"), intervals)?;
        }
        let weekend_hours = week[..5]
            .iter()
            .find(|day| !day.is_empty())
            .cloned()
            .unwrap_or_default();
        if week.iter().all(Vec::is_empty) {
            return Err(CalendarError::new("week", "the week has no working hours"));
        }
        let mut overrides = BTreeMap::new();
        for (date, intervals) in &spec.overrides {
            overrides.insert(*date, parse_day(&format!("overrides.{date}"), intervals)?);
        }
        let (ru, mut holidays) = match &spec.holidays {
            Holidays::Ru => (true, Vec::new()),
            Holidays::Dates(dates) => (false, dates.clone()),
        };
        holidays.sort_unstable();
        let mut extra_working_days = spec.extra_working_days.clone();
        extra_working_days.sort_unstable();
        Ok(Rules {
            tz,
            week,
            weekend_hours,
            ru,
            holidays,
            extra_working_days,
            overrides,
            shorten_pre_holiday: spec.shorten_pre_holiday,
        })
    }

    /// The 24x7 calendar: every instant is working time.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use shared::calendar::Calendar;
    ///
    /// let start = Utc.with_ymd_and_hms(2025, 12, 31, 23, 0, 0).unwrap();
    /// assert_eq!(Calendar::always_open().add_working(start, Duration::hours(3)), start + Duration::hours(3));
    /// ```
    pub fn always_open() -> Self {
        Self {
            inner: Arc::new(Inner {
                spec: CalendarSpec::always_open(),
                rules: None,
                years: Box::new([]),
                open_zone: None,
            }),
        }
    }

    /// The specification this calendar was built from.
    pub fn spec(&self) -> &CalendarSpec {
        &self.inner.spec
    }

    /// Whether this is the 24x7 calendar.
    pub fn is_always_open(&self) -> bool {
        self.inner.rules.is_none()
    }

    /// The calendar's time zone (for 24x7: the zone it names, else `UTC`).
    pub fn timezone(&self) -> Tz {
        self.inner
            .rules
            .as_ref()
            .map(|rules| rules.tz)
            .or(self.inner.open_zone)
            .unwrap_or(Tz::UTC)
    }

    /// On a 24x7 calendar: the time of day of `at` in the calendar's zone, in nanoseconds.
    fn open_time_of_day(&self, at: i64) -> i64 {
        match self.inner.open_zone {
            None => at.rem_euclid(NANOS_PER_DAY),
            Some(tz) => {
                let local = from_nanos(at).with_timezone(&tz).time();
                i64::from(local.num_seconds_from_midnight()) * NANOS_PER_SECOND
                    + i64::from(local.nanosecond().min(999_999_999))
            }
        }
    }

    /// On a 24x7 calendar: the midnight that starts the local day `days` days after the local
    /// date of `at`, in the calendar's zone (UTC without one).
    fn open_midnight(&self, at: i64, days: u32) -> i64 {
        let Some(tz) = self.inner.open_zone else {
            let midnight = at.div_euclid(NANOS_PER_DAY) * NANOS_PER_DAY;
            return midnight.saturating_add(i64::from(days) * NANOS_PER_DAY);
        };
        let date = from_nanos(at).with_timezone(&tz).date_naive();
        date.checked_add_days(chrono::Days::new(u64::from(days)))
            .map_or(i64::MAX / 2, |date| local_midnight(tz, date))
    }

    fn year(&self, year: i32) -> &Year {
        let rules = self
            .inner
            .rules
            .as_ref()
            .expect("year tables exist only for calendars with rules");
        let year = year.clamp(MIN_YEAR, MAX_YEAR);
        self.inner.years[(year - MIN_YEAR) as usize].get_or_init(|| Year::build(rules, year))
    }

    /// The local year whose table holds `t`, and the table.
    #[inline]
    fn locate(&self, t: i64) -> (i32, &Year) {
        // The common case: the guessed year's table is built and holds `t`.
        let year = Self::guess_year(t);
        if let Some(table) = self
            .inner
            .years
            .get((year - MIN_YEAR) as usize)
            .and_then(OnceLock::get)
            && table.start <= t
            && t < table.end
        {
            return (year, table);
        }
        self.locate_from(year, t)
    }

    /// The year of `t` by an average Gregorian year: off by at most one near New Year.
    fn guess_year(t: i64) -> i32 {
        const AVERAGE_YEAR: i64 = 31_556_952 * NANOS_PER_SECOND;
        (1970 + t.div_euclid(AVERAGE_YEAR)).clamp(i64::from(MIN_YEAR), i64::from(MAX_YEAR)) as i32
    }

    /// [`locate`](Self::locate) from a guess, building tables as needed.
    #[cold]
    fn locate_from(&self, mut year: i32, t: i64) -> (i32, &Year) {
        loop {
            let table = self.year(year);
            if t < table.start && year > MIN_YEAR {
                year -= 1;
            } else if t >= table.end && year < MAX_YEAR {
                year += 1;
            } else {
                return (year, table);
            }
        }
    }

    /// Whether `at` is inside a working interval.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use shared::calendar::{seed_calendar, Calendar};
    ///
    /// let moscow = Calendar::new(&seed_calendar("moscow_10_19").unwrap()).unwrap();
    /// assert!(moscow.is_working(Utc.with_ymd_and_hms(2025, 11, 1, 7, 0, 0).unwrap())); // a working Saturday
    /// assert!(!moscow.is_working(Utc.with_ymd_and_hms(2025, 11, 3, 7, 0, 0).unwrap())); // its Monday off
    /// ```
    pub fn is_working(&self, at: DateTime<Utc>) -> bool {
        if self.is_always_open() {
            return true;
        }
        let t = to_nanos(at);
        let (_, table) = self.locate(t);
        table.is_working(t)
    }

    /// Whether exact holiday data exists for the local year of `at`.
    ///
    /// With `"holidays": "ru"` this is true for 2024–2027, the bundled production calendar; other
    /// years fall back to the fixed federal holidays without transfers, and the UI should ask an
    /// admin to load the next decree. An explicit holiday list and 24x7 cover every year.
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        match &self.inner.rules {
            None => true,
            Some(rules) if !rules.ru => true,
            Some(_) => self.locate(to_nanos(at)).1.covered,
        }
    }

    /// R1: the instant at which `duration` of working time has elapsed after `start`.
    ///
    /// The clock starts at the first working instant at or after `start`; a zero duration gives
    /// that instant; a deadline that fills an interval exactly is that interval's closing instant,
    /// never the next opening. Negative durations count as zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use shared::calendar::{seed_calendar, Calendar};
    ///
    /// let moscow = Calendar::new(&seed_calendar("moscow_10_19").unwrap()).unwrap();
    /// let friday_evening = Utc.with_ymd_and_hms(2025, 10, 31, 15, 0, 0).unwrap(); // 18:00
    /// // One hour on Friday, then the working Saturday 1 November from 10:00.
    /// assert_eq!(
    ///     moscow.add_working(friday_evening, Duration::hours(3)),
    ///     Utc.with_ymd_and_hms(2025, 11, 1, 9, 0, 0).unwrap(),
    /// );
    /// ```
    pub fn add_working(&self, start: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
        from_nanos(self.add_working_nanos(to_nanos(start), duration_nanos(duration)))
    }

    pub(crate) fn add_working_nanos(&self, start: i64, amount: i64) -> i64 {
        if self.is_always_open() {
            return start.saturating_add(amount);
        }
        let (mut year, mut table) = self.locate(start);
        let mut index = table.first_close_after(start);
        while index == table.len() {
            if year >= MAX_YEAR {
                return table.end;
            }
            year += 1;
            table = self.year(year);
            index = 0;
        }
        let s0 = start.max(table.open[index]);
        if amount == 0 {
            return s0;
        }
        let mut target = table.cum[index] + (s0 - table.open[index]) + amount;
        loop {
            if target <= table.total() {
                return table.at_cumulative(target);
            }
            if year >= MAX_YEAR {
                return table.end;
            }
            target -= table.total();
            year += 1;
            table = self.year(year);
        }
    }

    /// The first working instant at or after `at`.
    pub fn next_working(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        self.add_working(at, Duration::zero())
    }

    /// R2: the working time inside `[from, to)`; zero if `to <= from`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use shared::calendar::{seed_calendar, Calendar};
    ///
    /// let moscow = Calendar::new(&seed_calendar("moscow_10_19").unwrap()).unwrap();
    /// let from = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    /// let to = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    /// assert_eq!(moscow.working_between(from, to), Duration::hours(247 * 9));
    /// ```
    pub fn working_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        Duration::nanoseconds(self.working_between_nanos(to_nanos(from), to_nanos(to)))
    }

    pub(crate) fn working_between_nanos(&self, from: i64, to: i64) -> i64 {
        if to <= from {
            return 0;
        }
        self.working_between_positions(self.position(from), self.position(to))
    }

    /// Where `at` stands in this calendar's working time, for
    /// [`working_between_positions`](Self::working_between_positions).
    pub(crate) fn position(&self, at: i64) -> Position {
        if self.is_always_open() {
            return Position::always_open(at);
        }
        let (year, table) = self.locate(at);
        Position {
            at,
            year,
            cumulative: table.cumulative_at(at),
        }
    }

    /// R2 between two positions of this calendar: what
    /// [`working_between_nanos`](Self::working_between_nanos) answers for their instants, without
    /// looking them up again.
    pub(crate) fn working_between_positions(&self, from: Position, to: Position) -> i64 {
        if to.at <= from.at {
            return 0;
        }
        if self.is_always_open() {
            return to.at - from.at;
        }
        if from.year == to.year {
            return to.cumulative - from.cumulative;
        }
        let mut total = self.year(from.year).total() - from.cumulative;
        for year in from.year + 1..to.year {
            total += self.year(year).total();
        }
        total + to.cumulative
    }

    /// R3: the end of the registration day if it is a working day and the local time is before
    /// the cut-off, otherwise the end of the next working day.
    ///
    /// "The end of a day" is the close of its last working interval. On the 24x7 calendar it is
    /// the local midnight in the calendar's `timezone` (UTC without one): the registration day's
    /// if before the cut-off there, else the next day's.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{NaiveTime, TimeZone, Utc};
    /// use shared::calendar::{seed_calendar, Calendar};
    ///
    /// let moscow = Calendar::new(&seed_calendar("moscow_10_19").unwrap()).unwrap();
    /// let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap();
    /// let morning = Utc.with_ymd_and_hms(2025, 12, 1, 8, 0, 0).unwrap(); // 11:00, Monday
    /// assert_eq!(moscow.same_or_next_working_day(morning, noon), Utc.with_ymd_and_hms(2025, 12, 1, 16, 0, 0).unwrap());
    /// let afternoon = Utc.with_ymd_and_hms(2025, 12, 1, 9, 0, 0).unwrap(); // 12:00: next day
    /// assert_eq!(moscow.same_or_next_working_day(afternoon, noon), Utc.with_ymd_and_hms(2025, 12, 2, 16, 0, 0).unwrap());
    /// ```
    pub fn same_or_next_working_day(
        &self,
        registered: DateTime<Utc>,
        cutoff: NaiveTime,
    ) -> DateTime<Utc> {
        from_nanos(self.same_or_next_working_day_nanos(to_nanos(registered), cutoff))
    }

    pub(crate) fn same_or_next_working_day_nanos(&self, registered: i64, cutoff: NaiveTime) -> i64 {
        self.same_or_next_working_day_position(registered, cutoff)
            .at
    }

    /// R3 as a position, read from the tables without a second lookup.
    pub(crate) fn same_or_next_working_day_position(
        &self,
        registered: i64,
        cutoff: NaiveTime,
    ) -> Position {
        let cutoff_nanos = i64::from(cutoff.num_seconds_from_midnight()) * NANOS_PER_SECOND
            + i64::from(cutoff.nanosecond().min(999_999_999));
        if self.is_always_open() {
            let days = if self.open_time_of_day(registered) < cutoff_nanos {
                1
            } else {
                2
            };
            return Position::always_open(self.open_midnight(registered, days));
        }
        let (year, table) = self.locate(registered);
        let day = table.day_of(registered);
        if table.day_close[day] != NONE {
            let local = match table.local_nanos_of_day(day, registered) {
                Some(local) => local,
                None => {
                    let rules = self
                        .inner
                        .rules
                        .as_ref()
                        .expect("a calendar with tables has rules");
                    let local = from_nanos(registered).with_timezone(&rules.tz).time();
                    i64::from(local.num_seconds_from_midnight()) * NANOS_PER_SECOND
                        + i64::from(local.nanosecond())
                }
            };
            if local < cutoff_nanos {
                return Position::day_close(year, table, day);
            }
        }
        self.working_day_close(year, table, day, 1)
    }

    /// The close of the working day that is `offset` working days after day `day` of `table`
    /// (which need not be a working day itself when `offset >= 1`).
    fn working_day_close<'a>(
        &'a self,
        mut year: i32,
        mut table: &'a Year,
        day: usize,
        offset: u32,
    ) -> Position {
        // The position of the first working day after `day` (or `day` itself when offset is 0).
        let mut position = table.working_days_before(day, offset > 0);
        let mut remaining = offset.saturating_sub(1) as usize;
        loop {
            if position + remaining < table.work_days.len() {
                let d = usize::from(table.work_days[position + remaining]);
                return Position::day_close(year, table, d);
            }
            if year >= MAX_YEAR {
                return Position {
                    at: table.end,
                    year,
                    cumulative: table.total(),
                };
            }
            remaining -= table.work_days.len() - position;
            position = 0;
            year += 1;
            table = self.year(year);
        }
    }

    /// R4: the end of the working day that is `days` working days after the anchor day.
    ///
    /// The anchor is the local date of the first working instant at or after `start` (so a start
    /// after closing anchors on the next working day); `days = 0` gives the end of the anchor
    /// day. On the 24x7 calendar: the end of the local day (in its `timezone`, else UTC) `days` days
    /// after `start`'s.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use shared::calendar::{seed_calendar, Calendar};
    ///
    /// let moscow = Calendar::new(&seed_calendar("moscow_10_19").unwrap()).unwrap();
    /// let start = Utc.with_ymd_and_hms(2025, 12, 30, 12, 0, 0).unwrap(); // Tuesday 15:00
    /// // The next working day after 30 December 2025 is Monday 12 January 2026.
    /// assert_eq!(moscow.add_working_days(start, 1), Utc.with_ymd_and_hms(2026, 1, 12, 16, 0, 0).unwrap());
    /// ```
    pub fn add_working_days(&self, start: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        from_nanos(self.add_working_days_nanos(to_nanos(start), days))
    }

    pub(crate) fn add_working_days_nanos(&self, start: i64, days: u32) -> i64 {
        self.add_working_days_position(start, days).at
    }

    /// R4 as a position, read from the tables without a second lookup.
    pub(crate) fn add_working_days_position(&self, start: i64, days: u32) -> Position {
        if self.is_always_open() {
            return Position::always_open(self.open_midnight(start, days.saturating_add(1)));
        }
        let s0 = self.add_working_nanos(start, 0);
        let (year, table) = self.locate(s0);
        let day = table.day_of(s0);
        self.working_day_close(year, table, day, days)
    }

    /// R5: as [`working_between`](Self::working_between), minus every instant inside a pause.
    ///
    /// Pauses are half-open `[a, b)`; they may overlap, be empty, be unsorted or lie partly
    /// outside `[from, to)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use shared::calendar::Calendar;
    ///
    /// let always = Calendar::always_open();
    /// let at = |h| Utc.with_ymd_and_hms(2025, 1, 1, h, 0, 0).unwrap();
    /// let pauses = [(at(5), at(8)), (at(2), at(6)), (at(9), at(9))];
    /// assert_eq!(always.working_between_excluding(at(1), at(10), &pauses), Duration::hours(3));
    /// ```
    pub fn working_between_excluding(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        pauses: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> Duration {
        let (from, to) = (to_nanos(from), to_nanos(to));
        if to <= from {
            return Duration::zero();
        }
        let mut clipped: Vec<(i64, i64)> = pauses
            .iter()
            .map(|&(a, b)| (to_nanos(a).max(from), to_nanos(b).min(to)))
            .filter(|&(a, b)| a < b)
            .collect();
        clipped.sort_unstable();
        let mut total = self.working_between_nanos(from, to);
        let mut covered_until = from;
        for (a, b) in clipped {
            let a = a.max(covered_until);
            if a < b {
                total -= self.working_between_nanos(a, b);
                covered_until = b;
            }
        }
        Duration::nanoseconds(total)
    }

    /// The working intervals of a local date, as UTC instants (for previews and tests).
    pub fn working_intervals_on(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        use chrono::Datelike;
        if self.is_always_open() {
            let Some(tz) = self.inner.open_zone else {
                let start = date
                    .and_hms_opt(0, 0, 0)
                    .expect("midnight exists")
                    .and_utc();
                return vec![(start, start + Duration::days(1))];
            };
            let next = date.succ_opt().unwrap_or(date);
            return vec![(
                from_nanos(local_midnight(tz, date)),
                from_nanos(local_midnight(tz, next)),
            )];
        }
        let table = self.year(date.year());
        let day = date.ordinal0() as usize;
        if day + 1 >= table.day_start.len() {
            return Vec::new();
        }
        let (from, to) = (table.day_start[day], table.day_start[day + 1]);
        let first = table.first_close_after(from);
        let mut out = Vec::new();
        for index in first..table.len() {
            if table.open[index] >= to {
                break;
            }
            out.push((
                from_nanos(table.open[index].max(from)),
                from_nanos(table.close[index].min(to)),
            ));
        }
        out
    }

    /// Whether a local date is a working day (has working hours).
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        use chrono::Datelike;
        if self.is_always_open() {
            return true;
        }
        let table = self.year(date.year());
        table
            .day_close
            .get(date.ordinal0() as usize)
            .is_some_and(|&close| close != NONE)
    }
}

/// A supported zone by name, or the `timezone` error.
fn parse_zone(zone: &str) -> Result<Tz, CalendarError> {
    Tz::from_str(zone).map_err(|_| {
        CalendarError::new(
            "timezone",
            format!("`{zone}` is not a supported time zone (UTC, Europe/… or Asia/…)"),
        )
    })
}

/// The first instant of local date `date` in `tz` (after a gap when midnight does not exist).
fn local_midnight(tz: Tz, date: NaiveDate) -> i64 {
    use chrono::TimeZone;
    let midnight = date.and_time(NaiveTime::MIN);
    (0..=3)
        .find_map(|hours| {
            tz.from_local_datetime(&(midnight + Duration::hours(hours)))
                .earliest()
        })
        .map_or(i64::MAX / 2, |at| to_nanos(at.with_timezone(&Utc)))
}

/// Weekday index, Monday first.
pub(crate) fn weekday_index(weekday: Weekday) -> usize {
    weekday.num_days_from_monday() as usize
}

/// The reference calendars of the seed regulations, by key: `moscow_10_19` [000],
/// `moscow_8_18` [003], `omsk_11_18` [004] and `24x7` [000, 002].
///
/// # Examples
///
/// ```
/// use shared::calendar::{seed_calendars, Calendar};
///
/// for (key, spec) in seed_calendars() {
///     assert!(Calendar::new(&spec).is_ok(), "{key}");
/// }
/// ```
pub fn seed_calendars() -> Vec<(String, CalendarSpec)> {
    let office = |zone: &str, hours: &str| CalendarSpec {
        timezone: Some(zone.to_owned()),
        week: Some(WeekSpec::weekdays(&[hours])),
        holidays: Holidays::Ru,
        ..CalendarSpec::default()
    };
    vec![
        (
            "moscow_10_19".to_owned(),
            office("Europe/Moscow", "10:00-19:00"),
        ),
        (
            "moscow_8_18".to_owned(),
            office("Europe/Moscow", "08:00-18:00"),
        ),
        ("omsk_11_18".to_owned(), office("Asia/Omsk", "11:00-18:00")),
        ("24x7".to_owned(), CalendarSpec::always_open()),
    ]
}

/// One seed calendar by key.
pub fn seed_calendar(key: &str) -> Option<CalendarSpec> {
    seed_calendars()
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, spec)| spec)
}

pub(crate) const fn minutes_to_nanos(minutes: u16) -> i64 {
    minutes as i64 * NANOS_PER_MINUTE
}

#[cfg(test)]
mod holidays_json {
    use super::*;

    fn parse(json: &str) -> Result<Holidays, String> {
        serde_json::from_str(json).map_err(|error| error.to_string())
    }

    #[test]
    fn holidays_read_back_what_they_write() {
        let dates = Holidays::Dates(vec![
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2025, 5, 9).unwrap(),
        ]);
        for (holidays, json) in [
            (Holidays::Ru, r#""ru""#),
            (dates, r#"["2025-01-01","2025-05-09"]"#),
            (Holidays::Dates(Vec::new()), "[]"),
        ] {
            assert_eq!(serde_json::to_string(&holidays).unwrap(), json);
            assert_eq!(parse(json), Ok(holidays));
        }
    }

    #[test]
    fn other_holidays_are_refused_with_a_reason() {
        assert!(
            parse(r#""by""#)
                .unwrap_err()
                .starts_with("unknown holiday set `by`")
        );
        assert!(
            parse("5")
                .unwrap_err()
                .contains(r#"expected "ru" or a list of dates"#)
        );
        assert!(parse(r#"["2025-13-01"]"#).is_err());
        assert!(parse(r#"[1]"#).is_err());
    }
}
