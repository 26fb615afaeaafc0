//! Reusable pieces of the interface.

pub mod announcements;
pub mod attachment_drop;
pub mod chart;
pub mod countdown;
pub mod form;
pub mod layout;
pub mod number;
pub mod reactive;
pub mod stars;
pub mod status;
pub mod time;
pub mod title;
