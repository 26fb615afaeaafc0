//! Upgrades: a database made at the schema of the first released migration set, filled with
//! tickets, messages and attachments as that schema stood, is migrated to the latest schema with
//! every row and every clock intact.

use std::collections::BTreeMap;

use migrations::MigratorTrait;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::support::temp_dir;

/// The migrations of the first release: accounts, and tickets with their events, messages,
/// attachments and the outbox.
const FIRST_RELEASE: u32 = 2;

/// Rows as the first release wrote them.
const FIXTURE: &str = r#"
INSERT INTO organisations (id, name, on_expiry, created_at)
  VALUES (1, 'Northwind', 'unqualified', '2026-11-24 09:00:00+00:00');
INSERT INTO plans (id, key, name, current_version_id, updated_at)
  VALUES (1, 'standard', 'Standard', 1, '2026-11-24 09:00:00+00:00');
INSERT INTO plan_versions (id, plan_id, version, spec, created_at)
  VALUES (1, 1, 1, '{"levels":["standard"]}', '2026-11-24 09:00:00+00:00');
INSERT INTO contracts (id, organisation_id, plan_id, valid_from, valid_to, account_limit, created_at)
  VALUES (1, 1, 1, '2026-01-01', '2026-12-31', 5, '2026-11-24 09:00:00+00:00');
INSERT INTO users (id, email, name, password_hash, role, organisation_id, locale, time_zone, active, preferences, created_at)
  VALUES (1, 'customer@northwind.example', 'Nina Customer', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'customer', 1, 'ru', 'Europe/Moscow', 1, '{}', '2026-11-24 09:00:00+00:00'),
         (2, 'agent@vendor.example', 'Artem Agent', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'agent', NULL, 'en', 'Europe/Moscow', 1, '{"mail":"all"}', '2026-11-24 09:00:00+00:00');
INSERT INTO tickets (id, reference, organisation_id, requester_id, subject, description, steps, product_version, category, severity, special, status, assignee_id, tier, plan_version_id, sla_level, registered_at, updated_at, version, next_deadline, next_check_at, at_risk, breached, open, reopen_count, clocks, close_reason, resolved_at, closed_at)
  VALUES (1, 'RG-000001', 1, 1, 'The printer prints blank pages', 'Since the update.', '1. Print', '5.2.1', 'C', 2, 0, 'in_progress', 2, 1, 1, 'standard', '2026-11-24 10:00:00+00:00', '2026-11-24 11:00:00+00:00', 3, '2026-11-25 10:00:00+00:00', '2026-11-25 09:00:00+00:00', 1, 0, 1, 0,
          '{"first_response":{"started_at":"2026-11-24T10:00:00Z","stopped_at":"2026-11-24T10:20:00Z","budget_minutes":60},"resolution":{"started_at":"2026-11-24T10:00:00Z","budget_minutes":960,"paused_minutes":15}}', NULL, NULL, NULL),
         (2, 'RG-000002', 1, 1, 'Licence question', 'How many seats?', NULL, '5.2.0', 'D', NULL, 1, 'closed', NULL, 1, 1, 'standard', '2026-11-20 08:00:00+00:00', '2026-11-22 08:00:00+00:00', 5, NULL, NULL, 0, 1, 0, 1,
          '{"first_response":{"started_at":"2026-11-20T08:00:00Z","stopped_at":"2026-11-21T09:00:00Z","budget_minutes":240,"breached_at":"2026-11-20T12:00:00Z"}}', 'rated', '2026-11-21 09:00:00+00:00', '2026-11-22 08:00:00+00:00');
INSERT INTO ticket_events (id, ticket_id, kind, actor_id, at, internal, payload)
  VALUES (1, 1, 'registered', 1, '2026-11-24 10:00:00+00:00', 0, '{"status":"new"}'),
         (2, 1, 'replied', 2, '2026-11-24 10:20:00+00:00', 0, '{}'),
         (3, 2, 'closed', 1, '2026-11-22 08:00:00+00:00', 0, '{"reason":"rated"}');
INSERT INTO messages (id, ticket_id, author_id, body, internal, automatic, source, email_message_id, created_at)
  VALUES (1, 1, 1, 'Since the update.', 0, 0, 'portal', NULL, '2026-11-24 10:00:00+00:00'),
         (2, 1, 2, 'Please send the log.', 0, 0, 'portal', NULL, '2026-11-24 10:20:00+00:00'),
         (3, 1, 2, 'Likely the driver.', 1, 0, 'portal', NULL, '2026-11-24 10:25:00+00:00'),
         (4, 2, 1, 'Thanks!', 0, 0, 'email', '<abc@northwind.example>', '2026-11-21 10:00:00+00:00');
INSERT INTO attachments (id, ticket_id, message_id, uploader_id, file_name, content_type, size, sha256, created_at, first_downloaded_at)
  VALUES (1, 1, 2, 1, 'printer.log', 'text/plain', 1234, 'ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12', '2026-11-24 10:30:00+00:00', NULL),
         (2, 1, NULL, 2, 'driver.zip', 'application/zip', 99999, 'cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34', '2026-11-24 10:40:00+00:00', '2026-11-24 11:00:00+00:00');
"#;

/// Every table's rows over the given columns, each value as SQLite's `quote()` writes it.
async fn dump(
    db: &DatabaseConnection,
    columns: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, Vec<String>> {
    let mut tables = BTreeMap::new();
    for (table, columns) in columns {
        let select = columns
            .iter()
            .map(|column| format!("quote(\"{column}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT {select} FROM \"{table}\" ORDER BY rowid"),
            ))
            .await
            .expect("rows");
        let rows = rows
            .into_iter()
            .map(|row| row.try_get_by_index::<String>(0).expect("row"))
            .collect();
        tables.insert(table.clone(), rows);
    }
    tables
}

/// The columns of every table.
async fn schema(db: &DatabaseConnection) -> BTreeMap<String, Vec<String>> {
    let backend = db.get_database_backend();
    let tables = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'",
        ))
        .await
        .expect("tables");
    let mut schema = BTreeMap::new();
    for table in tables {
        let table: String = table.try_get_by_index(0).expect("name");
        let columns = db
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT name FROM pragma_table_info('{table}')"),
            ))
            .await
            .expect("columns")
            .into_iter()
            .map(|row| row.try_get_by_index::<String>(0).expect("column"))
            .collect();
        schema.insert(table, columns);
    }
    schema
}

#[tokio::test]
async fn a_first_release_database_migrates_with_every_row_and_clock_intact() {
    let dir = temp_dir("upgrade");
    let url = format!("sqlite://{}?mode=rwc", dir.join("old.sqlite3").display());
    let db = server::db::connect(&url).await.expect("connect");
    migrations::Migrator::up(&db, Some(FIRST_RELEASE))
        .await
        .expect("the first release's schema");
    db.execute_unprepared(FIXTURE)
        .await
        .expect("first-release rows");
    let old_schema = schema(&db).await;
    let before = dump(&db, &old_schema).await;
    for table in ["tickets", "messages", "attachments", "ticket_events"] {
        assert!(!before[table].is_empty(), "the fixture fills {table}");
    }

    server::db::migrate(&db)
        .await
        .expect("migrate to the latest schema");
    assert!(
        migrations::Migrator::get_pending_migrations(&db)
            .await
            .expect("pending")
            .is_empty()
    );
    let new_schema = schema(&db).await;
    for (table, columns) in &old_schema {
        let kept = &new_schema[table];
        for column in columns {
            assert!(
                kept.contains(column),
                "{table}.{column} survives the upgrade"
            );
        }
    }
    let after = dump(&db, &old_schema).await;
    for (table, rows) in &before {
        assert_eq!(rows, &after[table], "the rows of {table}");
    }
    let clocks: Vec<String> = after["tickets"].clone();
    assert!(clocks[0].contains("\"paused_minutes\":15"), "{}", clocks[0]);
    assert!(
        clocks[1].contains("\"breached_at\":\"2026-11-20T12:00:00Z\""),
        "{}",
        clocks[1]
    );
    db.close().await.expect("close");
    let _ = std::fs::remove_dir_all(dir);
}
