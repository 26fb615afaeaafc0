//! The domain of Reglament, shared by the browser and the server.
//!
//! Every rule with a number in it lives here as a pure function: working time, deadlines, clock
//! states, classification, allowed transitions, queue order and the attachment policy. This crate
//! does no I/O and never reads the clock: "now" is always a parameter.

pub mod api;
pub mod attachment;
pub mod calendar;
pub mod canned;
pub mod i18n;
pub mod json;
pub mod live;
pub mod product;
pub mod queue;
pub mod report;
pub mod sla;
pub mod ticket;

pub use calendar::{Calendar, CalendarError, CalendarSpec};
pub use queue::{QueueKey, sort_queue};
pub use sla::{
    Clock, ClockEvent, ClockEventKind, ClockState, Clocks, Plan, PlanSpec, Target, clocks,
};
pub use ticket::{Action, Category, Classification, Role, Severity, Status};
