//! The database: connection, migrations, and queries as free functions over SeaORM.
//!
//! SeaORM models never leave this module; callers get `shared` types or plain structs.
//! Transactions are opened by the caller of an action, once.

pub mod admin;
pub mod announcements;
pub mod attachments;
pub mod balances;
pub mod canned;
pub mod dead_letters;
pub mod demo;
pub mod entity;
pub mod inbound;
pub mod jobs;
pub mod known_errors;
pub mod leases;
pub mod live;
pub mod mailboxes;
pub mod notifications;
pub mod outbox;
pub mod password_reminders;
pub mod plans;
pub mod products;
pub mod reports;
pub mod second_factor;
pub mod sessions;
pub mod tickets;
pub mod watchers;
pub mod webhooks;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectOptions, Database, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};

use entity::{audit_log, organisation, user};
use shared::ticket::Role;

/// The handles the rest of the server holds: a pool, any connection or transaction, and the
/// database's error.
pub use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};

/// Opens the pool. SQLite runs in WAL mode with a busy timeout, so readers never block the writer.
/// Its checkpoints run beside the writers (see [`checkpoint_wal`]), not inside their commits.
///
/// # Errors
/// An unreachable or unopenable database, with the URL's scheme and the cause.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite") {
        // A connection to a local file cannot go stale: pinging it before each use would cost
        // a round trip to its worker thread per statement.
        options.test_before_acquire(false);
        options.max_connections(8).map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                // Left to itself, the commit that fills the log past 1,000 pages copies it
                // into the database and syncs the file while every writer waits (commits of
                // 60 ms among ones of 0.3 ms under load); `checkpoint_wal` does it instead.
                .pragma("wal_autocheckpoint", "0")
        });
    } else {
        options.max_connections(16);
    }
    let scheme = url.split(':').next().unwrap_or("database");
    let db = Database::connect(options)
        .await
        .with_context(|| format!("DATABASE_URL: cannot connect to the {scheme} database"))?;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        tokio::spawn(checkpoint_wal(db.clone()));
    }
    Ok(db)
}

/// How often the SQLite log is copied into the database.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// Copies SQLite's write-ahead log into the database every [`CHECKPOINT_EVERY`] while the pool
/// is open. A passive checkpoint waits for no one: writers go on appending meanwhile, and the
/// next writer after a complete one starts the log from its beginning again, so it stays small.
/// (When the last connection to the file closes, SQLite checkpoints once more itself.)
async fn checkpoint_wal(db: DatabaseConnection) {
    let mut every = tokio::time::interval(CHECKPOINT_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if db.get_sqlite_connection_pool().is_closed() {
            return;
        }
        if let Err(error) = db
            .execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)")
            .await
        {
            if db.get_sqlite_connection_pool().is_closed() {
                return;
            }
            tracing::warn!(%error, "cannot checkpoint the SQLite log");
        }
    }
}

/// Starts the transaction of one action. On SQLite it takes the write lock at `BEGIN`
/// (`IMMEDIATE`): a deferred transaction that reads before it writes fails at once with
/// `SQLITE_BUSY` when another connection has committed in between, whatever the busy timeout,
/// while an immediate one waits its turn. PostgreSQL ignores the mode.
///
/// SQLite has one writer at a time. Writers of this process queue for it in order on an async
/// lock ([`Write`] holds it until commit or rollback) instead of each polling the database in
/// its busy handler, which sleeps in growing steps and leaves the lock idle between them.
///
/// # Errors
/// The database's, when no connection or no lock can be had in time.
pub async fn begin(db: &DatabaseConnection) -> Result<Write, sea_orm::DbErr> {
    let turn = match writer_queue(db) {
        Some(queue) => {
            let asked = std::time::Instant::now();
            let turn = queue.lock_owned().await;
            crate::metrics::write_waited(asked.elapsed());
            Some(turn)
        }
        None => None,
    };
    let txn = sea_orm::TransactionTrait::begin_with_options(
        db,
        sea_orm::TransactionOptions {
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        },
    )
    .await?;
    Ok(Write { txn, _turn: turn })
}

/// The queue of this process's writers to one SQLite file; `None` on PostgreSQL.
fn writer_queue(db: &DatabaseConnection) -> Option<Arc<tokio::sync::Mutex<()>>> {
    static QUEUES: OnceLock<Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    if db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
        return None;
    }
    let file = db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    let mut queues = QUEUES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Some(queues.entry(file).or_default().clone())
}

/// The transaction of one action (see [`begin`]): a connection like any other, finished with
/// [`Write::commit`]; dropped uncommitted, it rolls back.
pub struct Write {
    // Declared first, so it is dropped (rolled back) before the writer's turn passes on.
    txn: sea_orm::DatabaseTransaction,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Write {
    /// Commits the action and lets the next writer in.
    ///
    /// # Errors
    /// The database's; nothing of the action is then stored.
    pub async fn commit(self) -> Result<(), sea_orm::DbErr> {
        self.txn.commit().await
    }

    /// Rolls the action back.
    ///
    /// # Errors
    /// The database's.
    pub async fn rollback(self) -> Result<(), sea_orm::DbErr> {
        self.txn.rollback().await
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Write {
    fn get_database_backend(&self) -> sea_orm::DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<sea_orm::ExecResult, sea_orm::DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<sea_orm::ExecResult, sea_orm::DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Option<sea_orm::QueryResult>, sea_orm::DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Vec<sea_orm::QueryResult>, sea_orm::DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }
}

/// Whether `error` is the violation of a unique key.
pub fn is_unique_violation(error: &DbErr) -> bool {
    matches!(
        error.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// The zone of contract dates: a contract's valid-from and valid-to are the vendor's legal
/// dates, days in Moscow time, whatever zone the server's clock or the admin's browser uses.
pub const CONTRACT_ZONE: chrono_tz::Tz = chrono_tz::Europe::Moscow;

/// The contract date of the instant `now`: a contract valid to a date is in force until that
/// day ends in Moscow.
pub fn contract_day(now: DateTime<Utc>) -> chrono::NaiveDate {
    now.with_timezone(&CONTRACT_ZONE).date_naive()
}

/// Applies every pending migration.
///
/// # Errors
/// A migration that fails, with the database's message.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("cannot apply the database migrations")?;
    seed_reference_data(db)
        .await
        .context("cannot store the seed calendars and plans")
}

/// Stores the seed calendars and plans of `shared` in an empty database: every ticket needs a
/// plan version, and the `unqualified` plan must exist for customers without a valid contract.
///
/// # Errors
/// A database failure.
pub async fn seed_reference_data(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    if entity::plan::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let now = Utc::now();
    let txn = begin(db).await?;
    let mut calendars: Vec<(i64, shared::calendar::CalendarSpec)> = Vec::new();
    if entity::calendar::Entity::find().count(&txn).await? == 0 {
        for (key, spec) in shared::calendar::seed_calendars() {
            let json = serde_json::to_string(&spec).unwrap_or_else(|_| "{}".into());
            let calendar = entity::calendar::ActiveModel {
                key: Set(key.clone()),
                name: Set(key),
                spec: Set(json.clone()),
                version: Set(1),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            entity::calendar_version::ActiveModel {
                calendar_id: Set(calendar.id),
                version: Set(1),
                spec: Set(json),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            calendars.push((calendar.id, spec));
        }
    }
    for (key, spec) in shared::sla::seed_plans() {
        // A seed plan follows the seed calendar it was built from.
        let calendar_id = calendars
            .iter()
            .find(|(_, calendar)| *calendar == spec.calendar)
            .map(|(id, _)| *id);
        let plan = entity::plan::ActiveModel {
            key: Set(key),
            name: Set(spec.name.clone()),
            current_version_id: Set(None),
            calendar_id: Set(calendar_id),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let version = entity::plan_version::ActiveModel {
            plan_id: Set(plan.id),
            version: Set(1),
            spec: Set(serde_json::to_string(&spec).unwrap_or_else(|_| "{}".into())),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let mut plan: entity::plan::ActiveModel = plan.into();
        plan.current_version_id = Set(Some(version.id));
        plan.update(&txn).await?;
    }
    txn.commit().await
}

/// `sqlite` or `postgres`, as `GET /api/health` reports it.
pub fn backend_name(db: &impl ConnectionTrait) -> &'static str {
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => "postgres",
        sea_orm::DatabaseBackend::Sqlite => "sqlite",
        _ => "other",
    }
}

/// Whether any account exists (demo data is seeded only into an empty database).
pub async fn has_users(db: &impl ConnectionTrait) -> Result<bool, sea_orm::DbErr> {
    Ok(user::Entity::find().count(db).await? > 0)
}

/// An account's stored role; a value outside the closed set is a storage error, never a guess.
///
/// # Errors
/// `DbErr::Type` for an unknown role.
pub fn role_of(account: &user::Model) -> Result<Role, DbErr> {
    Role::parse(&account.role).ok_or_else(|| {
        DbErr::Type(format!(
            "account {} has the unknown role {:?}",
            account.id, account.role
        ))
    })
}

/// Looks an account up by its e-mail address, case-insensitively.
pub async fn find_user_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await
}

pub async fn find_user(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find_by_id(id).one(db).await
}

pub async fn find_organisation(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<organisation::Model>, sea_orm::DbErr> {
    organisation::Entity::find_by_id(id).one(db).await
}

/// Appends one entry to the audit log, inside the caller's transaction.
pub async fn audit(
    db: &impl ConnectionTrait,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    details: serde_json::Value,
) -> Result<(), sea_orm::DbErr> {
    audit_all(
        db,
        [AuditEntry {
            at,
            actor_id,
            action,
            entity,
            entity_id: entity_id.to_string(),
            details,
        }],
    )
    .await
}

/// One entry of the audit log, for [`audit_all`].
pub struct AuditEntry<'a> {
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub details: serde_json::Value,
}

/// Appends `entries` to the audit log in one statement.
///
/// # Errors
/// The database's.
pub async fn audit_all<'a>(
    db: &impl ConnectionTrait,
    entries: impl IntoIterator<Item = AuditEntry<'a>>,
) -> Result<(), sea_orm::DbErr> {
    let rows: Vec<_> = entries
        .into_iter()
        .map(|entry| audit_log::ActiveModel {
            at: Set(entry.at),
            actor_id: Set(entry.actor_id),
            action: Set(entry.action.to_owned()),
            entity: Set(entry.entity.to_owned()),
            entity_id: Set(entry.entity_id),
            details: Set(entry.details.to_string()),
            ..Default::default()
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    audit_log::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// The references of the given tickets, by id.
pub async fn ticket_references(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, sea_orm::DbErr> {
    use sea_orm::FromQueryResult;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    #[derive(FromQueryResult)]
    struct Row {
        id: i64,
        reference: String,
    }
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let query = Query::select()
        .columns(["id", "reference"])
        .from("tickets")
        .and_where(Expr::col("id").is_in(ids.iter().copied()))
        .to_owned();
    let rows = Row::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.id, row.reference))
        .collect())
}

#[cfg(test)]
mod contract_day_tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::contract_day;

    #[test]
    fn contract_days_turn_at_moscow_midnight() {
        let before = Utc.with_ymd_and_hms(2026, 12, 1, 20, 59, 59).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 12, 1, 21, 0, 0).unwrap();
        assert_eq!(
            contract_day(before),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
        assert_eq!(
            contract_day(after),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        );
    }
}

#[cfg(test)]
mod checkpoint_tests {
    use sea_orm::{ConnectionTrait, Statement};

    use super::{CHECKPOINT_EVERY, connect};

    /// Frames in the log and frames copied into the database, as a passive checkpoint reports.
    async fn log_frames(db: &sea_orm::DatabaseConnection) -> (i64, i64) {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "PRAGMA wal_checkpoint(PASSIVE)",
            ))
            .await
            .expect("checkpoint")
            .expect("row");
        (
            row.try_get_by_index(1).expect("log"),
            row.try_get_by_index(2).expect("checkpointed"),
        )
    }

    #[tokio::test]
    async fn the_log_is_checkpointed_beside_the_writers_and_starts_again() {
        let dir = std::env::temp_dir().join(format!("rg-checkpoint-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let url = format!("sqlite://{}?mode=rwc", dir.join("db.sqlite3").display());
        let db = connect(&url).await.expect("connect");
        let autocheckpoint = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "PRAGMA wal_autocheckpoint",
            ))
            .await
            .expect("pragma")
            .expect("row");
        assert_eq!(
            autocheckpoint.try_get_by_index::<i64>(0).expect("value"),
            0,
            "no commit checkpoints"
        );
        db.execute_unprepared(
            "CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT NOT NULL); \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) \
             INSERT INTO filler (text) SELECT printf('%.2000c', 'x') FROM n",
        )
        .await
        .expect("fill");
        // Three checkpoints' time: the log, about a thousand pages long, is copied meanwhile…
        tokio::time::sleep(CHECKPOINT_EVERY * 3).await;
        // …so the next writer starts it from its beginning.
        db.execute_unprepared("INSERT INTO filler (text) VALUES ('y')")
            .await
            .expect("insert");
        let (log, checkpointed) = log_frames(&db).await;
        assert!(log < 20, "the log started again: {log} frames");
        assert_eq!(log, checkpointed);
        db.close().await.expect("close");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
