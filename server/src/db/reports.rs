//! Report queries: every figure is aggregated by the database (`GROUP BY`, `SUM(CASE …)`),
//! never by loading tickets; `shared::report` turns the counts into percentages and CSV.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use shared::report::{Breach, GroupBy, MAX_BREACHES, Period, SlaCounts};
use shared::sla::{ClockKind, Clocks};

use super::entity::{organisation, plan, plan_version, ticket, ticket_event, user};
use super::tickets as q;

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

async fn rows<T: FromQueryResult>(
    db: &impl ConnectionTrait,
    query: &SelectStatement,
) -> Result<Vec<T>, DbErr> {
    T::find_by_statement(db.get_database_backend().build(query))
        .all(db)
        .await
}

/// How many tickets are stored and how many distinct references they carry (equal unless a
/// reference was handed out twice).
pub async fn reference_counts(db: &impl ConnectionTrait) -> Result<(i64, i64), DbErr> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS tickets, COUNT(DISTINCT reference) AS distinct_references \
             FROM tickets",
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the ticket count".into()))?;
    Ok((
        row.try_get("", "tickets")?,
        row.try_get("", "distinct_references")?,
    ))
}

fn sum_where(condition: &str) -> Expr {
    Expr::cust(format!(
        "COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)"
    ))
}

/// Tickets registered in `period` with their final first-response and resolution outcomes,
/// per group.
pub async fn sla_counts(
    db: &impl ConnectionTrait,
    period: &Period,
    group_by: GroupBy,
) -> Result<Vec<SlaCounts>, DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        key: Option<String>,
        label: Option<String>,
        tickets: i64,
        first_response_met: i64,
        first_response_breached: i64,
        resolution_met: i64,
        resolution_breached: i64,
    }
    let mut query = Query::select();
    query
        .from(ticket::Entity)
        .and_where(Expr::col((ticket::Entity, ticket::Column::RegisteredAt)).gte(period.start()))
        .and_where(Expr::col((ticket::Entity, ticket::Column::RegisteredAt)).lt(period.end()));
    group_columns(&mut query, group_by);
    outcome_sums(&mut query);
    Ok(rows::<Row>(db, &query)
        .await?
        .into_iter()
        .map(|row| SlaCounts {
            label: row.label.unwrap_or_else(|| match (group_by, &row.key) {
                (GroupBy::Agent, None) => "Unassigned".to_owned(),
                (_, key) => key.clone().unwrap_or_default(),
            }),
            key: row.key,
            tickets: count(row.tickets),
            first_response_met: count(row.first_response_met),
            first_response_breached: count(row.first_response_breached),
            resolution_met: count(row.resolution_met),
            resolution_breached: count(row.resolution_breached),
        })
        .collect())
}

/// The key, the label and the grouping of a report by `group_by`.
fn group_columns(query: &mut SelectStatement, group_by: GroupBy) {
    match group_by {
        GroupBy::Organisation => {
            query
                .expr_as(
                    Expr::cust("CAST(tickets.organisation_id AS TEXT)"),
                    Alias::new("key"),
                )
                .expr_as(
                    Expr::col((organisation::Entity, organisation::Column::Name)),
                    Alias::new("label"),
                )
                .join(
                    JoinType::LeftJoin,
                    organisation::Entity,
                    Expr::col((organisation::Entity, organisation::Column::Id))
                        .equals((ticket::Entity, ticket::Column::OrganisationId)),
                )
                .group_by_col((ticket::Entity, ticket::Column::OrganisationId))
                .group_by_col((organisation::Entity, organisation::Column::Name));
        }
        GroupBy::Category => {
            query
                .expr_as(
                    Expr::col((ticket::Entity, ticket::Column::Category)),
                    Alias::new("key"),
                )
                .expr_as(
                    Expr::col((ticket::Entity, ticket::Column::Category)),
                    Alias::new("label"),
                )
                .group_by_col((ticket::Entity, ticket::Column::Category));
        }
        GroupBy::Plan => {
            query
                .expr_as(Expr::cust("CAST(plans.id AS TEXT)"), Alias::new("key"))
                .expr_as(
                    Expr::col((plan::Entity, plan::Column::Name)),
                    Alias::new("label"),
                )
                .join(
                    JoinType::InnerJoin,
                    plan_version::Entity,
                    Expr::col((plan_version::Entity, plan_version::Column::Id))
                        .equals((ticket::Entity, ticket::Column::PlanVersionId)),
                )
                .join(
                    JoinType::InnerJoin,
                    plan::Entity,
                    Expr::col((plan::Entity, plan::Column::Id))
                        .equals((plan_version::Entity, plan_version::Column::PlanId)),
                )
                .group_by_col((plan::Entity, plan::Column::Id))
                .group_by_col((plan::Entity, plan::Column::Name));
        }
        GroupBy::Agent => {
            query
                .expr_as(
                    Expr::cust("CAST(tickets.assignee_id AS TEXT)"),
                    Alias::new("key"),
                )
                .expr_as(
                    Expr::col((user::Entity, user::Column::Name)),
                    Alias::new("label"),
                )
                .join(
                    JoinType::LeftJoin,
                    user::Entity,
                    Expr::col((user::Entity, user::Column::Id))
                        .equals((ticket::Entity, ticket::Column::AssigneeId)),
                )
                .group_by_col((ticket::Entity, ticket::Column::AssigneeId))
                .group_by_col((user::Entity, user::Column::Name));
        }
    }
}

/// The ticket count and the met/breached outcome counts of each group.
fn outcome_sums(query: &mut SelectStatement) {
    query
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("tickets"))
        .expr_as(
            sum_where("tickets.first_response_outcome = 'met'"),
            Alias::new("first_response_met"),
        )
        .expr_as(
            sum_where("tickets.first_response_outcome = 'breached'"),
            Alias::new("first_response_breached"),
        )
        .expr_as(
            sum_where("tickets.resolution_outcome = 'met'"),
            Alias::new("resolution_met"),
        )
        .expr_as(
            sum_where("tickets.resolution_outcome = 'breached'"),
            Alias::new("resolution_breached"),
        );
}

/// The breached first-response and resolution clocks of tickets registered in `period`,
/// newest registration first, at most [`MAX_BREACHES`] tickets. Deadlines come from the
/// clocks the row stored with its outcomes.
pub async fn breaches(db: &impl ConnectionTrait, period: &Period) -> Result<Vec<Breach>, DbErr> {
    use ticket::Column as C;
    let found = ticket::Entity::find()
        .filter(C::RegisteredAt.gte(period.start()))
        .filter(C::RegisteredAt.lt(period.end()))
        .filter(
            sea_orm::Condition::any()
                .add(C::FirstResponseOutcome.eq("breached"))
                .add(C::ResolutionOutcome.eq("breached")),
        )
        .order_by_desc(C::RegisteredAt)
        .order_by_desc(C::Id)
        .limit(MAX_BREACHES)
        .all(db)
        .await?;
    let organisations =
        q::organisation_names(db, found.iter().map(|t| t.organisation_id).collect()).await?;
    let assignees = q::user_names(db, found.iter().filter_map(|t| t.assignee_id).collect()).await?;
    let mut breaches = Vec::new();
    for row in found {
        let clocks: Option<Clocks> = serde_json::from_str(&row.clocks).ok();
        for (kind, outcome) in [
            (ClockKind::FirstResponse, &row.first_response_outcome),
            (ClockKind::Resolution, &row.resolution_outcome),
        ] {
            if outcome.as_deref() != Some("breached") {
                continue;
            }
            let clock = clocks.as_ref().map(|clocks| match kind {
                ClockKind::FirstResponse => clocks.first_response,
                _ => clocks.resolution,
            });
            breaches.push(Breach {
                reference: row.reference.clone(),
                subject: row.subject.clone(),
                organisation: organisations
                    .get(&row.organisation_id)
                    .cloned()
                    .unwrap_or_default(),
                assignee: row
                    .assignee_id
                    .and_then(|id| assignees.get(&id))
                    .map(|(name, _)| name.clone()),
                clock: kind,
                registered_at: row.registered_at,
                deadline: clock.and_then(|c| c.deadline),
                stopped_at: clock.and_then(|c| c.stopped_at),
            });
        }
    }
    Ok(breaches)
}

/// Ratings given in `period`, as (score, count).
pub async fn rating_counts(
    db: &impl ConnectionTrait,
    period: &Period,
) -> Result<Vec<(i64, u64)>, DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        score: i64,
        count: i64,
    }
    let query = Query::select()
        .expr_as(Expr::cust("CAST(score AS BIGINT)"), Alias::new("score"))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("count"))
        .from(Alias::new("ratings"))
        .and_where(Expr::col(Alias::new("created_at")).gte(period.start()))
        .and_where(Expr::col(Alias::new("created_at")).lt(period.end()))
        .group_by_col(Alias::new("score"))
        .to_owned();
    Ok(rows::<Row>(db, &query)
        .await?
        .into_iter()
        .map(|row| (row.score, count(row.count)))
        .collect())
}

/// Resolutions and reopens recorded in `period`, from the event log.
pub async fn resolve_and_reopen_counts(
    db: &impl ConnectionTrait,
    period: &Period,
) -> Result<(u64, u64), DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        kind: String,
        count: i64,
    }
    let query = Query::select()
        .column(ticket_event::Column::Kind)
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("count"))
        .from(ticket_event::Entity)
        .and_where(Expr::col(ticket_event::Column::Kind).is_in(["resolve", "reopen"]))
        .and_where(Expr::col(ticket_event::Column::At).gte(period.start()))
        .and_where(Expr::col(ticket_event::Column::At).lt(period.end()))
        .group_by_col(ticket_event::Column::Kind)
        .to_owned();
    let (mut resolved, mut reopened) = (0, 0);
    for row in rows::<Row>(db, &query).await? {
        match row.kind.as_str() {
            "resolve" => resolved = count(row.count),
            _ => reopened = count(row.count),
        }
    }
    Ok((resolved, reopened))
}

/// Open tickets per backlog age bucket at `now` (`shared::report::age_edges`).
pub async fn backlog_counts(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<[u64; 5], DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        b0: i64,
        b1: i64,
        b2: i64,
        b3: i64,
        b4: i64,
    }
    use ticket::Column as C;
    let [e1, e3, e7, e30] = shared::report::age_edges(now);
    // COALESCE(SUM(CASE WHEN <cond> THEN 1 ELSE 0 END), 0), with the edges as parameters.
    let bucket = |condition: sea_orm::Condition| -> Expr {
        let case = Expr::case(condition, Expr::cust("1")).finally(Expr::cust("0"));
        Func::coalesce([Func::sum(case).into(), Expr::cust("0")]).into()
    };
    let between = |younger: DateTime<Utc>, older: DateTime<Utc>| {
        sea_orm::Condition::all()
            .add(Expr::col(C::RegisteredAt).lte(younger))
            .add(Expr::col(C::RegisteredAt).gt(older))
    };
    let query = Query::select()
        .expr_as(
            bucket(sea_orm::Condition::all().add(Expr::col(C::RegisteredAt).gt(e1))),
            Alias::new("b0"),
        )
        .expr_as(bucket(between(e1, e3)), Alias::new("b1"))
        .expr_as(bucket(between(e3, e7)), Alias::new("b2"))
        .expr_as(bucket(between(e7, e30)), Alias::new("b3"))
        .expr_as(
            bucket(sea_orm::Condition::all().add(Expr::col(C::RegisteredAt).lte(e30))),
            Alias::new("b4"),
        )
        .from(ticket::Entity)
        .and_where(Expr::col(ticket::Column::Open).eq(true))
        .to_owned();
    let row = rows::<Row>(db, &query).await?.into_iter().next();
    Ok(row.map_or([0; 5], |row| {
        [row.b0, row.b1, row.b2, row.b3, row.b4].map(count)
    }))
}

/// One page of expedite requests, newest first: (event, ticket) pairs before `cursor`.
pub async fn expedite_requests(
    db: &impl ConnectionTrait,
    cursor: Option<i64>,
    limit: u64,
) -> Result<Vec<(ticket_event::Model, Option<ticket::Model>)>, DbErr> {
    let mut select = ticket_event::Entity::find()
        .filter(ticket_event::Column::Kind.eq("expedite"))
        .order_by_desc(ticket_event::Column::Id);
    if let Some(cursor) = cursor {
        select = select.filter(ticket_event::Column::Id.lt(cursor));
    }
    let events = select.limit(limit + 1).all(db).await?;
    let ids: Vec<i64> = events.iter().map(|e| e.ticket_id).collect();
    let tickets: std::collections::HashMap<i64, ticket::Model> = ticket::Entity::find()
        .filter(ticket::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    Ok(events
        .into_iter()
        .map(|event| {
            let ticket = tickets.get(&event.ticket_id).cloned();
            (event, ticket)
        })
        .collect())
}

/// The bodies of public messages, by id (internal notes are never returned).
pub async fn message_bodies(
    db: &impl ConnectionTrait,
    mut ids: Vec<i64>,
) -> Result<std::collections::HashMap<i64, String>, DbErr> {
    use super::entity::message;
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    Ok(message::Entity::find()
        .filter(message::Column::Id.is_in(ids))
        .filter(message::Column::Internal.eq(false))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row.body))
        .collect())
}
