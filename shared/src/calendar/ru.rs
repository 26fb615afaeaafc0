//! The bundled Russian production calendar ("производственный календарь") for 2024–2027.
//!
//! The federal non-working holidays are those of article 112 of the Labour Code of the Russian
//! Federation: 1–8 January (New Year holidays and Christmas on 7 January), 23 February, 8 March,
//! 1 May, 9 May, 12 June and 4 November. The transfers of days off and the working Saturdays come
//! from the yearly government decrees cited below; the shortened pre-holiday days (article 95: the
//! working day immediately before a non-working holiday is one hour shorter) are listed as the
//! official production calendars publish them, because the decrees do not list them and the rule
//! is not mechanical around working Saturdays (2 November 2024 and 1 November 2025 are shortened,
//! 27 April and 28 December 2024 are not).
//!
//! This module is data only and must not grow logic beyond lookups.

#[cfg(test)]
use chrono::Weekday;
use chrono::{Datelike, NaiveDate};

/// The years for which exact data is bundled.
pub(crate) const FIRST_YEAR: i32 = 2024;
/// The last year for which exact data is bundled.
pub(crate) const LAST_YEAR: i32 = 2027;

/// One year of the production calendar, as (month, day) pairs.
struct Year {
    year: i32,
    /// Weekdays that are not worked because a day off was transferred onto them.
    transferred_days_off: &'static [(u32, u32)],
    /// Saturdays and Sundays that are worked because their day off was transferred away.
    working_weekend_days: &'static [(u32, u32)],
    /// Working days that are one hour shorter because a non-working holiday follows.
    shortened_days: &'static [(u32, u32)],
}

/// The fixed federal non-working holidays (Labour Code, article 112).
const FEDERAL_HOLIDAYS: &[(u32, u32)] = &[
    (1, 1),
    (1, 2),
    (1, 3),
    (1, 4),
    (1, 5),
    (1, 6),
    (1, 7),
    (1, 8),
    (2, 23),
    (3, 8),
    (5, 1),
    (5, 9),
    (6, 12),
    (11, 4),
];

const YEARS: &[Year] = &[
    // 2024: Постановление Правительства РФ от 10.08.2023 № 1314 «О переносе выходных дней в
    // 2024 году»: 6 January → 10 May, 7 January → 31 December, 27 April → 29 April,
    // 2 November → 30 April, 28 December → 30 December.
    Year {
        year: 2024,
        transferred_days_off: &[(4, 29), (4, 30), (5, 10), (12, 30), (12, 31)],
        working_weekend_days: &[(4, 27), (11, 2), (12, 28)],
        shortened_days: &[(2, 22), (3, 7), (5, 8), (6, 11), (11, 2)],
    },
    // 2025: Постановление Правительства РФ от 04.10.2024 № 1335 «О переносе выходных дней в
    // 2025 году»: 4 January → 2 May, 5 January → 31 December, 23 February → 8 May,
    // 8 March → 13 June, 1 November → 3 November.
    Year {
        year: 2025,
        transferred_days_off: &[(5, 2), (5, 8), (6, 13), (11, 3), (12, 31)],
        working_weekend_days: &[(11, 1)],
        shortened_days: &[(3, 7), (4, 30), (6, 11), (11, 1)],
    },
    // 2026: Постановление Правительства РФ от 24.09.2025 № 1466 «О переносе выходных дней в
    // 2026 году»: 3 January → 9 January, 4 January → 31 December; by article 112 of the Labour
    // Code 8 March (Sunday) moves to 9 March and 9 May (Saturday) to 11 May.
    Year {
        year: 2026,
        transferred_days_off: &[(1, 9), (3, 9), (5, 11), (12, 31)],
        working_weekend_days: &[],
        shortened_days: &[(4, 30), (5, 8), (6, 11), (11, 3)],
    },
    // 2027: the government decree «О переносе выходных дней в 2027 году» (autumn 2026):
    // 2 January → 5 November, 3 January → 31 December, 20 February → 22 February; by article
    // 112 of the Labour Code 1 May (Saturday) moves to 3 May, 9 May (Sunday) to 10 May and
    // 12 June (Saturday) to 14 June. The decree's number is not recorded here because it could not
    // be checked against the published text; the dates match the published production calendar.
    Year {
        year: 2027,
        transferred_days_off: &[(2, 22), (5, 3), (5, 10), (6, 14), (11, 5), (12, 31)],
        working_weekend_days: &[(2, 20)],
        shortened_days: &[(2, 20), (4, 30), (6, 11), (11, 3)],
    },
];

/// What the production calendar says about one date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RuDay {
    /// Whether the date is worked (before any override or extra working day of a calendar).
    pub(crate) working: bool,
    /// Whether the date is a shortened pre-holiday day.
    pub(crate) shortened: bool,
}

fn contains(list: &[(u32, u32)], date: NaiveDate) -> bool {
    list.contains(&(date.month(), date.day()))
}

/// Whether the date is one of the fixed federal holidays.
pub(crate) fn is_federal_holiday(date: NaiveDate) -> bool {
    contains(FEDERAL_HOLIDAYS, date)
}

/// Whether exact data is bundled for this year.
pub(crate) fn covers_year(year: i32) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&year)
}

/// Classifies a date; `weekday_has_hours` says whether the calendar's week works this weekday.
///
/// Beyond the bundled years only the fixed federal holidays apply, without transfers.
pub(crate) fn day(date: NaiveDate, weekday_has_hours: bool) -> RuDay {
    let holiday = is_federal_holiday(date);
    match YEARS.iter().find(|year| year.year == date.year()) {
        Some(year) => {
            if contains(year.working_weekend_days, date) {
                return RuDay {
                    working: true,
                    shortened: contains(year.shortened_days, date),
                };
            }
            let off = holiday || contains(year.transferred_days_off, date);
            let working = weekday_has_hours && !off;
            RuDay {
                working,
                shortened: working && contains(year.shortened_days, date),
            }
        }
        None => RuDay {
            working: weekday_has_hours && !holiday,
            shortened: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Counts the working days of a Monday-to-Friday week and the shortened hours, which the
    /// official production calendars publish as the yearly norm for a 40-hour week.
    fn norm(year: i32) -> (u32, u32) {
        let mut days = 0;
        let mut hours = 0;
        let mut d = date(year, 1, 1);
        while d.year() == year {
            let weekday_has_hours = !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            let info = day(d, weekday_has_hours);
            if info.working {
                days += 1;
                hours += if info.shortened { 7 } else { 8 };
            }
            d = d.succ_opt().unwrap();
        }
        (days, hours)
    }

    #[test]
    fn yearly_norms_match_the_official_production_calendars() {
        assert_eq!(norm(2024), (248, 1979));
        assert_eq!(norm(2025), (247, 1972));
        assert_eq!(norm(2026), (247, 1972));
        assert_eq!(norm(2027), (247, 1972));
    }

    #[test]
    fn every_listed_day_is_consistent() {
        for year in YEARS {
            for &(m, d) in year.working_weekend_days {
                let dt = date(year.year, m, d);
                assert!(matches!(dt.weekday(), Weekday::Sat | Weekday::Sun), "{dt}");
            }
            for &(m, d) in year.transferred_days_off {
                let dt = date(year.year, m, d);
                assert!(!matches!(dt.weekday(), Weekday::Sat | Weekday::Sun), "{dt}");
            }
            for &(m, d) in year.shortened_days {
                let dt = date(year.year, m, d);
                assert!(
                    day(dt, dt.weekday().num_days_from_monday() < 5).working,
                    "{dt}"
                );
            }
        }
    }
}
