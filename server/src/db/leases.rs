//! Leases: a named thing (a webhook endpoint, a mailbox) that one instance at a time works on,
//! held until an expiry the holder keeps moving forward. An instance that dies lets its lease
//! run out, and another takes it over.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement};

/// Takes or renews the lease `name` for `holder` until `until`: `true` if `holder` now holds
/// it, `false` while another holder's lease runs.
pub async fn acquire(
    db: &impl ConnectionTrait,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
             expires_at = excluded.expires_at \
             WHERE leases.holder = excluded.holder OR leases.expires_at < $4"
        }
        _ => {
            "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
             expires_at = excluded.expires_at \
             WHERE leases.holder = excluded.holder OR leases.expires_at < ?"
        }
    };
    let result = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [name.into(), holder.into(), until.into(), now.into()],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Gives up the lease `name` if `holder` holds it.
pub async fn release(db: &impl ConnectionTrait, name: &str, holder: &str) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => "DELETE FROM leases WHERE name = $1 AND holder = $2",
        _ => "DELETE FROM leases WHERE name = ? AND holder = ?",
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [name.into(), holder.into()],
    ))
    .await?;
    Ok(())
}
