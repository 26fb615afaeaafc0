//! One module per route.

pub mod account;
pub mod admin;
pub mod announcements;
pub mod known_errors;
pub mod my_tickets;
pub mod new_ticket;
pub mod profile;
pub mod queue;
pub mod rating_link;
pub mod reports;
pub mod sign_in;
pub mod ticket;
