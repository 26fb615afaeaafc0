//! Queries of the `sessions` table: one row per sign-in, ended by sign-out, a password change,
//! a deactivation or "sign out everywhere".

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

/// One open session, as its owner sees it.
#[derive(Clone, Debug, FromQueryResult)]
pub struct SessionRow {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

/// Records a new session `id` of `user_id`.
///
/// # Errors
/// A database failure.
pub async fn open(
    db: &impl ConnectionTrait,
    id: &str,
    user_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    user_agent: Option<String>,
    ip: Option<String>,
) -> Result<(), DbErr> {
    let insert = Query::insert()
        .into_table("sessions")
        .columns([
            "id",
            "user_id",
            "created_at",
            "expires_at",
            "ended_at",
            "user_agent",
            "ip",
        ])
        .values_panic([
            id.into(),
            user_id.into(),
            now.into(),
            expires_at.into(),
            Option::<DateTime<Utc>>::None.into(),
            user_agent.into(),
            ip.into(),
        ])
        .to_owned();
    db.execute(&insert).await?;
    Ok(())
}

fn active(user_id: i64, now: DateTime<Utc>) -> sea_orm::sea_query::Condition {
    sea_orm::sea_query::Condition::all()
        .add(Expr::col("user_id").eq(user_id))
        .add(Expr::col("ended_at").is_null())
        .add(Expr::col("expires_at").gt(now))
}

/// Whether session `id` of `user_id` is open at `now`.
///
/// # Errors
/// A database failure.
pub async fn is_active(
    db: &impl ConnectionTrait,
    id: &str,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let query = Query::select()
        .column("id")
        .from("sessions")
        .and_where(Expr::col("id").eq(id))
        .cond_where(active(user_id, now))
        .to_owned();
    Ok(db.query_one(&query).await?.is_some())
}

/// The open sessions of `user_id`, newest first.
///
/// # Errors
/// A database failure.
pub async fn list_active(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<SessionRow>, DbErr> {
    let query = Query::select()
        .columns(["id", "created_at", "expires_at", "user_agent", "ip"])
        .from("sessions")
        .cond_where(active(user_id, now))
        .order_by("created_at", Order::Desc)
        .order_by("id", Order::Asc)
        .to_owned();
    SessionRow::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await
}

/// Ends the open sessions of `user_id` (only `only` if given, all but `except` if given);
/// returns how many ended.
///
/// # Errors
/// A database failure.
pub async fn end(
    db: &impl ConnectionTrait,
    user_id: i64,
    only: Option<&str>,
    except: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut update = Query::update()
        .table("sessions")
        .value("ended_at", now)
        .cond_where(active(user_id, now))
        .to_owned();
    if let Some(id) = only {
        update.and_where(Expr::col("id").eq(id));
    }
    if let Some(id) = except {
        update.and_where(Expr::col("id").ne(id));
    }
    Ok(db.execute(&update).await?.rows_affected())
}

/// Sets the password hash of `user_id`, chosen by its owner (no longer one to change).
///
/// # Errors
/// A database failure.
pub async fn set_password_hash(
    db: &impl ConnectionTrait,
    user_id: i64,
    hash: &str,
) -> Result<(), DbErr> {
    let update = Query::update()
        .table("users")
        .value("password_hash", hash)
        .value("must_change_password", false)
        .and_where(Expr::col("id").eq(user_id))
        .to_owned();
    db.execute(&update).await?;
    Ok(())
}
