//! Ticket queries: loading, locking, events, clocks and the derived columns.
//!
//! Every rule comes from `shared`: this module only stores what the rules decide and feeds the
//! stored history back into `shared::sla::clocks`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, Order,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use shared::sla::{ClockEvent, ClockEventKind, Clocks, Plan, PlanSpec};
use shared::ticket::{Classification, Role};

use super::entity::{message, organisation, plan, plan_version, ticket, ticket_event, user};

mod actions;
mod classification;
mod counts;
mod new;
mod people;

pub use actions::*;
pub use classification::*;
pub use counts::count_tickets;
pub use new::*;
pub use people::*;

/// A plan version, built once: versions are immutable, so the cache never goes stale.
pub struct PlanVersion {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub plan: Plan,
    /// The stored JSON the plan was built from: the cache is per process, and a process may
    /// hold connections to several databases (the test suite does), where the same id names
    /// different versions.
    spec_json: String,
}

fn plan_cache() -> &'static Mutex<HashMap<i64, Arc<PlanVersion>>> {
    static CACHE: OnceLock<Mutex<HashMap<i64, Arc<PlanVersion>>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The plan version `id` with its calendars built.
///
/// # Errors
/// A database failure, or a stored spec that no longer parses (reported as a database error).
pub async fn plan_version(db: &impl ConnectionTrait, id: i64) -> Result<Arc<PlanVersion>, DbErr> {
    let version = plan_version::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("plan version {id}")))?;
    if let Some(found) = plan_cache()
        .lock()
        .ok()
        .and_then(|cache| cache.get(&id).cloned())
        .filter(|found| found.spec_json == version.spec)
    {
        return Ok(found);
    }
    let owner = plan::Entity::find_by_id(version.plan_id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("plan {}", version.plan_id)))?;
    built_plan_version(id, owner.key, owner.name, version.spec)
}

/// The plan version `id` of the plan `key` (named `name`) stored as `spec`, from the cache when
/// it holds that very spec.
///
/// # Errors
/// A stored spec that no longer parses (reported as a database error).
pub fn built_plan_version(
    id: i64,
    key: String,
    name: String,
    spec: String,
) -> Result<Arc<PlanVersion>, DbErr> {
    if let Some(found) = plan_cache()
        .lock()
        .ok()
        .and_then(|cache| cache.get(&id).cloned())
        .filter(|found| found.spec_json == spec)
    {
        return Ok(found);
    }
    let parsed = PlanSpec::from_json(&spec)
        .map_err(|error| DbErr::Custom(format!("stored plan {id}: {error}")))?;
    let built =
        Plan::new(&parsed).map_err(|error| DbErr::Custom(format!("stored plan {id}: {error}")))?;
    let loaded = Arc::new(PlanVersion {
        id,
        key,
        name,
        plan: built,
        spec_json: spec,
    });
    if let Ok(mut cache) = plan_cache().lock() {
        cache.insert(id, loaded.clone());
    }
    Ok(loaded)
}

/// The current version id of the plan with `key`.
pub async fn current_plan_version_by_key(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<i64>, DbErr> {
    Ok(plan::Entity::find()
        .filter(plan::Column::Key.eq(key))
        .one(db)
        .await?
        .and_then(|plan| plan.current_version_id))
}

pub async fn current_plan_version(
    db: &impl ConnectionTrait,
    plan_id: i64,
) -> Result<Option<i64>, DbErr> {
    Ok(plan::Entity::find_by_id(plan_id)
        .one(db)
        .await?
        .and_then(|plan| plan.current_version_id))
}

pub async fn find_ticket(
    db: &impl ConnectionTrait,
    reference: &str,
) -> Result<Option<ticket::Model>, DbErr> {
    ticket::Entity::find()
        .filter(ticket::Column::Reference.eq(reference))
        .one(db)
        .await
}

/// Takes the write lock on one ticket before reading it, so concurrent actions serialise: a
/// row lock on PostgreSQL, the database's write lock on SQLite (which would otherwise refuse to
/// upgrade a stale read snapshot). Returns whether the ticket exists.
pub async fn lock_ticket(db: &impl ConnectionTrait, reference: &str) -> Result<bool, DbErr> {
    let result = ticket::Entity::update_many()
        .col_expr(ticket::Column::Version, Expr::col(ticket::Column::Version))
        .filter(ticket::Column::Reference.eq(reference))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Appends one event; `clock` is what the event means to the SLA clocks, if anything.
#[allow(clippy::too_many_arguments)]
pub async fn insert_event(
    db: &impl ConnectionTrait,
    ticket_id: i64,
    kind: &str,
    actor_id: Option<i64>,
    at: DateTime<Utc>,
    internal: bool,
    clock: Option<ClockEventKind>,
    payload: serde_json::Value,
) -> Result<i64, DbErr> {
    let event = NewEvent {
        kind,
        actor_id,
        internal,
        clock,
        payload,
    }
    .model(ticket_id, at)?
    .insert(db)
    .await?;
    super::webhooks::enqueue(db, std::slice::from_ref(&event)).await?;
    Ok(event.id)
}

/// One event to append with [`insert_events`].
pub struct NewEvent<'a> {
    pub kind: &'a str,
    pub actor_id: Option<i64>,
    pub internal: bool,
    pub clock: Option<ClockEventKind>,
    pub payload: serde_json::Value,
}

impl NewEvent<'_> {
    fn model(self, ticket_id: i64, at: DateTime<Utc>) -> Result<ticket_event::ActiveModel, DbErr> {
        let mut payload = self.payload;
        if let (Some(clock), Some(object)) = (self.clock, payload.as_object_mut()) {
            object.insert(
                "clock".to_owned(),
                serde_json::to_value(ClockEvent::new(at, clock))
                    .map_err(|error| DbErr::Custom(error.to_string()))?,
            );
        }
        Ok(ticket_event::ActiveModel {
            ticket_id: Set(ticket_id),
            kind: Set(self.kind.to_owned()),
            actor_id: Set(self.actor_id),
            at: Set(at),
            internal: Set(self.internal),
            payload: Set(payload.to_string()),
            ..Default::default()
        })
    }
}

/// Appends several events at one instant, in the given order, in one statement; returns them
/// as stored.
pub async fn insert_events(
    db: &impl ConnectionTrait,
    ticket_id: i64,
    at: DateTime<Utc>,
    events: Vec<NewEvent<'_>>,
) -> Result<Vec<ticket_event::Model>, DbErr> {
    insert_events_of(
        db,
        events
            .into_iter()
            .map(|event| (ticket_id, at, event))
            .collect(),
    )
    .await
}

/// Appends events of several tickets (ticket id, time, event), in the given order, in one
/// statement; returns them as stored.
pub async fn insert_events_of(
    db: &impl ConnectionTrait,
    events: Vec<(i64, DateTime<Utc>, NewEvent<'_>)>,
) -> Result<Vec<ticket_event::Model>, DbErr> {
    let models = events
        .into_iter()
        .map(|(ticket_id, at, event)| event.model(ticket_id, at))
        .collect::<Result<Vec<_>, _>>()?;
    let events = ticket_event::Entity::insert_many(models)
        .exec_with_returning(db)
        .await?;
    super::webhooks::enqueue(db, &events).await?;
    Ok(events)
}

/// A message from the portal; `minutes` is the staff time it records.
#[allow(clippy::too_many_arguments)]
pub async fn insert_message(
    db: &impl ConnectionTrait,
    ticket_id: i64,
    author_id: Option<i64>,
    body: &str,
    internal: bool,
    automatic: bool,
    at: DateTime<Utc>,
    minutes: Option<u32>,
) -> Result<i64, DbErr> {
    let message = message::ActiveModel {
        ticket_id: Set(ticket_id),
        author_id: Set(author_id),
        body: Set(body.to_owned()),
        internal: Set(internal),
        automatic: Set(automatic),
        source: Set("portal".to_owned()),
        email_message_id: Set(None),
        created_at: Set(at),
        minutes: Set(minutes.and_then(|minutes| i32::try_from(minutes).ok())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(message.id)
}

/// A message that came from somewhere other than the portal (`email`, with its Message-ID).
#[allow(clippy::too_many_arguments)]
pub async fn insert_message_from(
    db: &impl ConnectionTrait,
    ticket_id: i64,
    author_id: Option<i64>,
    body: &str,
    internal: bool,
    at: DateTime<Utc>,
    source: &str,
    email_message_id: Option<&str>,
) -> Result<i64, DbErr> {
    let message = message::ActiveModel {
        ticket_id: Set(ticket_id),
        author_id: Set(author_id),
        body: Set(body.to_owned()),
        internal: Set(internal),
        automatic: Set(false),
        source: Set(source.to_owned()),
        email_message_id: Set(email_message_id.map(str::to_owned)),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(message.id)
}

pub async fn events(
    db: &impl ConnectionTrait,
    ticket_id: i64,
) -> Result<Vec<ticket_event::Model>, DbErr> {
    ticket_event::Entity::find()
        .filter(ticket_event::Column::TicketId.eq(ticket_id))
        .order_by_asc(ticket_event::Column::Id)
        .all(db)
        .await
}

pub async fn messages(
    db: &impl ConnectionTrait,
    ticket_id: i64,
) -> Result<Vec<message::Model>, DbErr> {
    message::Entity::find()
        .filter(message::Column::TicketId.eq(ticket_id))
        .order_by_asc(message::Column::Id)
        .all(db)
        .await
}

/// The clock events stored in a ticket's history, in order.
pub fn clock_events(events: &[ticket_event::Model]) -> Vec<ClockEvent> {
    events
        .iter()
        .filter_map(|event| {
            let payload: serde_json::Value = serde_json::from_str(&event.payload).ok()?;
            serde_json::from_value(payload.get("clock")?.clone()).ok()
        })
        .collect()
}

/// The clocks of a ticket at `now`, from its stored history and registration-time plan.
pub async fn compute_clocks(
    db: &impl ConnectionTrait,
    ticket: &ticket::Model,
    now: DateTime<Utc>,
) -> Result<Option<Clocks>, DbErr> {
    let Some(classification) = registered_classification(db, ticket).await? else {
        return Ok(None);
    };
    let plan = plan_version(db, ticket.plan_version_id).await?;
    let history = events(db, ticket.id).await?;
    Ok(Some(shared::sla::clocks(
        &plan.plan,
        &classification,
        &clock_events(&history),
        now,
    )))
}

/// The classification filed at registration (later accepted ones are clock events).
async fn registered_classification(
    db: &impl ConnectionTrait,
    ticket: &ticket::Model,
) -> Result<Option<Classification>, DbErr> {
    let registered = ticket_event::Entity::find()
        .filter(ticket_event::Column::TicketId.eq(ticket.id))
        .filter(ticket_event::Column::Kind.eq("registered"))
        .one(db)
        .await?;
    let from_event = registered.and_then(|event| {
        let payload: serde_json::Value = serde_json::from_str(&event.payload).ok()?;
        serde_json::from_value(payload.get("classification")?.clone()).ok()
    });
    Ok(from_event.or_else(|| classification_of(ticket)))
}

/// Sets the derived columns of `model` from `clocks`, including the final clock outcomes the
/// SLA report counts (`shared::report::outcome`), and marks them fresh.
pub fn set_derived(model: &mut ticket::ActiveModel, clocks: Option<&Clocks>, now: DateTime<Utc>) {
    let outcome = |clock| shared::report::outcome(clock).map(|o| o.as_str().to_owned());
    model.derived_stale = Set(false);
    match clocks {
        Some(clocks) => {
            model.next_deadline = Set(clocks.next_deadline());
            model.next_check_at = Set(clocks.next_change(now));
            model.at_risk = Set(clocks.at_risk());
            model.breached = Set(clocks.breached());
            model.clocks = Set(serde_json::to_string(clocks).unwrap_or_else(|_| "{}".into()));
            model.first_response_outcome = Set(outcome(&clocks.first_response));
            model.resolution_outcome = Set(outcome(&clocks.resolution));
        }
        None => {
            model.next_deadline = Set(None);
            model.next_check_at = Set(None);
            model.at_risk = Set(false);
            model.breached = Set(false);
            model.first_response_outcome = Set(None);
            model.resolution_outcome = Set(None);
        }
    }
}

/// Writes `model` if the ticket is still at `expected_version`, bumping the version. Returns
/// whether it was written (false: somebody else changed the ticket).
pub async fn update_if_version(
    db: &impl ConnectionTrait,
    id: i64,
    expected_version: i32,
    mut model: ticket::ActiveModel,
) -> Result<bool, DbErr> {
    model.version = Set(expected_version + 1);
    let result = ticket::Entity::update_many()
        .set(model)
        .filter(ticket::Column::Id.eq(id))
        .filter(ticket::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Which tickets a list shows.
#[derive(Clone, Debug, Default)]
pub struct TicketFilter {
    pub organisation_id: Option<i64>,
    pub staff_view: Option<StaffView>,
    pub viewer_id: i64,
    pub text: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffView {
    Queue,
    Mine,
    Unassigned,
    L2,
    Special,
    AtRisk,
    Breached,
}

impl TicketFilter {
    /// The tickets this filter selects, in no order: the list pages them in queue order and
    /// [`count_tickets`] counts them, so the two can never disagree about a view.
    pub fn condition(&self) -> Condition {
        use ticket::Column as C;
        let mut condition = Condition::all();
        if let Some(organisation_id) = self.organisation_id {
            condition = condition.add(C::OrganisationId.eq(organisation_id));
        }
        if let Some(text) = self
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let pattern = format!(
                "%{}%",
                text.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            condition = condition.add(
                Condition::any()
                    .add(C::Reference.eq(text.to_uppercase()))
                    .add(
                        Expr::col(C::Subject)
                            .like(sea_orm::sea_query::LikeExpr::new(pattern).escape('\\')),
                    ),
            );
        }
        if let Some(view) = self.staff_view {
            condition = condition.add(C::Open.eq(true));
            condition = match view {
                StaffView::Queue => condition,
                StaffView::Mine => condition.add(C::AssigneeId.eq(self.viewer_id)),
                StaffView::Unassigned => condition.add(C::AssigneeId.is_null()),
                StaffView::L2 => condition.add(C::Tier.eq(2)),
                StaffView::Special => condition.add(C::Special.eq(true)),
                StaffView::AtRisk => condition.add(C::AtRisk.eq(true)),
                StaffView::Breached => condition.add(C::Breached.eq(true)),
            };
        }
        condition
    }
}

/// The position after which a page starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cursor {
    /// Customers: newest first.
    Id(i64),
    /// Staff: queue order (special first, nearest deadline, FIFO, id).
    Queue {
        special: bool,
        deadline: Option<DateTime<Utc>>,
        registered_at: DateTime<Utc>,
        id: i64,
    },
}

impl Cursor {
    pub fn encode(&self) -> String {
        match self {
            Cursor::Id(id) => format!("i{id}"),
            Cursor::Queue {
                special,
                deadline,
                registered_at,
                id,
            } => format!(
                "q{}_{}_{}_{id}",
                u8::from(*special),
                deadline
                    .and_then(|d| d.timestamp_nanos_opt())
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                registered_at.timestamp_nanos_opt().unwrap_or_default()
            ),
        }
    }

    pub fn decode(text: &str) -> Option<Cursor> {
        if let Some(id) = text.strip_prefix('i') {
            return id.parse().ok().map(Cursor::Id);
        }
        let rest = text.strip_prefix('q')?;
        let mut parts = rest.split('_');
        let special = match parts.next()? {
            "0" => false,
            "1" => true,
            _ => return None,
        };
        let deadline = match parts.next()? {
            "" => None,
            nanos => Some(DateTime::from_timestamp_nanos(nanos.parse().ok()?)),
        };
        let registered_at = DateTime::from_timestamp_nanos(parts.next()?.parse().ok()?);
        let id = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Some(Cursor::Queue {
            special,
            deadline,
            registered_at,
            id,
        })
    }

    pub fn after(ticket: &ticket::Model, queue: bool) -> Cursor {
        if queue {
            Cursor::Queue {
                special: ticket.special,
                deadline: ticket.next_deadline,
                registered_at: ticket.registered_at,
                id: ticket.id,
            }
        } else {
            Cursor::Id(ticket.id)
        }
    }
}

/// One page of tickets (`limit + 1` rows are read to know whether another page exists).
pub async fn list_tickets(
    db: &impl ConnectionTrait,
    filter: &TicketFilter,
    cursor: Option<&Cursor>,
    limit: u64,
) -> Result<Vec<ticket::Model>, DbErr> {
    use ticket::Column as C;
    let mut query = ticket::Entity::find().filter(filter.condition());
    let queue = filter.staff_view.is_some();
    match cursor {
        Some(Cursor::Id(id)) => query = query.filter(C::Id.lt(*id)),
        Some(Cursor::Queue {
            special,
            deadline,
            registered_at,
            id,
        }) => {
            let tail = Condition::any()
                .add(C::RegisteredAt.gt(*registered_at))
                .add(
                    Condition::all()
                        .add(C::RegisteredAt.eq(*registered_at))
                        .add(C::Id.gt(*id)),
                );
            let after_deadline = match deadline {
                Some(deadline) => Condition::any()
                    .add(C::NextDeadline.is_null())
                    .add(C::NextDeadline.gt(*deadline))
                    .add(
                        Condition::all()
                            .add(C::NextDeadline.eq(*deadline))
                            .add(tail),
                    ),
                None => Condition::all().add(C::NextDeadline.is_null()).add(tail),
            };
            let mut after = Condition::any().add(
                Condition::all()
                    .add(C::Special.eq(*special))
                    .add(after_deadline),
            );
            if *special {
                after = after.add(C::Special.eq(false));
            }
            query = query.filter(after);
        }
        None => {}
    }
    let query = if queue {
        query
            // `tickets_queue_order` holds exactly this order: no sort at any queue size.
            .order_by(C::Special, Order::Desc)
            .order_by(Expr::col(C::NextDeadline).is_null(), Order::Asc)
            .order_by(C::NextDeadline, Order::Asc)
            .order_by(C::RegisteredAt, Order::Asc)
            .order_by(C::Id, Order::Asc)
    } else {
        query.order_by(C::Id, Order::Desc)
    };
    query.limit(limit + 1).all(db).await
}

/// Names of users and organisations, for rendering.
pub async fn user_names(
    db: &impl ConnectionTrait,
    mut ids: Vec<i64>,
) -> Result<HashMap<i64, (String, String)>, DbErr> {
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
        .map(|user| (user.id, (user.name, user.role)))
        .collect())
}

pub async fn organisation_names(
    db: &impl ConnectionTrait,
    mut ids: Vec<i64>,
) -> Result<HashMap<i64, String>, DbErr> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|org| (org.id, org.name))
        .collect())
}

/// Staff who should hear about a ticket besides its requester and assignee: supervisors.
pub async fn supervisors(db: &impl ConnectionTrait) -> Result<Vec<i64>, DbErr> {
    staff_with_role(db, "supervisor").await
}

/// The active accounts of a staff role, such as the engineers of L2 (`agent_l2`).
pub async fn staff_with_role(db: &impl ConnectionTrait, role: &str) -> Result<Vec<i64>, DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.eq(role))
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|user| user.id)
        .collect())
}

/// The active followers of a ticket, with whether each works for the vendor: a deactivated
/// account hears nothing.
pub async fn followers(
    db: &impl ConnectionTrait,
    ticket_id: i64,
) -> Result<Vec<(i64, bool)>, DbErr> {
    use sea_orm::FromQueryResult;
    use sea_orm::sea_query::Query;
    #[derive(FromQueryResult)]
    struct Row {
        user_id: i64,
        role: String,
    }
    let query = Query::select()
        .column(("followers", "user_id"))
        .column(("users", "role"))
        .from("followers")
        .inner_join(
            "users",
            Expr::col(("users", "id")).equals(("followers", "user_id")),
        )
        .and_where(Expr::col(("followers", "ticket_id")).eq(ticket_id))
        .and_where(Expr::col(("users", "active")).eq(true))
        .to_owned();
    Ok(
        Row::find_by_statement(db.get_database_backend().build(&query))
            .all(db)
            .await?
            .into_iter()
            .map(|row| (row.user_id, row.role != Role::Customer.as_str()))
            .collect(),
    )
}

/// Writes one notification row per recipient.
pub async fn notify(
    db: &impl ConnectionTrait,
    recipients: &[i64],
    ticket_id: i64,
    event_id: Option<i64>,
    kind: &str,
    text: &str,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    insert_notifications(
        db,
        recipients
            .iter()
            .map(|&user_id| notification(user_id, ticket_id, event_id, kind, text, at))
            .collect(),
    )
    .await
}

/// One unread notification of `user_id` about a ticket.
pub fn notification(
    user_id: i64,
    ticket_id: i64,
    event_id: Option<i64>,
    kind: &str,
    text: &str,
    at: DateTime<Utc>,
) -> super::entity::notification::ActiveModel {
    super::entity::notification::ActiveModel {
        user_id: Set(user_id),
        ticket_id: Set(Some(ticket_id)),
        event_id: Set(event_id),
        kind: Set(kind.to_owned()),
        text: Set(text.to_owned()),
        created_at: Set(at),
        read_at: Set(None),
        ..Default::default()
    }
}

/// Writes `rows` in one statement.
pub async fn insert_notifications(
    db: &impl ConnectionTrait,
    rows: Vec<super::entity::notification::ActiveModel>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    super::entity::notification::Entity::insert_many(rows)
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use shared::ticket::Category;

    use super::*;

    #[test]
    fn clock_events_round_trip_through_the_payload() {
        let at = Utc::now();
        let classification =
            Classification::new(Category::D, None, false).expect("a valid classification");
        let mut payload = serde_json::json!({});
        if let Some(object) = payload.as_object_mut() {
            object.insert(
                "clock".to_owned(),
                serde_json::to_value(ClockEvent::new(
                    at,
                    ClockEventKind::Reclassified(classification),
                ))
                .expect("serialize"),
            );
        }
        let event = ticket_event::Model {
            id: 1,
            ticket_id: 1,
            kind: "x".into(),
            actor_id: None,
            at,
            internal: false,
            payload: payload.to_string(),
        };
        assert_eq!(
            clock_events(&[event]),
            [ClockEvent::new(
                at,
                ClockEventKind::Reclassified(classification)
            )],
            "{payload}"
        );
    }
}
