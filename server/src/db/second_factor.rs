//! Queries of the second factor (the TOTP columns of `users`, `recovery_codes`) and of the
//! product-wide `settings`.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr};

/// Stores `secret` as the pending enrolment of `user_id` (replacing an unconfirmed one).
///
/// # Errors
/// A database failure.
pub async fn set_pending(
    db: &impl ConnectionTrait,
    user_id: i64,
    secret: &str,
) -> Result<(), DbErr> {
    let update = Query::update()
        .table("users")
        .value("totp_pending", secret)
        .and_where(Expr::col("id").eq(user_id))
        .to_owned();
    db.execute(&update).await?;
    Ok(())
}

/// Turns the pending secret of `user_id` on, with `step` as its last used time step, and
/// stores the hashes of its new recovery codes (the old ones go).
///
/// # Errors
/// A database failure.
pub async fn confirm(
    db: &impl ConnectionTrait,
    user_id: i64,
    secret: &str,
    step: i64,
    code_hashes: &[String],
) -> Result<(), DbErr> {
    let update = Query::update()
        .table("users")
        .value("totp_secret", secret)
        .value("totp_pending", Option::<String>::None)
        .value("totp_last_step", step)
        .and_where(Expr::col("id").eq(user_id))
        .to_owned();
    db.execute(&update).await?;
    delete_recovery_codes(db, user_id).await?;
    let mut insert = Query::insert()
        .into_table("recovery_codes")
        .columns(["user_id", "code_hash"])
        .to_owned();
    for hash in code_hashes {
        insert.values_panic([user_id.into(), hash.as_str().into()]);
    }
    db.execute(&insert).await?;
    Ok(())
}

/// Turns the second factor of `user_id` off and drops its recovery codes.
///
/// # Errors
/// A database failure.
pub async fn remove(db: &impl ConnectionTrait, user_id: i64) -> Result<(), DbErr> {
    let update = Query::update()
        .table("users")
        .value("totp_secret", Option::<String>::None)
        .value("totp_pending", Option::<String>::None)
        .value("totp_last_step", Option::<i64>::None)
        .and_where(Expr::col("id").eq(user_id))
        .to_owned();
    db.execute(&update).await?;
    delete_recovery_codes(db, user_id).await
}

async fn delete_recovery_codes(db: &impl ConnectionTrait, user_id: i64) -> Result<(), DbErr> {
    let delete = Query::delete()
        .from_table("recovery_codes")
        .and_where(Expr::col("user_id").eq(user_id))
        .to_owned();
    db.execute(&delete).await?;
    Ok(())
}

/// Records `step` as the last used time step of `user_id`, unless a later or equal one was
/// used meanwhile; whether it was recorded (a code is accepted once).
///
/// # Errors
/// A database failure.
pub async fn use_step(db: &impl ConnectionTrait, user_id: i64, step: i64) -> Result<bool, DbErr> {
    let update = Query::update()
        .table("users")
        .value("totp_last_step", step)
        .and_where(Expr::col("id").eq(user_id))
        .cond_where(
            sea_orm::sea_query::Condition::any()
                .add(Expr::col("totp_last_step").is_null())
                .add(Expr::col("totp_last_step").lt(step)),
        )
        .to_owned();
    Ok(db.execute(&update).await?.rows_affected() == 1)
}

/// Marks the unused recovery code of `user_id` with hash `code_hash` used; whether there was one.
///
/// # Errors
/// A database failure.
pub async fn use_recovery_code(
    db: &impl ConnectionTrait,
    user_id: i64,
    code_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let update = Query::update()
        .table("recovery_codes")
        .value("used_at", now)
        .and_where(Expr::col("user_id").eq(user_id))
        .and_where(Expr::col("code_hash").eq(code_hash))
        .and_where(Expr::col("used_at").is_null())
        .to_owned();
    Ok(db.execute(&update).await?.rows_affected() > 0)
}

/// The value of setting `name`, if it was ever set.
///
/// # Errors
/// A database failure.
pub async fn setting(db: &impl ConnectionTrait, name: &str) -> Result<Option<String>, DbErr> {
    let query = Query::select()
        .column("value")
        .from("settings")
        .and_where(Expr::col("name").eq(name))
        .to_owned();
    match db.query_one(&query).await? {
        Some(row) => Ok(Some(row.try_get::<String>("", "value")?)),
        None => Ok(None),
    }
}

/// Sets setting `name` to `value`.
///
/// # Errors
/// A database failure.
pub async fn set_setting(db: &impl ConnectionTrait, name: &str, value: &str) -> Result<(), DbErr> {
    let insert = Query::insert()
        .into_table("settings")
        .columns(["name", "value"])
        .values_panic([name.into(), value.into()])
        .on_conflict(OnConflict::column("name").update_column("value").to_owned())
        .to_owned();
    db.execute(&insert).await?;
    Ok(())
}
