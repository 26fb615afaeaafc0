//! The Reglament database schema, one file per migration, applied in order on start.
//!
//! Migrations must run unchanged on SQLite and PostgreSQL: they use sea-query's portable schema
//! builder and never raw SQL of one dialect.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_create_accounts;
mod m20261124_000002_create_tickets;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_accounts::Migration),
            Box::new(m20261124_000002_create_tickets::Migration),
        ]
    }
}
