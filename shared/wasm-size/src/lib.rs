//! What the `shared` crate adds to a wasm32 bundle, measured.
//!
//! This cdylib exports the SLA engine's entry points as the browser uses them: a calendar and a
//! plan parsed from their JSON and validated, the deadline arithmetic (R1–R5), a classification,
//! and the clocks of a ticket from its events with the countdown's `Clock::at`. Inputs arrive
//! byte by byte through [`input_push`] and results leave through [`output_byte`], so the
//! optimiser cannot fold anything away. The `baseline` feature keeps every export and the
//! buffers but never calls `shared`; the size difference between the two builds is what the
//! crate, its dependencies (chrono, chrono-tz with the zone list of `.cargo/config.toml`,
//! serde_json) and its data add. See `README.md` for the commands.

use std::cell::RefCell;

#[cfg(feature = "baseline")]
mod baseline;
#[cfg(not(feature = "baseline"))]
mod engine;

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Appends one byte to the input buffer.
#[unsafe(no_mangle)]
pub extern "C" fn input_push(byte: u32) {
    INPUT.with_borrow_mut(|input| input.push(byte as u8));
}

/// The length of the output buffer.
#[unsafe(no_mangle)]
pub extern "C" fn output_len() -> u32 {
    OUTPUT.with_borrow(|output| output.len() as u32)
}

/// One byte of the output buffer.
#[unsafe(no_mangle)]
pub extern "C" fn output_byte(index: u32) -> u32 {
    OUTPUT.with_borrow(|output| output.get(index as usize).copied().map_or(0, u32::from))
}

/// Takes the input buffer as text, leaving it empty.
fn take_input() -> String {
    INPUT.with_borrow_mut(|input| String::from_utf8_lossy(&std::mem::take(input)).into_owned())
}

/// Replaces the output buffer.
fn put_output(text: &str) {
    OUTPUT.with_borrow_mut(|output| {
        output.clear();
        output.extend_from_slice(text.as_bytes());
    });
}
