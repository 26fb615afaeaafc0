//! Webhook endpoints and their deliveries.
//!
//! [`enqueue`] runs wherever the event log grows, inside the action's transaction, so a
//! delivery exists exactly when its event does; [`crate::webhooks`] sends them after commit.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use shared::api::{
    DeliveryStatus, NewWebhook, Webhook, WebhookDelivery, WebhookEvent, WebhookPayload,
    WebhookTicket,
};

use super::entity::{ticket, ticket_event, webhook, webhook_delivery};

fn events_of(model: &webhook::Model) -> Vec<WebhookEvent> {
    serde_json::from_str(&model.events).unwrap_or_default()
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, DbErr> {
    serde_json::to_string(value).map_err(|error| DbErr::Custom(error.to_string()))
}

#[derive(FromQueryResult)]
struct Counts {
    webhook_id: i64,
    pending: i64,
    failed: i64,
}

/// Every endpoint by id, with how its deliveries stand.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Webhook>, DbErr> {
    let models = webhook::Entity::find()
        .order_by_asc(webhook::Column::Id)
        .all(db)
        .await?;
    let backend = db.get_database_backend();
    let counts = Counts::find_by_statement(backend.build(
        Query::select()
            .column("webhook_id")
            .expr_as(
                Expr::cust("SUM(CASE WHEN delivered_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END)"),
                "pending",
            )
            .expr_as(
                Expr::cust("SUM(CASE WHEN failed_at IS NULL THEN 0 ELSE 1 END)"),
                "failed",
            )
            .from("webhook_deliveries")
            .group_by_col("webhook_id"),
    ))
    .all(db)
    .await?;
    let counts: HashMap<i64, (i64, i64)> = counts
        .into_iter()
        .map(|row| (row.webhook_id, (row.pending, row.failed)))
        .collect();
    Ok(models
        .into_iter()
        .map(|model| {
            let (pending, failed) = counts.get(&model.id).copied().unwrap_or_default();
            to_wire(model, pending, failed)
        })
        .collect())
}

fn to_wire(model: webhook::Model, pending: i64, failed: i64) -> Webhook {
    Webhook {
        id: model.id,
        events: events_of(&model),
        url: model.url,
        internal: model.internal,
        enabled: model.enabled,
        created_at: model.created_at,
        pending: u64::try_from(pending).unwrap_or_default(),
        failed: u64::try_from(failed).unwrap_or_default(),
    }
}

/// The endpoint `id`, if there is one.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<Webhook>, DbErr> {
    Ok(list(db).await?.into_iter().find(|hook| hook.id == id))
}

/// Stores a new endpoint with `secret`.
pub async fn insert(
    db: &impl ConnectionTrait,
    input: &NewWebhook,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Webhook, DbErr> {
    let created = webhook::ActiveModel {
        url: Set(input.url.clone()),
        secret: Set(secret.to_owned()),
        events: Set(json(&input.events)?),
        internal: Set(input.internal),
        enabled: Set(input.enabled),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(to_wire(created, 0, 0))
}

/// Replaces the endpoint `id` (its secret only when `input` names one); `None` if there is no
/// such endpoint.
pub async fn update(
    db: &impl ConnectionTrait,
    id: i64,
    input: &NewWebhook,
    now: DateTime<Utc>,
) -> Result<Option<Webhook>, DbErr> {
    let Some(found) = webhook::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let mut row: webhook::ActiveModel = found.into();
    row.url = Set(input.url.clone());
    if let Some(secret) = &input.secret {
        row.secret = Set(secret.clone());
    }
    row.events = Set(json(&input.events)?);
    row.internal = Set(input.internal);
    row.enabled = Set(input.enabled);
    row.updated_at = Set(now);
    row.update(db).await?;
    find(db, id).await
}

/// Removes the endpoint `id` and its log; `false` if there is no such endpoint.
pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::WebhookId.eq(id))
        .exec(db)
        .await?;
    Ok(webhook::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected
        > 0)
}

/// Queues one delivery per enabled endpoint that subscribed to each of `events`, in the
/// caller's transaction. An internal note goes to internal endpoints only.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    events: &[ticket_event::Model],
) -> Result<(), DbErr> {
    let wanted: Vec<(&ticket_event::Model, WebhookEvent)> = events
        .iter()
        .filter_map(|event| WebhookEvent::of_event(&event.kind).map(|kind| (event, kind)))
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let endpoints = webhook::Entity::find()
        .filter(webhook::Column::Enabled.eq(true))
        .order_by_asc(webhook::Column::Id)
        .all(db)
        .await?;
    if endpoints.is_empty() {
        return Ok(());
    }
    let subscriptions: Vec<(i64, bool, Vec<WebhookEvent>)> = endpoints
        .iter()
        .map(|endpoint| (endpoint.id, endpoint.internal, events_of(endpoint)))
        .collect();
    let mut ticket_ids: Vec<i64> = wanted.iter().map(|(event, _)| event.ticket_id).collect();
    ticket_ids.sort_unstable();
    ticket_ids.dedup();
    let references: HashMap<i64, String> = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::Id)
        .column(ticket::Column::Reference)
        .filter(ticket::Column::Id.is_in(ticket_ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut rows = Vec::new();
    for (event, kind) in wanted {
        let note = kind == WebhookEvent::MessageAdded && event.internal;
        let payload = WebhookPayload {
            event: kind,
            event_kind: event.kind.clone(),
            event_id: event.id,
            at: event.at,
            internal: event.internal,
            ticket: WebhookTicket {
                id: event.ticket_id,
                reference: references
                    .get(&event.ticket_id)
                    .cloned()
                    .unwrap_or_default(),
            },
            data: serde_json::from_str(&event.payload).unwrap_or_default(),
        };
        let body = json(&payload)?;
        for (webhook_id, internal, subscribed) in &subscriptions {
            if !subscribed.contains(&kind) || (note && !internal) {
                continue;
            }
            rows.push(webhook_delivery::ActiveModel {
                webhook_id: Set(*webhook_id),
                ticket_id: Set(Some(event.ticket_id)),
                event_id: Set(Some(event.id)),
                event: Set(kind.as_str().to_owned()),
                body: Set(body.clone()),
                created_at: Set(event.at),
                attempts: Set(0),
                next_attempt_at: Set(event.at),
                ..Default::default()
            });
        }
    }
    if !rows.is_empty() {
        webhook_delivery::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// An enabled endpoint, as the worker needs it.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub id: i64,
    pub url: String,
    pub secret: String,
}

/// Every enabled endpoint.
pub async fn enabled(db: &impl ConnectionTrait) -> Result<Vec<Endpoint>, DbErr> {
    Ok(webhook::Entity::find()
        .filter(webhook::Column::Enabled.eq(true))
        .order_by_asc(webhook::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|model| Endpoint {
            id: model.id,
            url: model.url,
            secret: model.secret,
        })
        .collect())
}

/// A delivery still to make.
#[derive(Clone, Debug)]
pub struct Pending {
    pub id: i64,
    pub ticket_id: Option<i64>,
    pub event: String,
    pub body: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
}

/// Up to `limit` deliveries of endpoint `webhook_id` still to make, oldest first (due or not:
/// a ticket's later events wait behind one that is not due yet).
pub async fn pending(
    db: &impl ConnectionTrait,
    webhook_id: i64,
    limit: u64,
) -> Result<Vec<Pending>, DbErr> {
    Ok(webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::WebhookId.eq(webhook_id))
        .filter(webhook_delivery::Column::DeliveredAt.is_null())
        .filter(webhook_delivery::Column::FailedAt.is_null())
        .order_by_asc(webhook_delivery::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|model| Pending {
            id: model.id,
            ticket_id: model.ticket_id,
            event: model.event,
            body: model.body,
            attempts: model.attempts,
            next_attempt_at: model.next_attempt_at,
        })
        .collect())
}

/// How an attempt ended.
pub enum Outcome<'a> {
    Delivered {
        response_code: i32,
    },
    /// Failed; `retry_at` is when to try again, or `None` to give up.
    Failed {
        response_code: Option<i32>,
        error: &'a str,
        retry_at: Option<DateTime<Utc>>,
    },
}

/// Records an attempt at delivery `id`: the `attempts` so far and how the last one ended.
pub async fn record(
    db: &impl ConnectionTrait,
    id: i64,
    attempts: i32,
    outcome: Outcome<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut update = Query::update();
    update
        .table("webhook_deliveries")
        .value("attempts", attempts)
        .and_where(Expr::col("id").eq(id));
    match outcome {
        Outcome::Delivered { response_code } => {
            update
                .value("delivered_at", now)
                .value("response_code", response_code)
                .value("last_error", Option::<String>::None);
        }
        Outcome::Failed {
            response_code,
            error,
            retry_at,
        } => {
            update
                .value("response_code", response_code)
                .value("last_error", error);
            match retry_at {
                Some(at) => update.value("next_attempt_at", at),
                None => update.value("failed_at", now),
            };
        }
    }
    db.execute(&update).await?;
    Ok(())
}

/// The newest `limit` deliveries of endpoint `webhook_id`, newest first, before `cursor`.
pub async fn deliveries(
    db: &impl ConnectionTrait,
    webhook_id: i64,
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<WebhookDelivery>, DbErr> {
    let mut select = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::WebhookId.eq(webhook_id))
        .order_by_desc(webhook_delivery::Column::Id)
        .limit(limit);
    if let Some(before) = before {
        select = select.filter(webhook_delivery::Column::Id.lt(before));
    }
    let rows = select.all(db).await?;
    let mut ticket_ids: Vec<i64> = rows.iter().filter_map(|row| row.ticket_id).collect();
    ticket_ids.sort_unstable();
    ticket_ids.dedup();
    let references: HashMap<i64, String> = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::Id)
        .column(ticket::Column::Reference)
        .filter(ticket::Column::Id.is_in(ticket_ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let status = match (row.delivered_at, row.failed_at) {
                (Some(_), _) => DeliveryStatus::Delivered,
                (None, Some(_)) => DeliveryStatus::Failed,
                (None, None) => DeliveryStatus::Pending,
            };
            Some(WebhookDelivery {
                id: row.id,
                event: WebhookEvent::parse(&row.event)?,
                reference: row.ticket_id.and_then(|id| references.get(&id).cloned()),
                status,
                attempts: row.attempts,
                response_code: row.response_code,
                last_error: row.last_error,
                created_at: row.created_at,
                next_attempt_at: (status == DeliveryStatus::Pending).then_some(row.next_attempt_at),
                delivered_at: row.delivered_at,
            })
        })
        .collect())
}
