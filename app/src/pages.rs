//! One module per route.

pub mod my_tickets;
pub mod queue;
pub mod sign_in;
