//! The domain of Reglament, shared by the browser and the server.
//!
//! Every rule with a number in it lives here as a pure function: working time, deadlines, clock
//! states, classification, allowed transitions, queue order and the attachment policy. This crate
//! does no I/O and never reads the clock: "now" is always a parameter.

pub mod api;
pub mod i18n;
pub mod live;
