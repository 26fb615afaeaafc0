//! Dates in the viewer's zone, formatted by hand (chrono's strftime machinery would add tens of
//! kilobytes to the bundle for two fixed patterns).

use chrono::{DateTime, Datelike, Timelike, Utc};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn parts(at: DateTime<Utc>, zone: &str) -> (chrono::NaiveDateTime, &'static str) {
    match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => (at.with_timezone(&tz).naive_local(), ""),
        Err(_) => (at.naive_utc(), " UTC"),
    }
}

/// `24 Nov 14:05` in the IANA `zone` (UTC if the zone is unknown).
pub fn format_time(at: DateTime<Utc>, zone: &str) -> String {
    let (local, suffix) = parts(at, zone);
    format!(
        "{:02} {} {:02}:{:02}{suffix}",
        local.day(),
        MONTHS[local.month0() as usize],
        local.hour(),
        local.minute()
    )
}

/// The same with the year and seconds, for the official times of the history.
pub fn format_time_exact(at: DateTime<Utc>, zone: &str) -> String {
    let (local, suffix) = parts(at, zone);
    format!(
        "{:02} {} {} {:02}:{:02}:{:02}{suffix}",
        local.day(),
        MONTHS[local.month0() as usize],
        local.year(),
        local.hour(),
        local.minute(),
        local.second()
    )
}
