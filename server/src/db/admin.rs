//! Administration's queries: organisations, contracts, accounts and the audit log.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::entity::{audit_log, contract, organisation, plan, plan_version, user};

/// Organisations by name (at most 1,000).
pub async fn organisations(db: &impl ConnectionTrait) -> Result<Vec<organisation::Model>, DbErr> {
    organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .limit(1000)
        .all(db)
        .await
}

pub async fn insert_organisation(
    db: &impl ConnectionTrait,
    name: String,
    on_expiry: String,
    now: DateTime<Utc>,
) -> Result<organisation::Model, DbErr> {
    organisation::ActiveModel {
        name: Set(name),
        on_expiry: Set(on_expiry),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Renames organisation `found` or changes its `on_expiry`; returns the row as stored.
pub async fn update_organisation(
    db: &impl ConnectionTrait,
    found: organisation::Model,
    name: Option<String>,
    on_expiry: Option<String>,
) -> Result<organisation::Model, DbErr> {
    let mut model: organisation::ActiveModel = found.into();
    if let Some(name) = name {
        model.name = Set(name);
    }
    if let Some(on_expiry) = on_expiry {
        model.on_expiry = Set(on_expiry);
    }
    model.update(db).await
}

/// The accounts among `ids`.
pub async fn users_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// Accounts by id, of one organisation if asked (at most 5,000).
pub async fn users(
    db: &impl ConnectionTrait,
    organisation_id: Option<i64>,
) -> Result<Vec<user::Model>, DbErr> {
    let mut select = user::Entity::find().order_by_asc(user::Column::Id);
    if let Some(organisation_id) = organisation_id {
        select = select.filter(user::Column::OrganisationId.eq(organisation_id));
    }
    select.limit(5000).all(db).await
}

pub async fn plan_by_key(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<plan::Model>, DbErr> {
    plan::Entity::find()
        .filter(plan::Column::Key.eq(key))
        .one(db)
        .await
}

pub async fn plan_by_id(db: &impl ConnectionTrait, id: i64) -> Result<Option<plan::Model>, DbErr> {
    plan::Entity::find_by_id(id).one(db).await
}

/// Plan version numbers by version id, for the versions among `ids`.
pub async fn plan_version_numbers(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, i32>, DbErr> {
    Ok(plan_version::Entity::find()
        .filter(plan_version::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row.version))
        .collect())
}

/// Every plan by id.
pub async fn plans_by_id(
    db: &impl ConnectionTrait,
) -> Result<std::collections::HashMap<i64, plan::Model>, DbErr> {
    Ok(plan::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|plan| (plan.id, plan))
        .collect())
}

/// Every plan: id → key.
pub async fn plan_keys(
    db: &impl ConnectionTrait,
) -> Result<std::collections::HashMap<i64, String>, DbErr> {
    Ok(plan::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|plan| (plan.id, plan.key))
        .collect())
}

/// Contracts by id (at most 5,000).
pub async fn contracts(db: &impl ConnectionTrait) -> Result<Vec<contract::Model>, DbErr> {
    contract::Entity::find()
        .order_by_asc(contract::Column::Id)
        .limit(5000)
        .all(db)
        .await
}

pub async fn find_contract(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<contract::Model>, DbErr> {
    contract::Entity::find_by_id(id).one(db).await
}

/// A contract's terms.
#[derive(Clone, Copy, Debug)]
pub struct Terms {
    pub plan_id: i64,
    /// The plan version pinned: the plan's current version when the contract is made.
    pub plan_version_id: Option<i64>,
    pub special_requests: shared::api::SpecialRequests,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub account_limit: i32,
}

pub async fn insert_contract(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    terms: Terms,
    now: DateTime<Utc>,
) -> Result<contract::Model, DbErr> {
    contract::ActiveModel {
        organisation_id: Set(organisation_id),
        plan_id: Set(terms.plan_id),
        plan_version_id: Set(terms.plan_version_id),
        special_requests: Set(terms.special_requests.as_str().to_owned()),
        valid_from: Set(terms.valid_from),
        valid_to: Set(terms.valid_to),
        account_limit: Set(terms.account_limit),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Writes new `terms` to contract `found`; returns the row as stored.
pub async fn update_contract(
    db: &impl ConnectionTrait,
    found: contract::Model,
    terms: Terms,
) -> Result<contract::Model, DbErr> {
    let mut model: contract::ActiveModel = found.into();
    model.plan_id = Set(terms.plan_id);
    model.plan_version_id = Set(terms.plan_version_id);
    model.special_requests = Set(terms.special_requests.as_str().to_owned());
    model.valid_from = Set(terms.valid_from);
    model.valid_to = Set(terms.valid_to);
    model.account_limit = Set(terms.account_limit);
    model.update(db).await
}

/// The organisation's contract in force on `today`, and how many of its accounts are active.
pub async fn contract_in_force(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    today: NaiveDate,
) -> Result<Option<(contract::Model, u64)>, DbErr> {
    let Some(contract) = contract::Entity::find()
        .filter(contract::Column::OrganisationId.eq(organisation_id))
        .filter(contract::Column::ValidFrom.lte(today))
        .filter(contract::Column::ValidTo.gte(today))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let accounts = user::Entity::find()
        .filter(user::Column::OrganisationId.eq(organisation_id))
        .filter(user::Column::Active.eq(true))
        .count(db)
        .await?;
    Ok(Some((contract, accounts)))
}

/// A new active account.
pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: shared::ticket::Role,
    pub organisation_id: Option<i64>,
    pub locale: String,
    pub time_zone: String,
    /// Whether the password was given by an administrator (to be changed at first sign-in).
    pub must_change_password: bool,
}

pub async fn insert_user(
    db: &impl ConnectionTrait,
    account: NewAccount,
    now: DateTime<Utc>,
) -> Result<user::Model, DbErr> {
    user::ActiveModel {
        email: Set(account.email),
        name: Set(account.name),
        password_hash: Set(account.password_hash),
        role: Set(account.role.as_str().to_owned()),
        organisation_id: Set(account.organisation_id),
        locale: Set(account.locale),
        time_zone: Set(account.time_zone),
        active: Set(true),
        preferences: Set("{}".into()),
        created_at: Set(now),
        must_change_password: Set(account.must_change_password),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// What an admin changes on an account.
#[derive(Clone, Debug)]
pub enum AccountChange {
    Deactivate,
    /// A one-time password's hash: the account must change it at its next sign-in.
    Password(String),
}

/// Applies `change` to account `id`; returns the row as stored, or `None` for no such account.
pub async fn update_user(
    db: &impl ConnectionTrait,
    id: i64,
    change: AccountChange,
) -> Result<Option<user::Model>, DbErr> {
    let Some(found) = user::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let mut model: user::ActiveModel = found.into();
    match change {
        AccountChange::Deactivate => model.active = Set(false),
        AccountChange::Password(hash) => {
            model.password_hash = Set(hash);
            model.must_change_password = Set(true);
        }
    }
    model.update(db).await.map(Some)
}

/// Which audit entries to list.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor_id: Option<i64>,
    pub action: Option<String>,
    /// Only entries before this id.
    pub cursor: Option<i64>,
}

/// Up to `limit` audit entries matching `filter`, newest first.
pub async fn audit_entries(
    db: &impl ConnectionTrait,
    filter: AuditFilter,
    limit: u64,
) -> Result<Vec<audit_log::Model>, DbErr> {
    use audit_log::Column as C;
    let mut select = audit_log::Entity::find();
    if let Some(entity) = filter.entity {
        select = select.filter(C::Entity.eq(entity));
    }
    if let Some(entity_id) = filter.entity_id {
        select = select.filter(C::EntityId.eq(entity_id));
    }
    if let Some(actor_id) = filter.actor_id {
        select = select.filter(C::ActorId.eq(actor_id));
    }
    if let Some(action) = filter.action {
        select = select.filter(C::Action.eq(action));
    }
    if let Some(cursor) = filter.cursor {
        select = select.filter(C::Id.lt(cursor));
    }
    select.order_by_desc(C::Id).limit(limit).all(db).await
}
