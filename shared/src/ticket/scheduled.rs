//! Scheduled off-hours work [004]: "the time of unscheduled work must be agreed in advance, no
//! later than 2 working days before the planned work". A request for such work names the window
//! it asks for; its start must lie at least [`NOTICE_WORKING_DAYS`] working days ahead, counted
//! in the calendar of the plan the ticket runs on. The portal's form and the server call the
//! same [`check`], so the form says exactly what the server would refuse.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;

/// How many whole working days of notice scheduled work needs [004].
pub const NOTICE_WORKING_DAYS: u32 = 2;

/// The longest window a request may ask for: one week.
pub const MAX_WINDOW_HOURS: i64 = 7 * 24;

/// The window a request for scheduled work asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScheduledWork {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Why a window is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduledWorkError {
    /// The start is sooner than the notice allows; `earliest` is the first start allowed.
    TooEarly { earliest: DateTime<Utc> },
    /// The end is not after the start.
    EndBeforeStart,
    /// The window is longer than [`MAX_WINDOW_HOURS`].
    TooLong,
}

impl ScheduledWorkError {
    /// The field of `NewTicket` the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::TooEarly { .. } => "scheduled_work.start",
            Self::EndBeforeStart | Self::TooLong => "scheduled_work.end",
        }
    }

    /// The message, with the earliest start in the calendar's zone (`zone`, such as
    /// `Asia/Omsk`).
    pub fn message(&self, calendar: &Calendar) -> String {
        match self {
            Self::TooEarly { earliest } => {
                let zone = calendar.timezone();
                format!(
                    "scheduled work must be agreed at least {NOTICE_WORKING_DAYS} working days ahead: the earliest start is {} ({})",
                    local_text(*earliest, zone),
                    zone.name()
                )
            }
            Self::EndBeforeStart => "the end must be after the start".to_owned(),
            Self::TooLong => format!("a window is at most {MAX_WINDOW_HOURS} hours"),
        }
    }
}

/// `2026-12-09 18:00`: `at` in `zone`, written without chrono's formatting machinery (which
/// the browser bundle does without).
pub fn local_text(at: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    use chrono::{Datelike, Timelike};
    let local = at.with_timezone(&zone);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute()
    )
}

/// The instant of the local time `text` (`2026-12-09T18:00`, as a `datetime-local` input gives
/// it, seconds optional) in `zone`; `None` when it does not parse or does not exist there.
pub fn parse_local(text: &str, zone: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    use chrono::{NaiveDate, TimeZone};
    let (date, time) = text.trim().split_once(['T', ' '])?;
    let mut date_parts = date.splitn(3, '-').map(str::parse::<u32>);
    let (year, month, day) = (
        date_parts.next()?.ok()?,
        date_parts.next()?.ok()?,
        date_parts.next()?.ok()?,
    );
    let mut time_parts = time.splitn(3, ':').map(str::parse::<u32>);
    let (hour, minute) = (time_parts.next()?.ok()?, time_parts.next()?.ok()?);
    let naive = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?
        .and_hms_opt(hour, minute, 0)?;
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// The earliest start scheduled work agreed at `now` may have: the close of the
/// [`NOTICE_WORKING_DAYS`]th working day after `now`'s (rule R4 of the calendar), so that two
/// whole working days lie between the agreement and the work. On a 24x7 calendar: the end of
/// the local day two days after `now`'s.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use shared::calendar::{seed_calendar, Calendar};
/// use shared::ticket::scheduled::earliest_start;
///
/// let omsk = Calendar::new(&seed_calendar("omsk_11_18").unwrap()).unwrap();
/// // Monday 7 December 2026, 12:00 in Omsk: Tuesday and Wednesday are the two working days
/// // of notice, so the work may start when Wednesday's hours end, 18:00 Omsk (12:00 UTC).
/// let now = Utc.with_ymd_and_hms(2026, 12, 7, 6, 0, 0).unwrap();
/// assert_eq!(earliest_start(&omsk, now), Utc.with_ymd_and_hms(2026, 12, 9, 12, 0, 0).unwrap());
/// ```
pub fn earliest_start(calendar: &Calendar, now: DateTime<Utc>) -> DateTime<Utc> {
    calendar.add_working_days(now, NOTICE_WORKING_DAYS)
}

/// Checks the window a request asks for at `now` against `calendar`.
///
/// # Errors
/// [`ScheduledWorkError::TooEarly`] with the earliest start allowed, or an end that is not
/// after the start or too far after it.
///
/// # Examples
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use shared::calendar::Calendar;
/// use shared::ticket::scheduled::{check, ScheduledWork, ScheduledWorkError};
///
/// let always = Calendar::always_open();
/// let now = Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap();
/// let start = Utc.with_ymd_and_hms(2026, 12, 9, 22, 0, 0).unwrap();
/// let window = ScheduledWork { start, end: start + Duration::hours(2) };
/// assert_eq!(
///     check(&window, &always, now),
///     Err(ScheduledWorkError::TooEarly { earliest: Utc.with_ymd_and_hms(2026, 12, 10, 0, 0, 0).unwrap() })
/// );
/// let later = ScheduledWork { start: start + Duration::hours(3), end: start + Duration::hours(5) };
/// assert_eq!(check(&later, &always, now), Ok(()));
/// ```
pub fn check(
    window: &ScheduledWork,
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> Result<(), ScheduledWorkError> {
    let earliest = earliest_start(calendar, now);
    if window.start < earliest {
        return Err(ScheduledWorkError::TooEarly { earliest });
    }
    if window.end <= window.start {
        return Err(ScheduledWorkError::EndBeforeStart);
    }
    if window.end - window.start > chrono::Duration::hours(MAX_WINDOW_HOURS) {
        return Err(ScheduledWorkError::TooLong);
    }
    Ok(())
}
