//! Support mailboxes: their settings and how reading them last went.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, QueryOrder, Set};
use shared::api::{Mailbox, MailboxState, MailboxTls, NewMailbox};

use super::entity::mailbox;

fn to_wire(model: mailbox::Model) -> Mailbox {
    Mailbox {
        id: model.id,
        name: model.name,
        host: model.host,
        port: u16::try_from(model.port).unwrap_or_default(),
        tls: MailboxTls::parse(&model.tls).unwrap_or_default(),
        username: model.username,
        folder: model.folder,
        processed_folder: model.processed_folder,
        failed_folder: model.failed_folder,
        product_id: model.product_id,
        enabled: model.enabled,
        state: match model.state.as_deref() {
            Some("ok") => MailboxState::Ok,
            Some(_) => MailboxState::Failing,
            None => MailboxState::Unknown,
        },
        last_error: model.last_error,
        checked_at: model.checked_at,
        ingested: u64::try_from(model.ingested).unwrap_or_default(),
        failed: u64::try_from(model.failed).unwrap_or_default(),
    }
}

/// Every mailbox by id.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Mailbox>, DbErr> {
    Ok(mailbox::Entity::find()
        .order_by_asc(mailbox::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_wire)
        .collect())
}

/// The mailbox `id`, if there is one.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<Mailbox>, DbErr> {
    Ok(mailbox::Entity::find_by_id(id).one(db).await?.map(to_wire))
}

/// What the reader needs to open a mailbox: its settings with the password, and when they
/// last changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub mailbox: Mailbox,
    pub secret: String,
    pub updated_at: DateTime<Utc>,
}

/// Every mailbox with its password (enabled or not).
pub async fn settings(db: &impl ConnectionTrait) -> Result<Vec<Settings>, DbErr> {
    Ok(mailbox::Entity::find()
        .order_by_asc(mailbox::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|model| Settings {
            secret: model.secret.clone(),
            updated_at: model.updated_at,
            mailbox: to_wire(model),
        })
        .collect())
}

/// Stores a new mailbox with `secret`.
pub async fn insert(
    db: &impl ConnectionTrait,
    input: &NewMailbox,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Mailbox, DbErr> {
    let created = mailbox::ActiveModel {
        name: Set(input.name.clone()),
        host: Set(input.host.clone()),
        port: Set(i32::from(input.port)),
        tls: Set(input.tls.as_str().to_owned()),
        username: Set(input.username.clone()),
        secret: Set(secret.to_owned()),
        folder: Set(input.folder.clone()),
        processed_folder: Set(input.processed_folder.clone()),
        failed_folder: Set(input.failed_folder.clone()),
        product_id: Set(input.product_id),
        enabled: Set(input.enabled),
        created_at: Set(now),
        updated_at: Set(now),
        state: Set(None),
        last_error: Set(None),
        checked_at: Set(None),
        ingested: Set(0),
        failed: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(to_wire(created))
}

/// Replaces the mailbox `id` (its password only when `input` names one); `None` if there is no
/// such mailbox.
pub async fn update(
    db: &impl ConnectionTrait,
    id: i64,
    input: &NewMailbox,
    now: DateTime<Utc>,
) -> Result<Option<Mailbox>, DbErr> {
    let Some(found) = mailbox::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let mut row: mailbox::ActiveModel = found.into();
    row.name = Set(input.name.clone());
    row.host = Set(input.host.clone());
    row.port = Set(i32::from(input.port));
    row.tls = Set(input.tls.as_str().to_owned());
    row.username = Set(input.username.clone());
    if let Some(secret) = &input.secret {
        row.secret = Set(secret.clone());
    }
    row.folder = Set(input.folder.clone());
    row.processed_folder = Set(input.processed_folder.clone());
    row.failed_folder = Set(input.failed_folder.clone());
    row.product_id = Set(input.product_id);
    row.enabled = Set(input.enabled);
    row.updated_at = Set(now);
    Ok(Some(to_wire(row.update(db).await?)))
}

/// Removes the mailbox `id`; `false` if there is no such mailbox.
pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(mailbox::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected
        > 0)
}

/// Records how reading mailbox `id` went at `now` (`error` is `None` on success), adding to
/// its counts of ingested and failed messages.
pub async fn record(
    db: &impl ConnectionTrait,
    id: i64,
    error: Option<&str>,
    ingested: u64,
    failed: u64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let ingested = i64::try_from(ingested).unwrap_or(i64::MAX);
    let failed = i64::try_from(failed).unwrap_or(i64::MAX);
    db.execute(
        Query::update()
            .table("mailboxes")
            .value("state", if error.is_some() { "failing" } else { "ok" })
            .value("last_error", error)
            .value("checked_at", now)
            .value("ingested", Expr::col("ingested").add(ingested))
            .value("failed", Expr::col("failed").add(failed))
            .and_where(Expr::col("id").eq(id)),
    )
    .await?;
    Ok(())
}
