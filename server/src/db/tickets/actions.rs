//! What the lifecycle actions write besides events and messages: the ticket row's changed
//! columns, ratings, followers, known-error links, reclassification proposals, the
//! organisation's service in force and a mailed change's attachments.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use shared::api::{Attachment, Hold};
use shared::sla::Clocks;
use shared::ticket::{Classification, Status};

use super::{PlanVersion, built_plan_version, set_derived, update_if_version};
use crate::db::entity::{
    attachment, contract, organisation, plan, plan_version, reclassification, ticket,
};

/// The columns an action changes on a ticket row; `None` leaves a column as it is. The status,
/// whether the ticket is open, the time of the change and the derived columns are always
/// written.
#[derive(Clone, Debug, Default)]
pub struct TicketChange {
    pub assignee_id: Option<Option<i64>>,
    pub tier: Option<i16>,
    pub resolved_at: Option<Option<DateTime<Utc>>>,
    pub closed_at: Option<Option<DateTime<Utc>>>,
    pub close_reason: Option<Option<String>>,
    pub reopen_count: Option<i32>,
    pub classification: Option<Classification>,
    pub special_requested: Option<bool>,
    /// The hold a `hold` action starts; any status but `on_hold` clears the stored one.
    pub hold: Option<Hold>,
}

/// Writes `change` and the new `status` to the ticket if it is still at `version`, with the
/// derived columns from `clocks`. Returns whether it was written.
pub async fn write_change(
    db: &impl ConnectionTrait,
    ticket_id: i64,
    version: i32,
    status: Status,
    change: TicketChange,
    clocks: Option<&Clocks>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut model = ticket::ActiveModel {
        status: Set(status.as_str().to_owned()),
        updated_at: Set(now),
        open: Set(status.is_active()),
        ..Default::default()
    };
    if let Some(assignee_id) = change.assignee_id {
        model.assignee_id = Set(assignee_id);
    }
    if let Some(tier) = change.tier {
        model.tier = Set(tier);
    }
    if let Some(resolved_at) = change.resolved_at {
        model.resolved_at = Set(resolved_at);
    }
    if let Some(closed_at) = change.closed_at {
        model.closed_at = Set(closed_at);
    }
    if let Some(close_reason) = change.close_reason {
        model.close_reason = Set(close_reason);
    }
    if let Some(reopen_count) = change.reopen_count {
        model.reopen_count = Set(reopen_count);
    }
    if let Some(classification) = change.classification {
        model.category = Set(classification.category.code().to_owned());
        model.severity = Set(severity_number(&classification));
        model.special = Set(classification.special);
    }
    if let Some(requested) = change.special_requested {
        model.special_requested = Set(requested);
    }
    if status != Status::OnHold {
        model.hold_kind = Set(None);
        model.hold_reason = Set(None);
        model.hold_until = Set(None);
    } else if let Some(hold) = change.hold {
        model.hold_kind = Set(Some(hold.kind.as_str().to_owned()));
        model.hold_reason = Set(Some(hold.reason));
        model.hold_until = Set(hold.until);
    }
    set_derived(&mut model, clocks, now);
    update_if_version(db, ticket_id, version, model).await
}

fn severity_number(classification: &Classification) -> Option<i16> {
    classification.severity.map(|s| i16::from(s.number()))
}

pub async fn find_ticket_by_id(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<ticket::Model>, DbErr> {
    ticket::Entity::find_by_id(id).one(db).await
}

/// Links a known error to a ticket (once). Returns false if there is no such known error.
pub async fn link_known_error(
    db: &impl ConnectionTrait,
    ticket_id: i64,
    known_error_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let exists = Query::select()
        .column("id")
        .from("known_errors")
        .and_where(Expr::col("id").eq(known_error_id))
        .to_owned();
    if db.query_one(&exists).await?.is_none() {
        return Ok(false);
    }
    let insert = Query::insert()
        .into_table("ticket_known_errors")
        .columns(["ticket_id", "known_error_id", "linked_by", "linked_at"])
        .values_panic([
            ticket_id.into(),
            known_error_id.into(),
            user_id.into(),
            now.into(),
        ])
        .on_conflict(
            OnConflict::columns(["ticket_id", "known_error_id"])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    db.execute(&insert).await?;
    Ok(true)
}

/// Whether the ticket has its rating.
pub async fn is_rated(db: &impl ConnectionTrait, ticket_id: i64) -> Result<bool, DbErr> {
    let existing = Query::select()
        .column("id")
        .from("ratings")
        .and_where(Expr::col("ticket_id").eq(ticket_id))
        .to_owned();
    Ok(db.query_one(&existing).await?.is_some())
}

/// Stores the ticket's one rating. Returns false if it is already rated.
pub async fn rate_once(
    db: &impl ConnectionTrait,
    ticket_id: i64,
    user_id: i64,
    score: i16,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    if is_rated(db, ticket_id).await? {
        return Ok(false);
    }
    let insert = Query::insert()
        .into_table("ratings")
        .columns(["ticket_id", "user_id", "score", "comment", "created_at"])
        .values_panic([
            ticket_id.into(),
            user_id.into(),
            score.into(),
            comment.into(),
            now.into(),
        ])
        .to_owned();
    db.execute(&insert).await?;
    Ok(true)
}

/// Makes `user_id` a follower of the ticket (or stops it), idempotently.
pub async fn set_following(
    db: &impl ConnectionTrait,
    ticket_id: i64,
    user_id: i64,
    follow: bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if follow {
        let insert = Query::insert()
            .into_table("followers")
            .columns(["ticket_id", "user_id", "created_at"])
            .values_panic([ticket_id.into(), user_id.into(), now.into()])
            .on_conflict(
                OnConflict::columns(["ticket_id", "user_id"])
                    .do_nothing()
                    .to_owned(),
            )
            .to_owned();
        db.execute(&insert).await?;
    } else {
        let delete = Query::delete()
            .from_table("followers")
            .and_where(Expr::col("ticket_id").eq(ticket_id))
            .and_where(Expr::col("user_id").eq(user_id))
            .to_owned();
        db.execute(&delete).await?;
    }
    Ok(())
}

/// A reclassification proposal as stored.
#[derive(Clone, Debug)]
pub struct Proposal {
    pub id: i64,
    pub ticket_id: i64,
    pub from: Option<Classification>,
    pub to: Option<Classification>,
    pub reason: String,
    pub status: String,
    pub proposed_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl Proposal {
    fn of(row: reclassification::Model, special: bool) -> Proposal {
        Proposal {
            id: row.id,
            ticket_id: row.ticket_id,
            from: super::stored_classification(&row.from_category, row.from_severity, special),
            to: super::stored_classification(&row.to_category, row.to_severity, special),
            reason: row.reason,
            status: row.status,
            proposed_by: row.proposed_by,
            created_at: row.created_at,
            decided_at: row.decided_at,
        }
    }
}

/// Stores a pending proposal; returns its id.
pub async fn insert_proposal(
    db: &impl ConnectionTrait,
    ticket_id: i64,
    proposed_by: i64,
    from: &Classification,
    to: &Classification,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let created = reclassification::ActiveModel {
        ticket_id: Set(ticket_id),
        proposed_by: Set(Some(proposed_by)),
        from_category: Set(from.category.code().to_owned()),
        from_severity: Set(severity_number(from)),
        to_category: Set(to.category.code().to_owned()),
        to_severity: Set(severity_number(to)),
        reason: Set(reason.to_owned()),
        status: Set("pending".to_owned()),
        created_at: Set(now),
        decided_at: Set(None),
        decided_by: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(created.id)
}

/// The proposal `id`, its classifications read with the ticket's `special` flag.
pub async fn find_proposal(
    db: &impl ConnectionTrait,
    id: i64,
    special: bool,
) -> Result<Option<Proposal>, DbErr> {
    Ok(reclassification::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|row| Proposal::of(row, special)))
}

/// The ticket of proposal `id`, if both exist.
pub async fn proposal_ticket_id(db: &impl ConnectionTrait, id: i64) -> Result<Option<i64>, DbErr> {
    Ok(reclassification::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|row| row.ticket_id))
}

/// Records the decision on a pending proposal. Returns false if it was already decided.
pub async fn decide_proposal(
    db: &impl ConnectionTrait,
    id: i64,
    accepted: bool,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = reclassification::Entity::update_many()
        .col_expr(
            reclassification::Column::Status,
            Expr::value(if accepted { "accepted" } else { "rejected" }),
        )
        .col_expr(reclassification::Column::DecidedAt, Expr::value(now))
        .col_expr(reclassification::Column::DecidedBy, Expr::value(user_id))
        .filter(reclassification::Column::Id.eq(id))
        .filter(reclassification::Column::Status.eq("pending"))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The ticket's proposals, oldest first.
pub async fn proposals(
    db: &impl ConnectionTrait,
    ticket_id: i64,
    special: bool,
) -> Result<Vec<Proposal>, DbErr> {
    Ok(reclassification::Entity::find()
        .filter(reclassification::Column::TicketId.eq(ticket_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| Proposal::of(row, special))
        .collect())
}

/// An attachment as the wire shows it.
pub fn attachment_to_wire(model: attachment::Model) -> Attachment {
    Attachment {
        id: model.id,
        file_name: model.file_name,
        content_type: model.content_type,
        size: model.size,
        uploader_id: model.uploader_id,
        created_at: model.created_at,
        first_downloaded_at: model.first_downloaded_at,
    }
}

/// The ticket's attachments.
pub async fn attachments(
    db: &impl ConnectionTrait,
    ticket_id: i64,
) -> Result<Vec<Attachment>, DbErr> {
    Ok(attachment::Entity::find()
        .filter(attachment::Column::TicketId.eq(ticket_id))
        .all(db)
        .await?
        .into_iter()
        .map(attachment_to_wire)
        .collect())
}

/// A file stored with a ticket (content already in the data folder).
pub struct NewAttachment<'a> {
    pub ticket_id: i64,
    pub message_id: Option<i64>,
    pub uploader_id: Option<i64>,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
}

/// Stores an attachment row; returns it as stored.
pub async fn insert_attachment(
    db: &impl ConnectionTrait,
    file: NewAttachment<'_>,
    now: DateTime<Utc>,
) -> Result<attachment::Model, DbErr> {
    attachment::ActiveModel {
        ticket_id: Set(file.ticket_id),
        message_id: Set(file.message_id),
        uploader_id: Set(file.uploader_id),
        file_name: Set(file.file_name.to_owned()),
        content_type: Set(file.content_type.to_owned()),
        size: Set(file.size),
        sha256: Set(file.sha256.to_owned()),
        created_at: Set(now),
        first_downloaded_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// An organisation's name and service on a contract day: the plan version of the contract in
/// force, if any, and what happens without one (`on_expiry`).
pub struct ServiceRow {
    pub organisation_name: String,
    pub on_expiry: String,
    pub plan: Option<Arc<PlanVersion>>,
    /// The contract's `special_requests` (`None` without a contract in force).
    pub special_requests: Option<String>,
}

/// The organisation, the contract in force on `today` and the plan version it pins (its plan's
/// current version for a contract that pins none), in one query; `None` for an unknown organisation.
pub async fn service_on(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    today: chrono::NaiveDate,
) -> Result<Option<ServiceRow>, DbErr> {
    let in_force = Query::select()
        .column((organisation::Entity, organisation::Column::Name))
        .column((organisation::Entity, organisation::Column::OnExpiry))
        .expr_as(Expr::col((plan::Entity, plan::Column::Key)), "plan_key")
        .expr_as(Expr::col((plan::Entity, plan::Column::Name)), "plan_name")
        .column((plan_version::Entity, plan_version::Column::Id))
        .column((plan_version::Entity, plan_version::Column::Spec))
        .column((contract::Entity, contract::Column::SpecialRequests))
        .from(organisation::Entity)
        .left_join(
            contract::Entity,
            Expr::col((contract::Entity, contract::Column::OrganisationId))
                .equals((organisation::Entity, organisation::Column::Id))
                .and(Expr::col((contract::Entity, contract::Column::ValidFrom)).lte(today))
                .and(Expr::col((contract::Entity, contract::Column::ValidTo)).gte(today)),
        )
        .left_join(
            plan::Entity,
            Expr::col((plan::Entity, plan::Column::Id))
                .equals((contract::Entity, contract::Column::PlanId)),
        )
        .left_join(
            plan_version::Entity,
            Expr::col((plan_version::Entity, plan_version::Column::Id)).eq(Func::coalesce([
                Expr::col((contract::Entity, contract::Column::PlanVersionId)),
                Expr::col((plan::Entity, plan::Column::CurrentVersionId)),
            ])),
        )
        .and_where(Expr::col((organisation::Entity, organisation::Column::Id)).eq(organisation_id))
        .limit(1)
        .to_owned();
    let Some(row) = db.query_one(&in_force).await? else {
        return Ok(None);
    };
    let plan = match row.try_get::<Option<i64>>("", "id")? {
        Some(id) => Some(built_plan_version(
            id,
            row.try_get("", "plan_key")?,
            row.try_get("", "plan_name")?,
            row.try_get("", "spec")?,
        )?),
        None => None,
    };
    Ok(Some(ServiceRow {
        organisation_name: row.try_get("", "name")?,
        on_expiry: row.try_get("", "on_expiry")?,
        plan,
        special_requests: row.try_get("", "special_requests")?,
    }))
}

pub async fn find_attachment(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<attachment::Model>, DbErr> {
    attachment::Entity::find_by_id(id).one(db).await
}

/// Records the first download of attachment `id`; only the first sets it, even when two race.
pub async fn mark_first_download(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    attachment::Entity::update_many()
        .col_expr(attachment::Column::FirstDownloadedAt, Expr::value(now))
        .filter(attachment::Column::Id.eq(id))
        .filter(attachment::Column::FirstDownloadedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
