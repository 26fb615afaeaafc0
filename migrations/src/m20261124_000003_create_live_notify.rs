//! On PostgreSQL, a trigger that `NOTIFY`s channel `rg_events` (with the new id) whenever a ticket
//! event is inserted, and `rg_notifications` for notifications. PostgreSQL delivers a
//! notification only when the inserting transaction commits, so every instance's live tailer
//! wakes exactly for committed events, whichever instance wrote them. SQLite runs one instance
//! and needs nothing here.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: [&str; 4] = [
    "CREATE OR REPLACE FUNCTION rg_notify_event() RETURNS trigger AS $$ \
     BEGIN PERFORM pg_notify('rg_events', NEW.id::text); RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER ticket_events_notify AFTER INSERT ON ticket_events \
     FOR EACH ROW EXECUTE FUNCTION rg_notify_event()",
    "CREATE OR REPLACE FUNCTION rg_notify_notification() RETURNS trigger AS $$ \
     BEGIN PERFORM pg_notify('rg_notifications', NEW.id::text); RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER notifications_notify AFTER INSERT ON notifications \
     FOR EACH ROW EXECUTE FUNCTION rg_notify_notification()",
];

const DOWN: [&str; 4] = [
    "DROP TRIGGER IF EXISTS notifications_notify ON notifications",
    "DROP FUNCTION IF EXISTS rg_notify_notification()",
    "DROP TRIGGER IF EXISTS ticket_events_notify ON ticket_events",
    "DROP FUNCTION IF EXISTS rg_notify_event()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        for sql in UP {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        for sql in DOWN {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
