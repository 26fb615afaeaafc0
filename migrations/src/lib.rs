//! The Reglament database schema, one file per migration, applied in order on start.
//!
//! Migrations run on SQLite and PostgreSQL: the schema uses sea-query's portable builder; the only
//! dialect-specific piece, PostgreSQL's NOTIFY trigger for live events, is skipped on SQLite.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_create_accounts;
mod m20261124_000002_create_tickets;
mod m20261124_000003_create_live_notify;
mod m20261201_201500_add_clock_outcomes;
mod m20261201_201600_create_calendar_versions;
mod m20261201_220000_create_canned_responses;
mod m20261202_000000_create_organisation_watchers;
mod m20261202_043000_create_tickets_counts_index;
mod m20261202_100000_queue_order_index;
mod m20261203_180000_outbox_due_index;
mod m20261207_150000_create_sessions;
mod m20261207_180000_account_security;
mod m20261207_180100_create_dead_letters;
mod m20261207_190000_pin_contract_plan_versions;
mod m20261207_190100_special_requests_by_contract;
mod m20261207_200000_ticket_channel_and_hold;
mod m20261207_210000_create_password_reminders;
mod m20261207_210100_create_products;
mod m20261207_220000_scheduled_and_paid_work;
mod m20261207_230000_create_webhooks;
mod m20261207_230100_create_mailboxes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_accounts::Migration),
            Box::new(m20261124_000002_create_tickets::Migration),
            Box::new(m20261124_000003_create_live_notify::Migration),
            Box::new(m20261201_201500_add_clock_outcomes::Migration),
            Box::new(m20261201_201600_create_calendar_versions::Migration),
            Box::new(m20261201_220000_create_canned_responses::Migration),
            Box::new(m20261202_000000_create_organisation_watchers::Migration),
            Box::new(m20261202_043000_create_tickets_counts_index::Migration),
            Box::new(m20261202_100000_queue_order_index::Migration),
            Box::new(m20261203_180000_outbox_due_index::Migration),
            Box::new(m20261207_150000_create_sessions::Migration),
            Box::new(m20261207_180000_account_security::Migration),
            Box::new(m20261207_180100_create_dead_letters::Migration),
            Box::new(m20261207_190000_pin_contract_plan_versions::Migration),
            Box::new(m20261207_190100_special_requests_by_contract::Migration),
            Box::new(m20261207_200000_ticket_channel_and_hold::Migration),
            Box::new(m20261207_210000_create_password_reminders::Migration),
            Box::new(m20261207_210100_create_products::Migration),
            Box::new(m20261207_220000_scheduled_and_paid_work::Migration),
            Box::new(m20261207_230000_create_webhooks::Migration),
            Box::new(m20261207_230100_create_mailboxes::Migration),
        ]
    }
}
