//! Who a ticket is for, as staff see it [002 §2]: the requester's address, the contract of
//! their organisation, their other open tickets, and the customers staff register tickets for.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::db::entity::{contract, ticket, user};

/// The e-mail addresses of users by id.
pub async fn user_emails(
    db: &impl ConnectionTrait,
    mut ids: Vec<i64>,
) -> Result<HashMap<i64, String>, DbErr> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|user| (user.id, user.email))
        .collect())
}

/// Every contract of the organisations `ids`, oldest first.
pub async fn contracts_of(
    db: &impl ConnectionTrait,
    mut ids: Vec<i64>,
) -> Result<Vec<contract::Model>, DbErr> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    contract::Entity::find()
        .filter(contract::Column::OrganisationId.is_in(ids))
        .order_by_asc(contract::Column::ValidFrom)
        .all(db)
        .await
}

/// Up to `limit` open tickets of `requester_id` other than `except`, newest first.
pub async fn open_tickets_of(
    db: &impl ConnectionTrait,
    requester_id: i64,
    except: i64,
    limit: u64,
) -> Result<Vec<ticket::Model>, DbErr> {
    ticket::Entity::find()
        .filter(ticket::Column::RequesterId.eq(requester_id))
        .filter(ticket::Column::Open.eq(true))
        .filter(ticket::Column::Id.ne(except))
        .order_by_desc(ticket::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The active customer `id`, if it is one.
pub async fn find_customer(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(id)
        .filter(user::Column::Role.eq("customer"))
        .filter(user::Column::Active.eq(true))
        .one(db)
        .await
}

/// Up to `limit` active customers whose name or e-mail contains `text` (case-insensitive),
/// by name.
pub async fn search_customers(
    db: &impl ConnectionTrait,
    text: &str,
    limit: u64,
) -> Result<Vec<user::Model>, DbErr> {
    let pattern = format!(
        "%{}%",
        text.trim()
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let like = |column: user::Column| {
        Expr::expr(Func::lower(Expr::col(column))).like(LikeExpr::new(pattern.clone()).escape('\\'))
    };
    user::Entity::find()
        .filter(user::Column::Role.eq("customer"))
        .filter(user::Column::Active.eq(true))
        .filter(
            Condition::any()
                .add(like(user::Column::Name))
                .add(like(user::Column::Email)),
        )
        .order_by_asc(user::Column::Name)
        .limit(limit)
        .all(db)
        .await
}
