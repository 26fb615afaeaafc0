//! Request and response types of the JSON API, and the error envelope.
//!
//! The server serializes exactly these types and the app deserializes them, so the wire never
//! carries a database model. This module must not depend on anything but serde and chrono.
//!
//! One file per resource; every type is re-exported here, so `shared::api::Ticket` is the path.

mod admin;
mod announcements;
mod auth;
mod balances;
mod directory;
mod integrations;
mod known_errors;
mod mail;
mod service;
mod tickets;

pub use admin::*;
pub use announcements::*;
pub use auth::*;
pub use balances::*;
pub use directory::*;
pub use integrations::*;
pub use known_errors::*;
pub use mail::*;
pub use service::*;
pub use tickets::*;
