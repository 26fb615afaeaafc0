//! Queries about stored attachments.

use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

/// The bytes of attachments on the tickets of `organisation_id`.
///
/// # Errors
/// A database failure.
pub async fn organisation_usage(
    db: &impl ConnectionTrait,
    organisation_id: i64,
) -> Result<u64, DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        used: Option<i64>,
    }
    let query = Query::select()
        .expr_as(
            Func::cast_as(
                Func::coalesce::<[Expr; 2], Expr>([
                    Func::sum(Expr::col(("attachments", "size"))).into(),
                    Expr::val(0),
                ]),
                "BIGINT",
            ),
            "used",
        )
        .from("attachments")
        .inner_join(
            "tickets",
            Expr::col(("tickets", "id")).equals(("attachments", "ticket_id")),
        )
        .and_where(Expr::col(("tickets", "organisation_id")).eq(organisation_id))
        .to_owned();
    let row = Row::find_by_statement(db.get_database_backend().build(&query))
        .one(db)
        .await?;
    Ok(row
        .and_then(|row| row.used)
        .map_or(0, |used| u64::try_from(used).unwrap_or(0)))
}
