//! Administration: organisations and their watchers, contracts, accounts (with the contract's
//! account limit) and the audit log. Admins manage; supervisors read.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use serde::Deserialize;
use shared::api::{
    AuditEntry, AuditList, Contract, Meta, NewContract, NewOrganisation, NewUser, Organisation,
    SpecialRequests, UpdateContract, UpdateOrganisation, UpdateWatchers, User, UserWithPassword,
    WatcherList,
};
use shared::ticket::Role;

use crate::auth::{self, AuthUser};
use crate::db::admin::{self as a, AccountChange, AuditFilter, Terms};
use crate::db::entity::{organisation, user};
use crate::db::{self};
use crate::error::{Error, FieldErrors, Json, Result};
use crate::state::AppState;

/// The most watchers one organisation may have.
const MAX_WATCHERS: usize = 200;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/organisations",
            get(list_organisations).post(create_organisation),
        )
        .route("/admin/organisations/{id}", patch(update_organisation))
        .route(
            "/admin/organisations/{id}/watchers",
            get(list_watchers).put(update_watchers),
        )
        .route(
            "/admin/contracts",
            get(list_contracts).post(create_contract),
        )
        .route("/admin/contracts/{id}", patch(update_contract))
        .route("/admin/users", get(list_users).post(create_user))
        .route("/admin/users/{id}/deactivate", post(deactivate_user))
        .route(
            "/admin/users/{id}/reset-password",
            post(reset_user_password),
        )
        .route("/admin/audit", get(list_audit_entries))
}

fn organisation_to_wire(model: organisation::Model) -> Organisation {
    Organisation {
        id: model.id,
        name: model.name,
        on_expiry: model.on_expiry,
        created_at: model.created_at,
    }
}

fn user_to_wire(model: user::Model) -> Result<User> {
    Ok(User {
        role: db::role_of(&model)?,
        id: model.id,
        email: model.email,
        name: model.name,
        organisation_id: model.organisation_id,
        active: model.active,
        locale: model.locale,
        time_zone: model.time_zone,
    })
}

async fn list_organisations(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<Vec<Organisation>>> {
    user.require_manager()?;
    Ok(Json(
        a::organisations(&state.db)
            .await?
            .into_iter()
            .map(organisation_to_wire)
            .collect(),
    ))
}

async fn create_organisation(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<NewOrganisation>,
) -> Result<Response> {
    user.require_admin()?;
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > crate::validate::MAX_NAME {
        return Err(Error::field("name", "between 1 and 200 characters"));
    }
    let on_expiry = input.on_expiry.unwrap_or_else(|| "unqualified".into());
    if !matches!(on_expiry.as_str(), "unqualified" | "block") {
        return Err(Error::field("on_expiry", "unqualified or block"));
    }
    let now = state.clock.now();
    let txn = crate::db::begin(&state.db).await?;
    let created = a::insert_organisation(&txn, name, on_expiry, now)
        .await
        .map_err(Error::unique(
            "name",
            "an organisation with this name exists",
        ))?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "organisation.create",
        "organisation",
        created.id,
        serde_json::json!({ "name": created.name }),
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(organisation_to_wire(created))).into_response())
}

/// `PATCH /api/admin/organisations/{id}`: rename, or change what happens without a contract.
async fn update_organisation(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
    Json(input): Json<UpdateOrganisation>,
) -> Result<Json<Organisation>> {
    user.require_admin()?;
    let name = match &input.name {
        Some(name) => {
            let name = name.trim().to_owned();
            if name.is_empty() || name.chars().count() > crate::validate::MAX_NAME {
                return Err(Error::field("name", "between 1 and 200 characters"));
            }
            Some(name)
        }
        None => None,
    };
    if let Some(on_expiry) = &input.on_expiry
        && !matches!(on_expiry.as_str(), "unqualified" | "block")
    {
        return Err(Error::field("on_expiry", "unqualified or block"));
    }
    let now = state.clock.now();
    let txn = crate::db::begin(&state.db).await?;
    let found = db::find_organisation(&txn, id)
        .await?
        .ok_or(Error::NotFound)?;
    let before = serde_json::json!({ "name": found.name, "on_expiry": found.on_expiry });
    let updated = a::update_organisation(&txn, found, name, input.on_expiry.clone())
        .await
        .map_err(Error::unique(
            "name",
            "an organisation with this name exists",
        ))?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "organisation.update",
        "organisation",
        id,
        serde_json::json!({
            "before": before,
            "after": { "name": updated.name, "on_expiry": updated.on_expiry },
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(organisation_to_wire(updated)))
}

/// `GET /api/admin/organisations/{id}/watchers`: who hears of every ticket of the organisation.
async fn list_watchers(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<WatcherList>> {
    user.require_manager()?;
    db::find_organisation(&state.db, id)
        .await?
        .ok_or(Error::NotFound)?;
    let watchers = db::watchers::list(&state.db, id).await?;
    Ok(Json(WatcherList {
        watchers: watchers
            .into_iter()
            .map(user_to_wire)
            .collect::<Result<_>>()?,
        meta: Meta::default(),
    }))
}

/// Why `candidate` cannot watch `organisation_id`, if it cannot: only active accounts, and of
/// customers only the organisation's own (a customer never hears of another organisation).
fn watcher_refusal(candidate: &user::Model, organisation_id: i64) -> Option<String> {
    if !candidate.active {
        Some(format!("account {} is deactivated", candidate.id))
    } else if candidate.role == Role::Customer.as_str()
        && candidate.organisation_id != Some(organisation_id)
    {
        Some(format!(
            "account {} is a customer of another organisation",
            candidate.id
        ))
    } else {
        None
    }
}

/// `PUT /api/admin/organisations/{id}/watchers` `{user_ids}`: replaces the whole set, audited,
/// in one transaction.
async fn update_watchers(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
    Json(input): Json<UpdateWatchers>,
) -> Result<Json<WatcherList>> {
    user.require_admin()?;
    let mut user_ids = input.user_ids;
    user_ids.sort_unstable();
    user_ids.dedup();
    let now = state.clock.now();
    let txn = crate::db::begin(&state.db).await?;
    db::find_organisation(&txn, id)
        .await?
        .ok_or(Error::NotFound)?;
    if user_ids.len() > MAX_WATCHERS {
        return Err(Error::field(
            "user_ids",
            format!("at most {MAX_WATCHERS} watchers"),
        ));
    }
    let candidates = a::users_by_ids(&txn, &user_ids).await?;
    let problems: Vec<String> = user_ids
        .iter()
        .filter_map(
            |&user_id| match candidates.iter().find(|c| c.id == user_id) {
                None => Some(format!("no account with id {user_id}")),
                Some(candidate) => watcher_refusal(candidate, id),
            },
        )
        .collect();
    if !problems.is_empty() {
        return Err(Error::field("user_ids", problems.join("; ")));
    }
    let mut before: Vec<i64> = db::watchers::list(&txn, id)
        .await?
        .into_iter()
        .map(|watcher| watcher.id)
        .collect();
    before.sort_unstable();
    db::watchers::replace(&txn, id, &user_ids, now).await?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "organisation.watchers",
        "organisation",
        id,
        serde_json::json!({ "before": before, "after": user_ids }),
    )
    .await?;
    let watchers = db::watchers::list(&txn, id).await?;
    txn.commit().await?;
    Ok(Json(WatcherList {
        watchers: watchers
            .into_iter()
            .map(user_to_wire)
            .collect::<Result<_>>()?,
        meta: Meta::default(),
    }))
}

async fn list_contracts(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<Vec<Contract>>> {
    user.require_manager()?;
    let rows = a::contracts(&state.db).await?;
    Ok(Json(contracts_to_wire(&state.db, rows).await?))
}

/// Contract rows as the API shows them: the plan's key, the pinned version and the current one.
async fn contracts_to_wire(
    db: &impl crate::db::ConnectionTrait,
    rows: Vec<crate::db::entity::contract::Model>,
) -> Result<Vec<Contract>> {
    let plans = a::plans_by_id(db).await?;
    let version_ids = rows
        .iter()
        .filter_map(|row| row.plan_version_id)
        .chain(plans.values().filter_map(|plan| plan.current_version_id));
    let numbers = a::plan_version_numbers(db, version_ids.collect::<Vec<_>>()).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let plan = plans.get(&row.plan_id);
            let current_id = plan.and_then(|plan| plan.current_version_id);
            let pinned_id = row.plan_version_id.or(current_id);
            let version = |id: Option<i64>| id.and_then(|id| numbers.get(&id).copied());
            Contract {
                id: row.id,
                organisation_id: row.organisation_id,
                plan: plan.map(|plan| plan.key.clone()).unwrap_or_default(),
                valid_from: row.valid_from,
                valid_to: row.valid_to,
                account_limit: row.account_limit,
                plan_version: version(pinned_id),
                current_plan_version: version(current_id),
                newer_plan_version: pinned_id != current_id,
                special_requests: SpecialRequests::from_name(&row.special_requests),
            }
        })
        .collect())
}

/// One contract row as the API shows it.
async fn contract_to_wire(
    db: &impl crate::db::ConnectionTrait,
    row: crate::db::entity::contract::Model,
) -> Result<Contract> {
    contracts_to_wire(db, vec![row])
        .await?
        .pop()
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("a contract row went missing")))
}

async fn create_contract(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<NewContract>,
) -> Result<Response> {
    user.require_admin()?;
    let mut errors = FieldErrors::new();
    if input.valid_to < input.valid_from {
        errors.insert("valid_to".into(), "must not be before valid_from".into());
    }
    if !(1..=10_000).contains(&input.account_limit) {
        errors.insert("account_limit".into(), "between 1 and 10000".into());
    }
    if db::find_organisation(&state.db, input.organisation_id)
        .await?
        .is_none()
    {
        errors.insert("organisation_id".into(), "no such organisation".into());
    }
    let plan = a::plan_by_key(&state.db, &input.plan).await?;
    if plan.is_none() {
        errors.insert("plan".into(), "no plan with this key".into());
    }
    let Some(plan) = plan.filter(|_| errors.is_empty()) else {
        return Err(Error::Validation(errors));
    };
    let now = state.clock.now();
    let txn = crate::db::begin(&state.db).await?;
    let terms = Terms {
        plan_id: plan.id,
        plan_version_id: plan.current_version_id,
        special_requests: input.special_requests.unwrap_or_default(),
        valid_from: input.valid_from,
        valid_to: input.valid_to,
        account_limit: input.account_limit,
    };
    let created = a::insert_contract(&txn, input.organisation_id, terms, now).await?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "contract.create",
        "contract",
        created.id,
        serde_json::to_value(&input).unwrap_or_default(),
    )
    .await?;
    txn.commit().await?;
    let created = contract_to_wire(&state.db, created).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// `PATCH /api/admin/contracts/{id}`: a later `valid_to` is recorded as `contract.renew`, one
/// before today as `contract.expire`, anything else as `contract.update`.
async fn update_contract(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
    Json(input): Json<UpdateContract>,
) -> Result<Json<Contract>> {
    user.require_admin()?;
    let found = a::find_contract(&state.db, id)
        .await?
        .ok_or(Error::NotFound)?;
    let valid_from = input.valid_from.unwrap_or(found.valid_from);
    let valid_to = input.valid_to.unwrap_or(found.valid_to);
    let account_limit = input.account_limit.unwrap_or(found.account_limit);
    let mut errors = FieldErrors::new();
    if valid_to < valid_from {
        errors.insert("valid_to".into(), "must not be before valid_from".into());
    }
    if !(1..=10_000).contains(&account_limit) {
        errors.insert("account_limit".into(), "between 1 and 10000".into());
    }
    let plan = match &input.plan {
        Some(key) => {
            let found = a::plan_by_key(&state.db, key).await?;
            if found.is_none() {
                errors.insert("plan".into(), "no plan with this key".into());
            }
            found
        }
        None => a::plan_by_id(&state.db, found.plan_id).await?,
    };
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let plan = plan.ok_or_else(|| Error::Internal(anyhow::anyhow!("contract {id} has no plan")))?;
    let now = state.clock.now();
    let today = crate::db::contract_day(now);
    let action = if valid_to > found.valid_to {
        "contract.renew"
    } else if valid_to < found.valid_to && valid_to < today {
        "contract.expire"
    } else {
        "contract.update"
    };
    // Naming a plan, even the same one, pins its current version.
    let plan_version_id = if input.plan.is_some() {
        plan.current_version_id
    } else {
        found.plan_version_id
    };
    let before = serde_json::json!({
        "plan_id": found.plan_id,
        "plan_version_id": found.plan_version_id,
        "special_requests": found.special_requests,
        "valid_from": found.valid_from,
        "valid_to": found.valid_to,
        "account_limit": found.account_limit,
    });
    let txn = crate::db::begin(&state.db).await?;
    let special_requests = input
        .special_requests
        .unwrap_or_else(|| SpecialRequests::from_name(&found.special_requests));
    let terms = Terms {
        plan_id: plan.id,
        plan_version_id,
        special_requests,
        valid_from,
        valid_to,
        account_limit,
    };
    let updated = a::update_contract(&txn, found, terms).await?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        action,
        "contract",
        id,
        serde_json::json!({
            "organisation_id": updated.organisation_id,
            "before": before,
            "after": {
                "plan_id": updated.plan_id,
                "plan_version_id": updated.plan_version_id,
                "special_requests": updated.special_requests,
                "valid_from": updated.valid_from,
                "valid_to": updated.valid_to,
                "account_limit": updated.account_limit,
            },
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(contract_to_wire(&state.db, updated).await?))
}

#[derive(Debug, Default, Deserialize)]
struct UserQuery {
    organisation_id: Option<i64>,
}

async fn list_users(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<UserQuery>,
) -> Result<Json<Vec<User>>> {
    user.require_manager()?;
    Ok(Json(
        a::users(&state.db, query.organisation_id)
            .await?
            .into_iter()
            .map(user_to_wire)
            .collect::<Result<_>>()?,
    ))
}

fn one_time_password() -> String {
    let bytes: [u8; 9] = rand::random();
    hex::encode(bytes)
}

/// `POST /api/admin/users`: a customer account counts against the account limit of the
/// organisation's contract in force (422 past it).
async fn create_user(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<NewUser>,
) -> Result<Response> {
    user.require_admin()?;
    let mut errors = FieldErrors::new();
    let email = input.email.trim().to_lowercase();
    if let Some(message) = crate::validate::email(&email) {
        errors.insert("email".into(), message);
    }
    if let Some(message) = crate::validate::name(&input.name) {
        errors.insert("name".into(), message);
    }
    if let Some(message) = input.locale.as_deref().and_then(crate::validate::locale) {
        errors.insert("locale".into(), message);
    }
    if let Some(message) = input
        .time_zone
        .as_deref()
        .and_then(crate::validate::time_zone)
    {
        errors.insert("time_zone".into(), message);
    }
    match (input.role, input.organisation_id) {
        (Role::Customer, None) => {
            errors.insert(
                "organisation_id".into(),
                "a customer belongs to an organisation".into(),
            );
        }
        (Role::Customer, Some(_)) | (_, None) => {}
        (_, Some(_)) => {
            errors.insert(
                "organisation_id".into(),
                "staff belong to no organisation".into(),
            );
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let now = state.clock.now();
    let password = one_time_password();
    let hash = {
        let password = password.clone();
        tokio::task::spawn_blocking(move || auth::hash_password(&password))
            .await
            .map_err(|error| Error::Internal(error.into()))??
    };
    let txn = crate::db::begin(&state.db).await?;
    if let Some(organisation_id) = input.organisation_id {
        let today = crate::db::contract_day(now);
        let Some((contract, accounts)) = a::contract_in_force(&txn, organisation_id, today).await?
        else {
            return Err(Error::field(
                "organisation_id",
                "the organisation has no contract in force",
            ));
        };
        if accounts >= u64::try_from(contract.account_limit).unwrap_or(0) {
            return Err(Error::field(
                "organisation_id",
                format!(
                    "the contract allows {} accounts and all are in use",
                    contract.account_limit
                ),
            ));
        }
    }
    let account = a::NewAccount {
        email,
        name: input.name.trim().to_owned(),
        password_hash: hash,
        role: input.role,
        organisation_id: input.organisation_id,
        locale: input.locale.clone().unwrap_or_else(|| "en".into()),
        time_zone: input
            .time_zone
            .clone()
            .unwrap_or_else(|| "Europe/Moscow".into()),
        must_change_password: true,
    };
    let created = a::insert_user(&txn, account, now)
        .await
        .map_err(Error::unique(
            "email",
            "an account with this address exists",
        ))?;
    db::audit(
        &txn,
        now,
        Some(user.id),
        "user.create",
        "user",
        created.id,
        serde_json::json!({ "email": created.email, "role": created.role }),
    )
    .await?;
    txn.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(UserWithPassword {
            user: user_to_wire(created)?,
            password,
        }),
    )
        .into_response())
}

async fn deactivate_user(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<User>> {
    user.require_admin()?;
    if id == user.id {
        return Err(Error::conflict("you cannot deactivate your own account"));
    }
    let updated = change_user(
        &state,
        &user,
        id,
        "user.deactivate",
        AccountChange::Deactivate,
    )
    .await?;
    crate::sessions::end(&state, id, None, None).await?;
    Ok(Json(user_to_wire(updated)?))
}

/// Changes one account and writes the audit entry, in one transaction.
async fn change_user(
    state: &AppState,
    actor: &AuthUser,
    id: i64,
    action: &str,
    change: AccountChange,
) -> Result<user::Model> {
    let txn = crate::db::begin(&state.db).await?;
    let updated = a::update_user(&txn, id, change)
        .await?
        .ok_or(Error::NotFound)?;
    db::audit(
        &txn,
        state.clock.now(),
        Some(actor.id),
        action,
        "user",
        id,
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

async fn reset_user_password(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<UserWithPassword>> {
    user.require_admin()?;
    let password = one_time_password();
    let hash = {
        let password = password.clone();
        tokio::task::spawn_blocking(move || auth::hash_password(&password))
            .await
            .map_err(|error| Error::Internal(error.into()))??
    };
    let change = AccountChange::Password(hash);
    let updated = change_user(&state, &user, id, "user.reset_password", change).await?;
    crate::sessions::end(&state, id, None, None).await?;
    Ok(Json(UserWithPassword {
        user: user_to_wire(updated)?,
        password,
    }))
}

#[derive(Debug, Default, Deserialize)]
struct AuditQuery {
    entity: Option<String>,
    entity_id: Option<String>,
    actor_id: Option<i64>,
    action: Option<String>,
    cursor: Option<i64>,
    limit: Option<u64>,
}

/// `GET /api/admin/audit`: newest first, filterable, keyset-paged.
async fn list_audit_entries(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<AuditQuery>,
) -> Result<Json<AuditList>> {
    user.require_manager()?;
    let limit = query.limit.unwrap_or(100).clamp(1, 500);
    let filter = AuditFilter {
        entity: query.entity,
        entity_id: query.entity_id,
        actor_id: query.actor_id,
        action: query.action,
        cursor: query.cursor,
    };
    let mut rows = a::audit_entries(&state.db, filter, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = if more {
        rows.last().map(|row| row.id.to_string())
    } else {
        None
    };
    Ok(Json(AuditList {
        entries: rows
            .into_iter()
            .map(|row| AuditEntry {
                id: row.id,
                at: row.at,
                actor_id: row.actor_id,
                action: row.action,
                entity: row.entity,
                entity_id: row.entity_id,
                details: serde_json::from_str(&row.details).unwrap_or_default(),
            })
            .collect(),
        meta: Meta { next_cursor },
    }))
}
