//! The API over the real router, on SQLite and — when `TEST_DATABASE_URL` is set — PostgreSQL.
//!
//! Each test is written once as `async fn name(app: TestApp)`; the `both!` macro turns it into a
//! SQLite test and a PostgreSQL test. With `CI` set and no `TEST_DATABASE_URL`, the PostgreSQL
//! tests fail rather than skip.

mod account;
mod admin;
mod announcements;
mod attachments;
mod auth;
mod canned;
mod counts;
mod customer_view;
mod dead_letters;
mod errors;
mod flow;
mod health;
mod inbound;
mod instances;
mod jobs;
mod known_errors;
mod mail;
mod mailboxes;
mod password_reminders;
mod plans;
mod products;
mod ratings;
mod reclassifications;
mod reports;
mod security;
mod sessions;
mod sla;
mod staff;
mod support;
mod tickets;
mod watchers;
mod webhooks;
mod work;
