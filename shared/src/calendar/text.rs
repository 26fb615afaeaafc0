//! The text forms of dates and times on the wire and in forms: `2026-03-31`, `09:30`,
//! `09:30:00` and `2026-03-31T09:30`.
//!
//! Each reader is exactly chrono's `parse_from_str` with the pattern in its name, but runs over a
//! fixed list of chrono items instead of reading the pattern at run time, so the browser bundle
//! carries no strftime reader. This module must not grow other formats than these.

use std::fmt;

use chrono::format::{Item, Numeric, Pad, ParseResult, Parsed, parse};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// `%Y-%m-%d`.
const DATE: &[Item<'static>] = &[
    Item::Numeric(Numeric::Year, Pad::Zero),
    Item::Literal("-"),
    Item::Numeric(Numeric::Month, Pad::Zero),
    Item::Literal("-"),
    Item::Numeric(Numeric::Day, Pad::Zero),
];

/// `%H:%M`.
const HOUR_MINUTE: &[Item<'static>] = &[
    Item::Numeric(Numeric::Hour, Pad::Zero),
    Item::Literal(":"),
    Item::Numeric(Numeric::Minute, Pad::Zero),
];

/// `%H:%M:%S`.
const HOUR_MINUTE_SECOND: &[Item<'static>] = &[
    Item::Numeric(Numeric::Hour, Pad::Zero),
    Item::Literal(":"),
    Item::Numeric(Numeric::Minute, Pad::Zero),
    Item::Literal(":"),
    Item::Numeric(Numeric::Second, Pad::Zero),
];

/// `%Y-%m-%dT%H:%M`.
const DATE_T_HOUR_MINUTE: &[Item<'static>] = &[
    Item::Numeric(Numeric::Year, Pad::Zero),
    Item::Literal("-"),
    Item::Numeric(Numeric::Month, Pad::Zero),
    Item::Literal("-"),
    Item::Numeric(Numeric::Day, Pad::Zero),
    Item::Literal("T"),
    Item::Numeric(Numeric::Hour, Pad::Zero),
    Item::Literal(":"),
    Item::Numeric(Numeric::Minute, Pad::Zero),
];

/// `%Y-%m-%dT%H:%M:%S`.
const DATE_T_HOUR_MINUTE_SECOND: &[Item<'static>] = &[
    Item::Numeric(Numeric::Year, Pad::Zero),
    Item::Literal("-"),
    Item::Numeric(Numeric::Month, Pad::Zero),
    Item::Literal("-"),
    Item::Numeric(Numeric::Day, Pad::Zero),
    Item::Literal("T"),
    Item::Numeric(Numeric::Hour, Pad::Zero),
    Item::Literal(":"),
    Item::Numeric(Numeric::Minute, Pad::Zero),
    Item::Literal(":"),
    Item::Numeric(Numeric::Second, Pad::Zero),
];

fn parsed(text: &str, items: &[Item<'static>]) -> ParseResult<Parsed> {
    let mut parsed = Parsed::new();
    parse(&mut parsed, text, items.iter())?;
    Ok(parsed)
}

/// Reads a date like `2026-03-31` (`%Y-%m-%d`).
///
/// # Errors
///
/// chrono's error when `text` is not such a date.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use shared::calendar::text::parse_date;
///
/// assert_eq!(parse_date("2026-03-31").unwrap(), NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
/// assert!(parse_date("31.03.2026").is_err());
/// ```
pub fn parse_date(text: &str) -> ParseResult<NaiveDate> {
    parsed(text, DATE)?.to_naive_date()
}

/// Reads a time of day like `09:30` (`%H:%M`).
///
/// # Errors
///
/// chrono's error when `text` is not such a time.
///
/// # Examples
///
/// ```
/// use chrono::NaiveTime;
/// use shared::calendar::text::parse_hour_minute;
///
/// assert_eq!(parse_hour_minute("09:30").unwrap(), NaiveTime::from_hms_opt(9, 30, 0).unwrap());
/// assert!(parse_hour_minute("09:30:15").is_err());
/// ```
pub fn parse_hour_minute(text: &str) -> ParseResult<NaiveTime> {
    parsed(text, HOUR_MINUTE)?.to_naive_time()
}

/// Reads a time of day like `09:30` (`%H:%M`) or, failing that, `09:30:15` (`%H:%M:%S`).
///
/// # Errors
///
/// chrono's error for the longer form when `text` is neither.
///
/// # Examples
///
/// ```
/// use chrono::NaiveTime;
/// use shared::calendar::text::parse_time;
///
/// assert_eq!(parse_time("09:30").unwrap(), NaiveTime::from_hms_opt(9, 30, 0).unwrap());
/// assert_eq!(parse_time("09:30:15").unwrap(), NaiveTime::from_hms_opt(9, 30, 15).unwrap());
/// assert!(parse_time("9.30").is_err());
/// ```
pub fn parse_time(text: &str) -> ParseResult<NaiveTime> {
    parse_hour_minute(text).or_else(|_| parsed(text, HOUR_MINUTE_SECOND)?.to_naive_time())
}

/// Reads the value of a `datetime-local` input: `2026-03-31T09:30` (`%Y-%m-%dT%H:%M`) or,
/// failing that, `2026-03-31T09:30:15` (`%Y-%m-%dT%H:%M:%S`).
///
/// # Errors
///
/// chrono's error for the longer form when `text` is neither.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use shared::calendar::text::parse_date_time;
///
/// let at = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap().and_hms_opt(9, 30, 0).unwrap();
/// assert_eq!(parse_date_time("2026-03-31T09:30").unwrap(), at);
/// assert!(parse_date_time("2026-03-31 09:30").is_err());
/// ```
pub fn parse_date_time(text: &str) -> ParseResult<NaiveDateTime> {
    parsed(text, DATE_T_HOUR_MINUTE)
        .and_then(|parsed| parsed.to_naive_datetime_with_offset(0))
        .or_else(|_| parsed(text, DATE_T_HOUR_MINUTE_SECOND)?.to_naive_datetime_with_offset(0))
}

/// `09:30`: what chrono's `format("%H:%M")` writes for `time`.
///
/// # Examples
///
/// ```
/// use chrono::NaiveTime;
/// use shared::calendar::text::HourMinute;
///
/// let time = NaiveTime::from_hms_opt(9, 5, 59).unwrap();
/// assert_eq!(HourMinute(time).to_string(), "09:05");
/// ```
#[derive(Clone, Copy)]
pub struct HourMinute<T>(pub T);

impl<T: Timelike> fmt::Display for HourMinute<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

/// `2026-03-31T09:30`: what chrono's `format("%Y-%m-%dT%H:%M")` writes for `at`, the value of a
/// `datetime-local` input.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use shared::calendar::text::format_date_time;
///
/// let at = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(9, 5, 0).unwrap();
/// assert_eq!(format_date_time(at), "2026-03-01T09:05");
/// ```
pub fn format_date_time(at: NaiveDateTime) -> String {
    use chrono::Datelike;
    let year = at.year();
    // chrono writes years outside 0..=9999 with a sign.
    let year = if (0..10_000).contains(&year) {
        format!("{year:04}")
    } else {
        format!("{year:+05}")
    };
    format!(
        "{year}-{:02}-{:02}T{}",
        at.month(),
        at.day(),
        HourMinute(at)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Texts near the accepted forms: digits, separators, signs and spaces.
    fn near_text() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[-+0-9:T .]{0,22}").expect("a valid pattern")
    }

    fn same<T: PartialEq + fmt::Debug>(ours: ParseResult<T>, chrono: ParseResult<T>) {
        assert_eq!(ours, chrono);
    }

    #[test]
    fn readers_agree_with_parse_from_str_on_examples() {
        for text in [
            "2026-03-31",
            "2026-3-1",
            " 2026-03-31",
            "2026-03-31 ",
            "2026-02-30",
            "+12026-03-31",
            "-0001-01-01",
            "09:30",
            "9:30",
            "24:00",
            "23:59:60",
            "09:30:15",
            "2026-03-31T09:30",
            "2026-03-31T09:30:15",
            "2026-03-31T9:5",
            "",
        ] {
            same(
                parse_date(text),
                NaiveDate::parse_from_str(text, "%Y-%m-%d"),
            );
            same(
                parse_hour_minute(text),
                NaiveTime::parse_from_str(text, "%H:%M"),
            );
            same(
                parse_time(text),
                NaiveTime::parse_from_str(text, "%H:%M")
                    .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S")),
            );
            same(
                parse_date_time(text),
                NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
                    .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")),
            );
        }
    }

    #[test]
    fn writers_agree_with_format_on_examples() {
        for (year, month, day, hour, minute) in [
            (2026, 3, 1, 9, 5),
            (1, 1, 1, 0, 0),
            (-44, 3, 15, 12, 0),
            (12026, 12, 31, 23, 59),
        ] {
            let at = NaiveDate::from_ymd_opt(year, month, day)
                .and_then(|date| date.and_hms_opt(hour, minute, 0))
                .expect("a valid instant");
            assert_eq!(
                format_date_time(at),
                at.format("%Y-%m-%dT%H:%M").to_string()
            );
            assert_eq!(
                HourMinute(at.time()).to_string(),
                at.format("%H:%M").to_string()
            );
        }
    }

    proptest! {
        #[test]
        fn readers_agree_with_parse_from_str(text in near_text()) {
            same(parse_date(&text), NaiveDate::parse_from_str(&text, "%Y-%m-%d"));
            same(parse_hour_minute(&text), NaiveTime::parse_from_str(&text, "%H:%M"));
            same(
                parse_time(&text),
                NaiveTime::parse_from_str(&text, "%H:%M")
                    .or_else(|_| NaiveTime::parse_from_str(&text, "%H:%M:%S")),
            );
            same(
                parse_date_time(&text),
                NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M")
                    .or_else(|_| NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S")),
            );
        }

        #[test]
        fn writers_agree_with_format(seconds in -100_000_000_000i64..300_000_000_000i64) {
            let at = chrono::DateTime::from_timestamp(seconds, 0)
                .expect("in chrono's range")
                .naive_utc();
            prop_assert_eq!(format_date_time(at), at.format("%Y-%m-%dT%H:%M").to_string());
            prop_assert_eq!(HourMinute(at).to_string(), at.format("%H:%M").to_string());
        }
    }
}
