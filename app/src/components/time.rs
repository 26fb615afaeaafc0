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

/// Sorts `items` by the instant `at` gives each, keeping the order of items with the same
/// instant (like `sort_by_key`), with one sort for the whole app: each `sort_by_key` compiles
/// a sort of its own, while this sorts `(instant, position)` pairs, one type for every caller.
pub fn sort_by_time<T>(items: &mut Vec<T>, at: impl Fn(&T) -> Option<DateTime<Utc>>) {
    let mut order: Vec<(Option<DateTime<Utc>>, usize)> = items
        .iter()
        .enumerate()
        .map(|(position, item)| (at(item), position))
        .collect();
    order.sort_unstable();
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .into_iter()
            .filter_map(|(_, position)| slots[position].take()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_time_keeping_the_order_of_ties() {
        let at = |seconds| DateTime::from_timestamp(seconds, 0);
        let mut items = vec![("b", at(20)), ("a", at(10)), ("c", at(20)), ("none", None)];
        sort_by_time(&mut items, |item| item.1);
        let names: Vec<&str> = items.iter().map(|item| item.0).collect();
        assert_eq!(names, ["none", "a", "b", "c"]);
    }
}
