//! Tickets: registration, the lists, the detail page, messages and lifecycle actions.
//!
//! Every action runs in one transaction: the ticket row (with its derived SLA columns), the
//! event, the audit entry and the notifications commit together or not at all. Statuses come
//! from `shared::ticket::transition`, clocks from `shared::sla::clocks`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;
use shared::api::{
    ActionRequest, InternalNote, Message, Meta, NewMessage, NewTicket, Ticket, TicketDetail,
    TicketEvent, TicketList,
};
use shared::sla::ClockEventKind;
use shared::ticket::{Action, Classification, Role, Status, TransitionError, allowed_actions};

use crate::auth::AuthUser;
use crate::db::entity::{contract, plan, reclassification, ticket, user};
use crate::db::{self, tickets as q};
use crate::error::{Error, FieldErrors, Json, Result};
use crate::limits::ClientIp;
use crate::outbox::{self, Notice};
use crate::state::AppState;

mod counts;
mod registration;

pub(crate) use registration::{Registered, Registrar, Registration, register};

const PAGE_SIZE: u64 = 50;
const MAX_SUBJECT: usize = 200;
const MAX_TEXT: usize = 100_000;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/tickets", get(list_tickets).post(create_ticket))
        .merge(counts::router())
        .route("/tickets/{reference}", get(find_ticket))
        .route("/tickets/{reference}/messages", post(create_message))
        .route("/tickets/{reference}/actions", post(create_action))
        .route("/tickets/{reference}/rating", post(create_rating))
        .route(
            "/tickets/{reference}/reclassifications",
            post(create_reclassification),
        )
        .route(
            "/reclassifications/{id}/accept",
            post(accept_reclassification),
        )
        .route(
            "/reclassifications/{id}/reject",
            post(reject_reclassification),
        )
        .route(
            "/tickets/{reference}/followers",
            post(create_follower).delete(delete_follower),
        )
}

/// The caller's role in `shared`'s terms.
pub(crate) fn role_of(user: &AuthUser) -> Role {
    serde_json::from_value(serde_json::Value::String(user.role.clone())).unwrap_or(Role::Customer)
}

pub(crate) fn write_limit(state: &AppState, user: &AuthUser, ip: std::net::IpAddr) -> Result<()> {
    let window = std::time::Duration::from_secs(60);
    state
        .limiter
        .hit(&format!("write-user:{}", user.id), 120, window)?;
    state.limiter.hit(&format!("write-ip:{ip}"), 600, window)
}

/// A ticket the caller may see, or 404 (never 403: the reference must not leak).
pub(crate) fn visible(user: &AuthUser, ticket: Option<ticket::Model>) -> Result<ticket::Model> {
    match ticket {
        Some(ticket) if user.is_staff() || user.organisation_id == Some(ticket.organisation_id) => {
            Ok(ticket)
        }
        _ => Err(Error::NotFound),
    }
}

/// Parses a new ticket into its parts, gathering every field error.
pub(crate) struct Draft {
    pub(crate) subject: String,
    pub(crate) description: String,
    pub(crate) steps: Option<String>,
    pub(crate) product_version: String,
    pub(crate) classification: Classification,
}

impl TryFrom<NewTicket> for Draft {
    type Error = Error;

    fn try_from(input: NewTicket) -> Result<Draft> {
        let mut errors = FieldErrors::new();
        if input.subject.trim().is_empty() {
            errors.insert("subject".into(), "enter a subject".into());
        } else if input.subject.chars().count() > MAX_SUBJECT {
            errors.insert(
                "subject".into(),
                format!("at most {MAX_SUBJECT} characters"),
            );
        }
        if input.description.trim().is_empty() {
            errors.insert("description".into(), "describe the problem".into());
        } else if input.description.len() > MAX_TEXT {
            errors.insert("description".into(), "the description is too long".into());
        }
        if input.product_version.trim().is_empty() {
            errors.insert("product_version".into(), "enter the product version".into());
        } else if input.product_version.chars().count() > 100 {
            errors.insert("product_version".into(), "at most 100 characters".into());
        }
        if input
            .steps
            .as_ref()
            .is_some_and(|steps| steps.len() > MAX_TEXT)
        {
            errors.insert("steps".into(), "the steps are too long".into());
        }
        let classification =
            match Classification::new(input.category, input.severity, input.special) {
                Ok(classification) => Some(classification),
                Err(error) => {
                    errors.insert(error.field().to_owned(), error.to_string());
                    None
                }
            };
        match classification {
            Some(classification) if errors.is_empty() => Ok(Draft {
                subject: input.subject,
                description: input.description,
                steps: input.steps.filter(|steps| !steps.trim().is_empty()),
                product_version: input.product_version,
                classification,
            }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// The plan version a new ticket of `organisation_id` runs on at `now`: the contract in force,
/// else `unqualified`, or 403 when the organisation's contract blocks service on expiry.
pub(crate) async fn plan_version_at(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    now: DateTime<Utc>,
) -> Result<i64> {
    Ok(service_at(db, organisation_id, now).await?.plan.id)
}

/// What [`service_at`] finds.
#[derive(Clone)]
pub(crate) struct Service {
    pub(crate) plan: Arc<q::PlanVersion>,
    pub(crate) organisation_name: String,
}

/// The organisation's name and the plan version its new tickets run on at `now` (see
/// [`plan_version_at`]), in one query when a contract is in force.
pub(crate) async fn service_at(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    now: DateTime<Utc>,
) -> Result<Service> {
    use crate::db::entity::{organisation, plan_version};
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let today = crate::db::contract_day(now);
    // The organisation, the contract in force and its plan's current version, in one query.
    let in_force = Query::select()
        .column((organisation::Entity, organisation::Column::Name))
        .column((organisation::Entity, organisation::Column::OnExpiry))
        .expr_as(Expr::col((plan::Entity, plan::Column::Key)), "plan_key")
        .expr_as(Expr::col((plan::Entity, plan::Column::Name)), "plan_name")
        .column((plan_version::Entity, plan_version::Column::Id))
        .column((plan_version::Entity, plan_version::Column::Spec))
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
            Expr::col((plan_version::Entity, plan_version::Column::Id))
                .equals((plan::Entity, plan::Column::CurrentVersionId)),
        )
        .and_where(Expr::col((organisation::Entity, organisation::Column::Id)).eq(organisation_id))
        .limit(1)
        .to_owned();
    let row = db.query_one(&in_force).await?.ok_or(Error::NotFound)?;
    let organisation_name: String = row.try_get("", "name")?;
    if let Some(id) = row.try_get::<Option<i64>>("", "id")? {
        let plan = q::built_plan_version(
            id,
            row.try_get("", "plan_key")?,
            row.try_get("", "plan_name")?,
            row.try_get("", "spec")?,
        )?;
        return Ok(Service {
            plan,
            organisation_name,
        });
    }
    if row.try_get::<String>("", "on_expiry")? == "block" {
        return Err(Error::Forbidden(
            "your organisation has no valid support contract".into(),
        ));
    }
    let plan_version_id = q::current_plan_version_by_key(db, "unqualified")
        .await?
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("the unqualified plan is missing")))?;
    Ok(Service {
        plan: q::plan_version(db, plan_version_id).await?,
        organisation_name,
    })
}

/// `POST /api/tickets`: a customer registers a request.
async fn create_ticket(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: AuthUser,
    Json(input): Json<NewTicket>,
) -> Result<Response> {
    write_limit(&state, &user, ip)?;
    let Some(organisation_id) = user.organisation_id.filter(|_| user.is_customer()) else {
        return Err(Error::Forbidden(
            "only customers of an organisation register tickets".into(),
        ));
    };
    let draft = Draft::try_from(input)?;
    let now = Utc::now();
    // The contract is read before the transaction: on SQLite a transaction that reads first
    // cannot always upgrade to a writer under load, so the transaction starts with its write.
    // Both are remembered between requests (see `directory`): under load, most creations read
    // nothing before their write.
    let service = state
        .directory
        .services
        .get_or_read(
            (organisation_id, db::contract_day(now)),
            service_at(&state.db, organisation_id, now),
        )
        .await?;
    let plan = service.plan.clone();
    // Who hears of the ticket is read beside the other reads, before the write: the write is
    // the part that waits its turn.
    let audience = state
        .directory
        .audiences
        .get_or_read((organisation_id, user.id), async {
            db::watchers::registration_audience(&state.db, organisation_id, user.id)
                .await
                .map(Arc::new)
        })
        .await?;
    let requester_name = audience
        .iter()
        .find(|person| person.id == user.id)
        .map(|person| person.name.clone())
        .unwrap_or_default();
    let registered = state
        .registrar
        .register(
            &state.db,
            &state.composer,
            Registration::new(&user, organisation_id, &plan, draft, now, audience),
        )
        .await?;
    // The response is the row as committed, with the clocks of its two events: nothing to
    // read back.
    // Everything the response names is known already: the requester was read with the
    // audience, the organisation with the contract.
    let plans = HashMap::from([(plan.id, plan)]);
    let people = HashMap::from([(user.id, (requester_name, user.role.clone()))]);
    let organisations = HashMap::from([(organisation_id, service.organisation_name)]);
    let mut rendered = render_named(
        &state.db,
        &user,
        vec![registered.ticket],
        plans,
        &people,
        &organisations,
    )
    .await?;
    let mut body = rendered.pop().ok_or(Error::NotFound)?;
    body.clocks = Some(registered.clocks);
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// The tickets a list of `user` shows: for customers their organisation's, for staff the open
/// queue or one `view` of it; `text` searches references and subjects. Both the list and its
/// counters (`GET /api/tickets/counts`) select through this.
pub(crate) fn ticket_filter(
    user: &AuthUser,
    view: Option<&str>,
    text: Option<String>,
) -> Result<q::TicketFilter> {
    let staff_view = if user.is_staff() {
        Some(match view.unwrap_or("queue") {
            "queue" | "" => q::StaffView::Queue,
            "mine" => q::StaffView::Mine,
            "unassigned" => q::StaffView::Unassigned,
            "l2" => q::StaffView::L2,
            "special" => q::StaffView::Special,
            "at_risk" => q::StaffView::AtRisk,
            "breached" => q::StaffView::Breached,
            _ => {
                return Err(Error::field(
                    "view",
                    "one of queue, mine, unassigned, l2, special, at_risk, breached",
                ));
            }
        })
    } else {
        None
    };
    let organisation_id = if user.is_staff() {
        None
    } else {
        Some(user.organisation_id.ok_or(Error::NotFound)?)
    };
    Ok(q::TicketFilter {
        organisation_id,
        staff_view,
        viewer_id: user.id,
        text,
    })
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    view: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
    limit: Option<u64>,
}

/// `GET /api/tickets`: customers see their organisation's tickets, newest first; staff see the
/// open queue in queue order, optionally one view of it.
async fn list_tickets(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<TicketList>> {
    let filter = ticket_filter(&user, query.view.as_deref(), query.q)?;
    let staff_view = filter.staff_view;
    let cursor = match query.cursor.as_deref() {
        Some(text) => Some(
            q::Cursor::decode(text)
                .ok_or_else(|| Error::field("cursor", "not a cursor of this list"))?,
        ),
        None => None,
    };
    let limit = query.limit.unwrap_or(PAGE_SIZE).clamp(1, 200);
    let mut rows = q::list_tickets(&state.db, &filter, cursor.as_ref(), limit).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = if more {
        rows.last()
            .map(|last| q::Cursor::after(last, staff_view.is_some()).encode())
    } else {
        None
    };
    let tickets = render_many(&state.db, &user, rows).await?;
    Ok(Json(TicketList {
        tickets,
        meta: Meta { next_cursor },
    }))
}

/// `GET /api/tickets/{reference}`.
async fn find_ticket(
    State(state): State<AppState>,
    user: AuthUser,
    Path(reference): Path<String>,
) -> Result<Json<TicketDetail>> {
    let ticket = visible(&user, q::find_ticket(&state.db, &reference).await?)?;
    Ok(Json(detail(&state.db, &user, ticket, Utc::now()).await?))
}

async fn detail(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    ticket: ticket::Model,
    now: DateTime<Utc>,
) -> Result<TicketDetail> {
    let events = q::events(db, ticket.id).await?;
    let messages = q::messages(db, ticket.id).await?;
    let authors: Vec<i64> = messages
        .iter()
        .filter_map(|message| message.author_id)
        .collect();
    let names = q::user_names(db, authors).await?;
    let staff = user.is_staff();
    let mut public = Vec::new();
    let mut notes = Vec::new();
    for message in messages {
        let author = message.author_id.and_then(|id| names.get(&id));
        if message.internal {
            if staff {
                notes.push(InternalNote {
                    id: message.id,
                    author_id: message.author_id,
                    author_name: author.map(|(name, _)| name.clone()),
                    body: message.body,
                    created_at: message.created_at,
                });
            }
        } else {
            public.push(Message {
                id: message.id,
                author_id: message.author_id,
                author_name: author.map(|(name, _)| name.clone()),
                from_staff: author.is_none_or(|(_, role)| role != "customer"),
                body: message.body,
                automatic: message.automatic,
                created_at: message.created_at,
            });
        }
    }
    let events = events
        .into_iter()
        .filter(|event| staff || !event.internal)
        .map(|event| {
            let mut payload: serde_json::Value =
                serde_json::from_str(&event.payload).unwrap_or_default();
            if let Some(object) = payload.as_object_mut() {
                object.remove("clock");
            }
            TicketEvent {
                id: event.id,
                kind: event.kind,
                actor_id: event.actor_id,
                at: event.at,
                payload,
            }
        })
        .collect();
    let mut rendered = render_many(db, user, vec![ticket.clone()]).await?;
    let mut ticket_out = rendered.pop().ok_or(Error::NotFound)?;
    ticket_out.clocks = q::compute_clocks(db, &ticket, now).await?;
    let reclassifications = reclassification::Entity::find()
        .filter(reclassification::Column::TicketId.eq(ticket.id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| {
            let from = q::classification_of(&ticket::Model {
                category: row.from_category.clone(),
                severity: row.from_severity,
                special: ticket.special,
                ..ticket_probe()
            })?;
            let to = proposed_classification(&row, ticket.special).ok()?;
            Some(shared::api::Reclassification {
                id: row.id,
                from,
                to,
                reason: row.reason,
                status: row.status,
                proposed_by: row.proposed_by,
                created_at: row.created_at,
                decided_at: row.decided_at,
            })
        })
        .collect();
    let attachments = crate::db::entity::attachment::Entity::find()
        .filter(crate::db::entity::attachment::Column::TicketId.eq(ticket.id))
        .all(db)
        .await?
        .into_iter()
        .map(super::attachments::to_wire)
        .collect();
    let plan_spec = q::plan_version(db, ticket.plan_version_id)
        .await?
        .plan
        .spec()
        .clone();
    Ok(TicketDetail {
        plan_spec: Some(plan_spec),
        ticket: ticket_out,
        messages: public,
        internal_notes: notes,
        events,
        reclassifications,
        attachments,
    })
}

async fn render_one(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    ticket: ticket::Model,
    now: DateTime<Utc>,
) -> Result<Ticket> {
    let clocks = q::compute_clocks(db, &ticket, now).await?;
    let mut rendered = render_many(db, user, vec![ticket]).await?;
    let mut ticket = rendered.pop().ok_or(Error::NotFound)?;
    ticket.clocks = clocks;
    Ok(ticket)
}

/// Wire tickets from rows, with names looked up in two queries.
pub(crate) async fn render_many(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    rows: Vec<ticket::Model>,
) -> Result<Vec<Ticket>> {
    render_with_plans(db, user, rows, HashMap::new()).await
}

/// [`render_many`] with plan versions the caller already holds: each is read at most once,
/// and not at all when it is among `plans`.
async fn render_with_plans(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    rows: Vec<ticket::Model>,
    plans: HashMap<i64, Arc<q::PlanVersion>>,
) -> Result<Vec<Ticket>> {
    let mut people_ids = Vec::with_capacity(rows.len() * 2);
    for ticket in &rows {
        people_ids.push(ticket.requester_id);
        people_ids.extend(ticket.assignee_id);
    }
    let organisation_ids: Vec<i64> = rows.iter().map(|ticket| ticket.organisation_id).collect();
    let people = q::user_names(db, people_ids).await?;
    let organisations = q::organisation_names(db, organisation_ids).await?;
    render_named(db, user, rows, plans, &people, &organisations).await
}

/// [`render_with_plans`] with the names of the people (name, role) and organisations the rows
/// refer to.
async fn render_named(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    rows: Vec<ticket::Model>,
    mut plans: HashMap<i64, Arc<q::PlanVersion>>,
    people: &HashMap<i64, (String, String)>,
    organisations: &HashMap<i64, String>,
) -> Result<Vec<Ticket>> {
    let role = role_of(user);
    let mut out = Vec::with_capacity(rows.len());
    for ticket in rows {
        let plan = match plans.get(&ticket.plan_version_id) {
            Some(plan) => plan.clone(),
            None => {
                let plan = q::plan_version(db, ticket.plan_version_id).await?;
                plans.insert(ticket.plan_version_id, plan.clone());
                plan
            }
        };
        let Some(classification) = q::classification_of(&ticket) else {
            return Err(Error::Internal(anyhow::anyhow!(
                "ticket {} has an invalid classification",
                ticket.reference
            )));
        };
        let status = q::status_of(&ticket);
        out.push(Ticket {
            reference: ticket.reference,
            subject: ticket.subject,
            description: ticket.description,
            steps: ticket.steps,
            product_version: ticket.product_version,
            classification,
            status,
            organisation_id: ticket.organisation_id,
            organisation_name: organisations
                .get(&ticket.organisation_id)
                .cloned()
                .unwrap_or_default(),
            requester_id: ticket.requester_id,
            requester_name: people
                .get(&ticket.requester_id)
                .map(|(name, _)| name.clone())
                .unwrap_or_default(),
            assignee_id: ticket.assignee_id,
            assignee_name: ticket
                .assignee_id
                .and_then(|id| people.get(&id))
                .map(|(name, _)| name.clone()),
            tier: ticket.tier,
            version: ticket.version,
            plan: plan.name.clone(),
            sla_level: ticket.sla_level,
            registered_at: ticket.registered_at,
            updated_at: ticket.updated_at,
            next_deadline: ticket.next_deadline,
            at_risk: ticket.at_risk,
            breached: ticket.breached,
            reopen_count: ticket.reopen_count,
            close_reason: ticket.close_reason,
            resolved_at: ticket.resolved_at,
            closed_at: ticket.closed_at,
            calendar: Some(plan.plan.calendar_for(&classification).spec().clone()),
            clocks: serde_json::from_str(&ticket.clocks).ok(),
            allowed_actions: allowed_actions(status, role),
        });
    }
    Ok(out)
}

/// The version in `If-Match` (`3` or `"3"`), if given.
fn if_match(headers: &HeaderMap) -> Result<Option<i32>> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .map_err(|_| Error::BadRequest("If-Match must be a ticket version".into()))?;
    let text = text.trim().trim_start_matches("W/").trim_matches('"');
    text.parse()
        .map(Some)
        .map_err(|_| Error::BadRequest("If-Match must be a ticket version".into()))
}

/// What an action changes besides the status.
pub(crate) struct Change {
    action: Action,
    kind: &'static str,
    clock: Vec<ClockEventKind>,
    message: Option<(String, bool)>,
    payload: serde_json::Value,
    internal: bool,
    notify_supervisors: bool,
    /// A rating to store (score, comment).
    rating: Option<(i16, String)>,
    /// A proposal to store (new classification, reason), or a decision on one (id).
    proposal: Option<(Classification, String)>,
    decision: Option<i64>,
    /// The incoming mail the change comes from: recorded (once) with the change.
    pub(crate) email: Option<crate::intake::EmailOrigin>,
}

/// A public message (or a staff member's internal note), as the portal's message path makes it.
///
/// # Errors
/// 422 for an empty or too long body, 403 for a customer's internal note.
pub(crate) fn message_change(user: &AuthUser, body: String, internal: bool) -> Result<Change> {
    if body.trim().is_empty() {
        return Err(Error::field("body", "write a message"));
    }
    if body.len() > MAX_TEXT {
        return Err(Error::field("body", "the message is too long"));
    }
    let (action, clock, kind) = match (user.is_staff(), internal) {
        (false, true) => {
            return Err(Error::Forbidden(
                "only support staff write internal notes".into(),
            ));
        }
        (false, false) => (
            Action::CustomerReply,
            vec![ClockEventKind::CustomerMessage],
            "customer_reply",
        ),
        (true, false) => (
            Action::AgentReply,
            vec![ClockEventKind::AgentPublicReply],
            "agent_reply",
        ),
        (true, true) => (Action::InternalNote, Vec::new(), "internal_note"),
    };
    Ok(Change {
        action,
        kind,
        clock,
        message: Some((body, internal)),
        payload: serde_json::json!({}),
        internal,
        notify_supervisors: false,
        rating: None,
        proposal: None,
        decision: None,
        email: None,
    })
}

/// A rating of a resolved ticket.
///
/// # Errors
/// 422 for a score outside 1–5 or a too long comment.
pub(crate) fn rating_change(score: u8, comment: String) -> Result<Change> {
    if !(1..=5).contains(&score) {
        return Err(Error::field("score", "a score from 1 to 5"));
    }
    if comment.len() > 10_000 {
        return Err(Error::field("comment", "the comment is too long"));
    }
    Ok(Change {
        action: Action::Rate,
        kind: "rate",
        clock: Vec::new(),
        message: None,
        payload: serde_json::json!({}),
        internal: false,
        notify_supervisors: score <= 2,
        rating: Some((i16::from(score), comment)),
        proposal: None,
        decision: None,
        email: None,
    })
}

/// Reopening a resolved or closed ticket, with the customer's comment as a public message.
///
/// # Errors
/// 422 for a too long comment.
pub(crate) fn reopen_change(comment: Option<String>) -> Result<Change> {
    let comment = comment.filter(|comment| !comment.trim().is_empty());
    if comment
        .as_ref()
        .is_some_and(|comment| comment.len() > MAX_TEXT)
    {
        return Err(Error::field("comment", "the comment is too long"));
    }
    Ok(Change {
        action: Action::Reopen,
        kind: "reopen",
        clock: vec![ClockEventKind::Reopened],
        message: comment.map(|text| (text, false)),
        payload: serde_json::json!({}),
        internal: false,
        notify_supervisors: false,
        rating: None,
        proposal: None,
        decision: None,
        email: None,
    })
}

/// `POST /api/tickets/{reference}/messages`.
async fn create_message(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: AuthUser,
    Path(reference): Path<String>,
    headers: HeaderMap,
    Json(input): Json<NewMessage>,
) -> Result<Response> {
    write_limit(&state, &user, ip)?;
    let change = message_change(&user, input.body, input.internal)?;
    apply(&state, &user, &reference, if_match(&headers)?, change, None).await
}

/// `POST /api/tickets/{reference}/actions` with `If-Match: <version>`.
async fn create_action(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: AuthUser,
    Path(reference): Path<String>,
    headers: HeaderMap,
    Json(input): Json<ActionRequest>,
) -> Result<Response> {
    write_limit(&state, &user, ip)?;
    let comment = input
        .comment
        .clone()
        .filter(|comment| !comment.trim().is_empty());
    if comment
        .as_ref()
        .is_some_and(|comment| comment.len() > MAX_TEXT)
    {
        return Err(Error::field("comment", "the comment is too long"));
    }
    let public_comment = comment.clone().map(|text| (text, false));
    let (kind, clock, payload, notify_supervisors) = match input.action {
        Action::Take => ("take", vec![], serde_json::json!({}), false),
        Action::Assign => {
            let assignee = input
                .assignee_id
                .ok_or_else(|| Error::field("assignee_id", "choose whom to assign"))?;
            (
                "assign",
                vec![],
                serde_json::json!({ "assignee_id": assignee }),
                false,
            )
        }
        Action::RequestInfo => {
            if comment.is_none() {
                return Err(Error::field(
                    "comment",
                    "write what you need from the customer",
                ));
            }
            (
                "request_info",
                vec![ClockEventKind::WaitingForCustomer],
                serde_json::json!({}),
                false,
            )
        }
        Action::MarkReproduced => (
            "mark_reproduced",
            vec![ClockEventKind::MarkedReproduced],
            serde_json::json!({}),
            false,
        ),
        Action::Escalate => (
            "escalate",
            vec![ClockEventKind::Escalated],
            serde_json::json!({}),
            true,
        ),
        Action::LinkKnownError => {
            let known_error = input
                .known_error_id
                .ok_or_else(|| Error::field("known_error_id", "choose a known error"))?;
            (
                "link_known_error",
                vec![ClockEventKind::KnownErrorLinked],
                serde_json::json!({ "known_error_id": known_error }),
                false,
            )
        }
        Action::Resolve => (
            "resolve",
            vec![ClockEventKind::Resolved],
            serde_json::json!({}),
            false,
        ),
        Action::Reopen => (
            "reopen",
            vec![ClockEventKind::Reopened],
            serde_json::json!({}),
            false,
        ),
        Action::Close => (
            "close",
            vec![ClockEventKind::Closed],
            serde_json::json!({}),
            false,
        ),
        Action::Expedite => ("expedite", vec![], serde_json::json!({}), true),
        other => {
            return Err(Error::field(
                "action",
                format!("{other} is not an action of this endpoint"),
            ));
        }
    };
    let mut clock = clock;
    // A public comment from staff answers the customer; one from the customer re-arms the
    // next-response clock. `request_info` is itself the response.
    if comment.is_some() && !matches!(input.action, Action::RequestInfo) {
        if user.is_staff() {
            clock.insert(0, ClockEventKind::AgentPublicReply);
        } else if input.action != Action::Reopen {
            clock.insert(0, ClockEventKind::CustomerMessage);
        }
    }
    let change = Change {
        action: input.action,
        kind,
        clock,
        message: public_comment,
        payload,
        internal: false,
        notify_supervisors,
        rating: None,
        proposal: None,
        decision: None,
        email: None,
    };
    apply(
        &state,
        &user,
        &reference,
        if_match(&headers)?,
        change,
        Some(input),
    )
    .await
}

/// Applies one change to one ticket in one transaction: the ticket row, the event, the audit
/// entry, the notifications and the outgoing mail.
pub(crate) async fn apply(
    state: &AppState,
    user: &AuthUser,
    reference: &str,
    expected: Option<i32>,
    change: Change,
    request: Option<ActionRequest>,
) -> Result<Response> {
    let now = Utc::now();
    let txn = crate::db::begin(&state.db).await?;
    if !q::lock_ticket(&txn, reference).await? {
        return Err(Error::NotFound);
    }
    let ticket = visible(user, q::find_ticket(&txn, reference).await?)?;
    if let Some(expected) = expected
        && expected != ticket.version
    {
        txn.rollback().await?;
        return Err(conflict(state, user, reference, "the ticket changed; reload it").await);
    }
    let role = role_of(user);
    let status = q::status_of(&ticket);
    let next = match shared::ticket::transition(status, change.action, role) {
        Ok(next) => next,
        Err(error @ TransitionError::Forbidden { .. }) => {
            return Err(Error::Forbidden(error.to_string()));
        }
        Err(error @ TransitionError::InvalidInStatus { .. }) => {
            txn.rollback().await?;
            return Err(conflict(state, user, reference, &error.to_string()).await);
        }
    };
    let mut model = ticket::ActiveModel {
        status: Set(next.as_str().to_owned()),
        updated_at: Set(now),
        open: Set(next.is_active()),
        ..Default::default()
    };
    let mut payload = change.payload.clone();
    let mut extra_clock = None;
    match change.action {
        Action::Take => model.assignee_id = Set(Some(user.id)),
        Action::Assign => {
            let assignee_id = request
                .as_ref()
                .and_then(|r| r.assignee_id)
                .unwrap_or_default();
            let assignee = user::Entity::find_by_id(assignee_id)
                .one(&txn)
                .await?
                .filter(|assignee| assignee.active && assignee.role != "customer")
                .ok_or_else(|| {
                    Error::field("assignee_id", "no active staff member with this id")
                })?;
            model.assignee_id = Set(Some(assignee.id));
            if assignee.role == "agent_l2" {
                model.tier = Set(2);
            }
        }
        Action::Escalate => {
            model.tier = Set(2);
            model.assignee_id = Set(None);
        }
        Action::LinkKnownError => {
            let known_error_id = request
                .as_ref()
                .and_then(|r| r.known_error_id)
                .unwrap_or_default();
            link_known_error(&txn, ticket.id, known_error_id, user.id, now).await?;
        }
        Action::Resolve => {
            if let Some(classification) = q::classification_of(&ticket)
                && let Err(error) = classification.check_final()
            {
                return Err(Error::field("severity", error.to_string()));
            }
            model.resolved_at = Set(Some(now));
        }
        Action::Reopen => {
            if status == Status::Closed
                && let Some(closed_at) = ticket.closed_at
                && now - closed_at > chrono::Duration::days(state.config.reopen_days)
            {
                txn.rollback().await?;
                return Err(conflict(
                    state,
                    user,
                    reference,
                    &format!(
                        "a closed ticket can be reopened within {} days",
                        state.config.reopen_days
                    ),
                )
                .await);
            }
            model.reopen_count = Set(ticket.reopen_count + 1);
            model.resolved_at = Set(None);
            model.closed_at = Set(None);
            model.close_reason = Set(None);
        }
        Action::Close => {
            model.closed_at = Set(Some(now));
            let reason = if user.is_customer() {
                "customer"
            } else {
                "staff"
            };
            model.close_reason = Set(Some(reason.to_owned()));
            payload["reason"] = serde_json::json!(reason);
        }
        Action::ProposeReclassification => {
            if let (Some((to, reason)), Some(from)) =
                (&change.proposal, q::classification_of(&ticket))
            {
                let created = reclassification::ActiveModel {
                    ticket_id: Set(ticket.id),
                    proposed_by: Set(Some(user.id)),
                    from_category: Set(from.category.code().to_owned()),
                    from_severity: Set(from.severity.map(|s| i16::from(s.number()))),
                    to_category: Set(to.category.code().to_owned()),
                    to_severity: Set(to.severity.map(|s| i16::from(s.number()))),
                    reason: Set(reason.clone()),
                    status: Set("pending".to_owned()),
                    created_at: Set(now),
                    decided_at: Set(None),
                    decided_by: Set(None),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                payload["reclassification_id"] = serde_json::json!(created.id);
                payload["to"] = serde_json::json!(to);
            }
        }
        Action::AcceptReclassification | Action::RejectReclassification => {
            let id = change.decision.unwrap_or_default();
            let proposal = reclassification::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .filter(|proposal| proposal.ticket_id == ticket.id)
                .ok_or(Error::NotFound)?;
            if proposal.status != "pending" {
                txn.rollback().await?;
                return Err(
                    conflict(state, user, reference, "this proposal is already decided").await,
                );
            }
            let accepted = change.action == Action::AcceptReclassification;
            let mut decided: reclassification::ActiveModel = proposal.clone().into();
            decided.status = Set(if accepted { "accepted" } else { "rejected" }.to_owned());
            decided.decided_at = Set(Some(now));
            decided.decided_by = Set(Some(user.id));
            decided.update(&txn).await?;
            payload["reclassification_id"] = serde_json::json!(id);
            if accepted {
                let to = proposed_classification(&proposal, ticket.special)?;
                model.category = Set(to.category.code().to_owned());
                model.severity = Set(to.severity.map(|s| i16::from(s.number())));
                extra_clock = Some(ClockEventKind::Reclassified(to));
                payload["to"] = serde_json::json!(to);
            }
        }
        Action::Rate => {
            if let Some((score, comment)) = &change.rating {
                if !rate_once(&txn, ticket.id, user.id, *score, comment, now).await? {
                    txn.rollback().await?;
                    return Err(
                        conflict(state, user, reference, "this ticket is already rated").await,
                    );
                }
                payload["score"] = serde_json::json!(score);
            }
        }
        _ => {}
    }
    let mut message_id = None;
    if let Some((body, internal)) = &change.message {
        let id = match &change.email {
            Some(email) => {
                q::insert_message_from(
                    &txn,
                    ticket.id,
                    Some(user.id),
                    body,
                    *internal,
                    now,
                    "email",
                    Some(&email.message_id),
                )
                .await?
            }
            None => {
                q::insert_message(&txn, ticket.id, Some(user.id), body, *internal, false, now)
                    .await?
            }
        };
        message_id = Some(id);
        if let Some(object) = payload.as_object_mut() {
            object.insert("message_id".into(), id.into());
        }
    }
    if let Some(email) = &change.email
        && !crate::intake::record(&txn, email, &ticket, message_id, user, "threaded", now).await?
    {
        txn.rollback().await?;
        return Err(Error::conflict("this message was already received"));
    }
    let mut clock_kinds = change.clock.clone();
    clock_kinds.extend(extra_clock);
    let mut event_id = None;
    if clock_kinds.is_empty() {
        event_id = Some(
            q::insert_event(
                &txn,
                ticket.id,
                change.kind,
                Some(user.id),
                now,
                change.internal,
                None,
                payload.clone(),
            )
            .await?,
        );
    }
    for (index, clock) in clock_kinds.iter().enumerate() {
        let kind = if index + 1 == clock_kinds.len() {
            change.kind
        } else {
            "reply"
        };
        event_id = Some(
            q::insert_event(
                &txn,
                ticket.id,
                kind,
                Some(user.id),
                now,
                change.internal,
                Some(*clock),
                payload.clone(),
            )
            .await?,
        );
    }
    let mut current = ticket.clone();
    current.status = next.as_str().to_owned();
    let clocks = q::compute_clocks(&txn, &current, now).await?;
    q::set_derived(&mut model, clocks.as_ref(), now);
    if !q::update_if_version(&txn, ticket.id, ticket.version, model).await? {
        txn.rollback().await?;
        return Err(conflict(state, user, reference, "the ticket changed; reload it").await);
    }
    db::audit(
        &txn,
        now,
        Some(user.id),
        &format!("ticket.{}", change.kind),
        "ticket",
        reference,
        payload,
    )
    .await?;
    // Recipients come from the ticket as the change left it, so a new assignee hears of it.
    let changed = q::find_ticket(&txn, reference)
        .await?
        .ok_or(Error::NotFound)?;
    let recipients = recipients(
        &txn,
        &changed,
        Some(user.id),
        change.internal,
        change.notify_supervisors,
    )
    .await?;
    q::notify(
        &txn,
        &recipients,
        ticket.id,
        event_id,
        change.kind,
        &format!("{reference}: {}", change.kind.replace('_', " ")),
        now,
    )
    .await?;
    let text = change.message.as_ref().map(|(body, _)| body.as_str());
    let notice = match change.kind {
        "agent_reply" | "customer_reply" | "internal_note" => Notice::Message {
            author: &user.name,
            body: text.unwrap_or_default(),
        },
        "request_info" => Notice::InformationRequested {
            body: text.unwrap_or_default(),
        },
        "resolve" => Notice::Resolved {
            solution: text.unwrap_or_default(),
            version: changed.version,
        },
        kind => Notice::Update {
            kind,
            comment: text,
        },
    };
    outbox::mail_ticket(&txn, &state.composer, &changed, &recipients, notice, now).await?;
    txn.commit().await?;
    let ticket = q::find_ticket(&state.db, reference)
        .await?
        .ok_or(Error::NotFound)?;
    let body = render_one(&state.db, user, ticket, now).await?;
    let status = if change.message.is_some() && change.kind.ends_with("reply")
        || change.kind == "internal_note"
    {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(body)).into_response())
}

/// Everyone to tell about an event except the actor, if any (requester, organisation watchers,
/// assignee, followers); internal events reach staff only.
pub(crate) async fn recipients(
    db: &impl ConnectionTrait,
    ticket: &ticket::Model,
    actor_id: Option<i64>,
    internal: bool,
    supervisors: bool,
) -> Result<Vec<i64>, sea_orm::DbErr> {
    let mut ids = Vec::new();
    if !internal {
        ids.push(ticket.requester_id);
    }
    ids.extend(db::watchers::recipients(db, ticket.organisation_id, internal).await?);
    ids.extend(ticket.assignee_id);
    for (user_id, staff) in q::followers(db, ticket.id).await? {
        if staff || !internal {
            ids.push(user_id);
        }
    }
    if supervisors {
        ids.extend(q::supervisors(db).await?);
    }
    ids.sort_unstable();
    ids.dedup();
    ids.retain(|&id| Some(id) != actor_id);
    Ok(ids)
}

async fn link_known_error(
    db: &impl ConnectionTrait,
    ticket_id: i64,
    known_error_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
    let exists = Query::select()
        .column("id")
        .from("known_errors")
        .and_where(Expr::col("id").eq(known_error_id))
        .to_owned();
    if db.query_one(&exists).await?.is_none() {
        return Err(Error::field(
            "known_error_id",
            "no known error with this id",
        ));
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
    Ok(())
}

/// A 409 carrying the ticket as it is now, so the app can show what changed.
async fn conflict(state: &AppState, user: &AuthUser, reference: &str, message: &str) -> Error {
    let current = match q::find_ticket(&state.db, reference).await {
        Ok(Some(ticket)) => render_one(&state.db, user, ticket, Utc::now())
            .await
            .ok()
            .and_then(|ticket| serde_json::to_value(ticket).ok()),
        _ => None,
    };
    Error::Conflict {
        message: message.to_owned(),
        current,
    }
}

/// `POST /api/tickets/{reference}/rating`: customers of the ticket's organisation rate a
/// resolved (or closed) ticket once.
async fn create_rating(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: AuthUser,
    Path(reference): Path<String>,
    Json(input): Json<shared::api::NewRating>,
) -> Result<Response> {
    write_limit(&state, &user, ip)?;
    let change = rating_change(input.score, input.comment)?;
    let response = apply(&state, &user, &reference, None, change, None).await?;
    let (mut parts, body) = response.into_parts();
    parts.status = StatusCode::CREATED;
    Ok(Response::from_parts(parts, body))
}

async fn rate_once(
    db: &impl ConnectionTrait,
    ticket_id: i64,
    user_id: i64,
    score: i16,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let existing = Query::select()
        .column("id")
        .from("ratings")
        .and_where(Expr::col("ticket_id").eq(ticket_id))
        .to_owned();
    if db.query_one(&existing).await?.is_some() {
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

/// `POST /api/tickets/{reference}/followers`: the caller follows the ticket (staff, or customers
/// of its organisation).
async fn create_follower(
    State(state): State<AppState>,
    user: AuthUser,
    Path(reference): Path<String>,
) -> Result<StatusCode> {
    use sea_orm::sea_query::{OnConflict, Query};
    let ticket = visible(&user, q::find_ticket(&state.db, &reference).await?)?;
    let insert = Query::insert()
        .into_table("followers")
        .columns(["ticket_id", "user_id", "created_at"])
        .values_panic([ticket.id.into(), user.id.into(), Utc::now().into()])
        .on_conflict(
            OnConflict::columns(["ticket_id", "user_id"])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    state.db.execute(&insert).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/tickets/{reference}/followers`: the caller stops following.
async fn delete_follower(
    State(state): State<AppState>,
    user: AuthUser,
    Path(reference): Path<String>,
) -> Result<StatusCode> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let ticket = visible(&user, q::find_ticket(&state.db, &reference).await?)?;
    let delete = Query::delete()
        .from_table("followers")
        .and_where(Expr::col("ticket_id").eq(ticket.id))
        .and_where(Expr::col("user_id").eq(user.id))
        .to_owned();
    state.db.execute(&delete).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn proposed_classification(
    proposal: &reclassification::Model,
    special: bool,
) -> Result<Classification> {
    let probe = ticket::Model {
        category: proposal.to_category.clone(),
        severity: proposal.to_severity,
        special,
        ..ticket_probe()
    };
    q::classification_of(&probe).ok_or_else(|| {
        Error::Internal(anyhow::anyhow!(
            "stored proposal {} is invalid",
            proposal.id
        ))
    })
}

fn ticket_probe() -> ticket::Model {
    let epoch = DateTime::<Utc>::UNIX_EPOCH;
    ticket::Model {
        id: 0,
        reference: String::new(),
        organisation_id: 0,
        requester_id: 0,
        subject: String::new(),
        description: String::new(),
        steps: None,
        product_version: String::new(),
        category: String::new(),
        severity: None,
        special: false,
        status: String::new(),
        assignee_id: None,
        tier: 1,
        plan_version_id: 0,
        sla_level: String::new(),
        registered_at: epoch,
        updated_at: epoch,
        version: 0,
        next_deadline: None,
        next_check_at: None,
        at_risk: false,
        breached: false,
        open: true,
        reopen_count: 0,
        clocks: String::new(),
        close_reason: None,
        resolved_at: None,
        closed_at: None,
        first_response_outcome: None,
        resolution_outcome: None,
        derived_stale: false,
    }
}

/// `POST /api/tickets/{reference}/reclassifications`: staff propose; the customer decides.
async fn create_reclassification(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: AuthUser,
    Path(reference): Path<String>,
    Json(input): Json<shared::api::NewReclassification>,
) -> Result<Response> {
    write_limit(&state, &user, ip)?;
    if input.reason.trim().is_empty() {
        return Err(Error::field("reason", "explain the new classification"));
    }
    if input.reason.chars().count() > crate::validate::MAX_REASON {
        return Err(Error::field(
            "reason",
            format!(
                "a reason may have at most {} characters",
                crate::validate::MAX_REASON
            ),
        ));
    }
    let to = Classification::new(input.category, input.severity, false)
        .map_err(|error| Error::field(error.field(), error.to_string()))?;
    let change = Change {
        action: Action::ProposeReclassification,
        kind: "reclassification_proposed",
        clock: Vec::new(),
        message: None,
        payload: serde_json::json!({ "reason": input.reason }),
        internal: false,
        notify_supervisors: false,
        rating: None,
        proposal: Some((to, input.reason)),
        decision: None,
        email: None,
    };
    let response = apply(&state, &user, &reference, None, change, None).await?;
    let (mut parts, body) = response.into_parts();
    parts.status = StatusCode::CREATED;
    Ok(Response::from_parts(parts, body))
}

async fn decide_reclassification(
    state: AppState,
    ip: std::net::IpAddr,
    user: AuthUser,
    id: i64,
    accept: bool,
) -> Result<Response> {
    write_limit(&state, &user, ip)?;
    let proposal = reclassification::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(Error::NotFound)?;
    let ticket = visible(
        &user,
        ticket::Entity::find_by_id(proposal.ticket_id)
            .one(&state.db)
            .await?,
    )?;
    let (action, kind) = if accept {
        (Action::AcceptReclassification, "reclassification_accepted")
    } else {
        (Action::RejectReclassification, "reclassification_rejected")
    };
    let change = Change {
        action,
        kind,
        clock: Vec::new(),
        message: None,
        payload: serde_json::json!({}),
        internal: false,
        notify_supervisors: false,
        rating: None,
        proposal: None,
        decision: Some(id),
        email: None,
    };
    apply(&state, &user, &ticket.reference, None, change, None).await
}

/// `POST /api/reclassifications/{id}/accept` (the customer).
async fn accept_reclassification(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Response> {
    decide_reclassification(state, ip, user, id, true).await
}

/// `POST /api/reclassifications/{id}/reject` (the customer).
async fn reject_reclassification(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Response> {
    decide_reclassification(state, ip, user, id, false).await
}
