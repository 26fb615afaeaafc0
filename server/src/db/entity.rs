//! SeaORM entities, one module a table. They never leave `server::db`: queries return `shared`
//! types or plain structs of this crate.

pub mod announcement;
pub mod attachment;
pub mod audit_log;
pub mod balance_entry;
pub mod calendar;
pub mod calendar_version;
pub mod canned_response;
pub mod contract;
pub mod known_error;
pub mod mailbox;
pub mod message;
pub mod notification;
pub mod organisation;
pub mod organisation_watcher;
pub mod password_reminder;
pub mod plan;
pub mod plan_version;
pub mod product;
pub mod reclassification;
pub mod ticket;
pub mod ticket_event;
pub mod user;
pub mod webhook;
pub mod webhook_delivery;
