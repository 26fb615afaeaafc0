//! The same exports as `engine.rs`, without calling `shared`: they only move the buffers.

use crate::{put_output, take_input};

#[unsafe(no_mangle)]
pub extern "C" fn calendar_from_json() -> u32 {
    take_input().len() as u32
}

#[unsafe(no_mangle)]
pub extern "C" fn add_working(start: i64, seconds: i64) -> i64 {
    start.wrapping_add(seconds)
}

#[unsafe(no_mangle)]
pub extern "C" fn working_between(from: i64, to: i64) -> i64 {
    to.wrapping_sub(from)
}

#[unsafe(no_mangle)]
pub extern "C" fn same_or_next_working_day(registered: i64, cutoff_minutes: u32) -> i64 {
    registered.wrapping_add(i64::from(cutoff_minutes))
}

#[unsafe(no_mangle)]
pub extern "C" fn add_working_days(start: i64, days: u32) -> i64 {
    start.wrapping_add(i64::from(days))
}

#[unsafe(no_mangle)]
pub extern "C" fn working_between_excluding(from: i64, to: i64, paused: i64, resumed: i64) -> i64 {
    to.wrapping_sub(from)
        .wrapping_sub(resumed.wrapping_sub(paused))
}

#[unsafe(no_mangle)]
pub extern "C" fn is_working(at: i64) -> u32 {
    (at & 3) as u32
}

#[unsafe(no_mangle)]
pub extern "C" fn plan_from_json() -> u32 {
    take_input().len() as u32
}

#[unsafe(no_mangle)]
pub extern "C" fn classify(category: u32, severity: u32, special: u32) -> u32 {
    category ^ severity ^ special
}

#[unsafe(no_mangle)]
pub extern "C" fn events_from_json() -> u32 {
    take_input().len() as u32
}

#[unsafe(no_mangle)]
pub extern "C" fn ticket_clocks(now: i64) -> i64 {
    put_output(&take_input());
    now
}

#[unsafe(no_mangle)]
pub extern "C" fn countdown(now: i64, later: i64) -> i64 {
    later.wrapping_sub(now)
}
