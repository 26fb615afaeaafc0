//! The ticket service: every ticket operation — registration, each lifecycle action, messages,
//! ratings, reclassifications, following — as one typed [`Command`] (or a call of its own)
//! that returns domain results, never HTTP.
//!
//! The HTTP handlers in `routes`, mail intake, the jobs and the demo seeder all call this
//! module; it decides with `shared`'s rules and stores through `db`. Every action runs in one
//! transaction: the ticket row (with its derived SLA columns), the events, the audit entry,
//! the notifications and the outgoing mail commit together or not at all. "Now" is read from
//! the one [`Clock`] of the state.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use shared::api::{NewTicket, SpecialRequests, Ticket, TicketDetail};
use shared::product::UnsupportedVersions;
use shared::ticket::scheduled::ScheduledWork;
use shared::ticket::{Category, Channel, Classification};

use crate::auth::AuthUser;
use crate::clock::Clock;
use crate::db::entity::ticket;
use crate::db::{self, ConnectionTrait, DatabaseConnection, DbErr, tickets as q};
use crate::error::{Error, FieldErrors, Result};
use crate::state::AppState;

mod apply;
mod commands;
mod registration;
mod view;
mod work;

pub use commands::Command;
pub(crate) use registration::{Registered, Registrar, Registration, register};

/// The longest description, step list, message or comment.
pub(crate) use crate::validate::MAX_TEXT;
use crate::validate::{MAX_TITLE as MAX_SUBJECT, MAX_VERSION};

/// The ticket service over the shared state: its database, mail composer, registrar,
/// directory and clock.
#[derive(Clone, Copy)]
pub struct Tickets<'a> {
    state: &'a AppState,
}

impl AppState {
    /// The ticket service.
    pub fn tickets(&self) -> Tickets<'_> {
        Tickets { state: self }
    }
}

/// One command on one ticket.
pub(crate) struct Request {
    pub(crate) reference: String,
    /// The version the caller last saw (`If-Match`, a rating link's): a 409 if it moved on.
    pub(crate) expected_version: Option<i32>,
    pub(crate) command: Command,
    /// The incoming mail the command comes from: recorded (once) with the change.
    pub(crate) email: Option<crate::intake::EmailOrigin>,
}

/// What a command did: the ticket as committed, the events it appended and who was told.
pub struct Applied {
    pub ticket: ticket::Model,
    pub events: Vec<i64>,
    pub audience: Vec<i64>,
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

/// Who a new ticket is filed for, and by whom when not by the requester.
struct Filer {
    requester: AuthUser,
    organisation_id: i64,
    registered_by: Option<i64>,
}

/// A new ticket's parts, every field checked.
pub struct Draft {
    pub subject: String,
    pub description: String,
    pub steps: Option<String>,
    pub product_version: String,
    pub classification: Classification,
    /// The customer asked for a special request that waits for staff confirmation.
    pub special_requested: bool,
    /// How the request came in.
    pub channel: Channel,
    pub product: DraftProduct,
    /// Scheduled off-hours work [004]: the window asked for, checked against the plan's
    /// calendar by [`Draft::under_plan`].
    pub scheduled_work: Option<ScheduledWork>,
    /// Paid work [004], accepted while the organisation's balance is positive.
    pub paid: bool,
}

impl Draft {
    /// The draft as the contract takes special requests [000, 004]: refused with 422 on
    /// `special` when the contract has none; waiting for staff confirmation (normal clocks
    /// until then) when it asks for one.
    ///
    /// # Errors
    /// 422 naming `special` under `not_allowed`.
    pub(crate) fn under_contract(mut self, special_requests: SpecialRequests) -> Result<Draft> {
        if !self.classification.special {
            return Ok(self);
        }
        match special_requests {
            SpecialRequests::Allowed => {}
            SpecialRequests::NotAllowed => {
                return Err(Error::field(
                    "special",
                    "your contract does not include special requests",
                ));
            }
            SpecialRequests::Confirm => {
                self.classification.special = false;
                self.special_requested = true;
            }
        }
        Ok(self)
    }
}

/// The product a new ticket names: as the customer chose it, then as [`place_product`] found
/// it against the product's supported versions and the plan.
#[derive(Clone, Debug, Default)]
pub struct DraftProduct {
    pub id: Option<i64>,
    /// The values of the product's fields, by key.
    pub fields: std::collections::BTreeMap<String, String>,
    /// The product's name, once found.
    pub name: Option<String>,
    pub unsupported_version: bool,
}

impl TryFrom<NewTicket> for Draft {
    type Error = Error;

    fn try_from(input: NewTicket) -> Result<Draft> {
        let mut errors = FieldErrors::new();
        let mut check = |field: &str, failed: bool, message: String| {
            if failed && !errors.contains_key(field) {
                errors.insert(field.to_owned(), message);
            }
        };
        check(
            "subject",
            input.subject.trim().is_empty(),
            "enter a subject".into(),
        );
        check(
            "subject",
            input.subject.chars().count() > MAX_SUBJECT,
            format!("at most {MAX_SUBJECT} characters"),
        );
        check(
            "description",
            input.description.trim().is_empty(),
            "describe the problem".into(),
        );
        check(
            "description",
            input.description.len() > MAX_TEXT,
            "the description is too long".into(),
        );
        check(
            "product_version",
            input.product_version.trim().is_empty(),
            "enter the product version".into(),
        );
        check(
            "product_version",
            input.product_version.chars().count() > MAX_VERSION,
            format!("at most {MAX_VERSION} characters"),
        );
        check(
            "steps",
            input
                .steps
                .as_ref()
                .is_some_and(|steps| steps.len() > MAX_TEXT),
            "the steps are too long".into(),
        );
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
                special_requested: false,
                channel: input.channel.unwrap_or_default(),
                product: DraftProduct {
                    id: input.product_id,
                    fields: input.product_fields,
                    ..DraftProduct::default()
                },
                scheduled_work: input.scheduled_work,
                paid: input.paid,
            }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// Checks the product `draft` names and applies `plan`'s rule for a version the product does
/// not support: accepted and flagged, taken as a consultation (category D, not special), or
/// refused. A draft without a product passes unchanged.
///
/// # Errors
/// 422 naming `product_id` for an unknown product, `product_fields.<key>` for a field the
/// product does not declare, or `version` when the plan refuses an unsupported version.
pub(crate) async fn place_product(
    db: &impl ConnectionTrait,
    plan: &q::PlanVersion,
    mut draft: Draft,
) -> Result<Draft> {
    let Some(id) = draft.product.id else {
        if !draft.product.fields.is_empty() {
            return Err(Error::field(
                "product_id",
                "choose the product these fields are of",
            ));
        }
        return Ok(draft);
    };
    let product = db::products::find(db, id)
        .await?
        .ok_or_else(|| Error::field("product_id", "no such product"))?;
    draft.product.fields = shared::product::check_fields(&product.fields, &draft.product.fields)
        .map_err(|(field, message)| Error::field(&field, message))?;
    let supported =
        shared::product::is_supported(&draft.product_version, &product.supported_versions);
    if !supported {
        match plan.plan.spec().unsupported_versions {
            UnsupportedVersions::Accept => {}
            UnsupportedVersions::AdviceOnly => {
                draft.classification = Classification::new(Category::D, None, false)
                    .map_err(|error| Error::Internal(anyhow::anyhow!("{error}")))?;
            }
            UnsupportedVersions::Refuse => {
                return Err(Error::field(
                    "version",
                    format!(
                        "version {} of {} is not supported; supported: {}",
                        draft.product_version.trim(),
                        product.name,
                        product.supported_versions.join(", ")
                    ),
                ));
            }
        }
    }
    draft.product.name = Some(product.name);
    draft.product.unsupported_version = !supported;
    Ok(draft)
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
    /// Whether the contract in force takes special requests (allowed without one).
    pub(crate) special_requests: SpecialRequests,
}

/// The organisation's name and the plan version its new tickets run on at `now` (see
/// [`plan_version_at`]), in one query when a contract is in force.
pub(crate) async fn service_at(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    now: DateTime<Utc>,
) -> Result<Service> {
    let row = q::service_on(db, organisation_id, db::contract_day(now))
        .await?
        .ok_or(Error::NotFound)?;
    if let Some(plan) = row.plan {
        return Ok(Service {
            plan,
            organisation_name: row.organisation_name,
            special_requests: row
                .special_requests
                .as_deref()
                .map(SpecialRequests::from_name)
                .unwrap_or_default(),
        });
    }
    if row.on_expiry == "block" {
        return Err(Error::Forbidden(
            "your organisation has no valid support contract".into(),
        ));
    }
    let plan_version_id = q::current_plan_version_by_key(db, "unqualified")
        .await?
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("the unqualified plan is missing")))?;
    Ok(Service {
        plan: q::plan_version(db, plan_version_id).await?,
        organisation_name: row.organisation_name,
        special_requests: SpecialRequests::Allowed,
    })
}

/// Everyone to tell about an event except the actor, if any (requester, organisation watchers,
/// assignee, followers); internal events reach staff only.
pub(crate) async fn recipients(
    db: &impl ConnectionTrait,
    ticket: &ticket::Model,
    actor_id: Option<i64>,
    internal: bool,
    supervisors: bool,
) -> Result<Vec<i64>, DbErr> {
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

impl<'a> Tickets<'a> {
    fn db(&self) -> &'a DatabaseConnection {
        &self.state.db
    }

    fn clock(&self) -> &'a Clock {
        &self.state.clock
    }

    /// A customer registers `input` for their organisation, or staff register it for the
    /// customer `requester_id` names (a phone or on-behalf ticket, with its `channel`): the
    /// ticket as committed, with its clocks. Goes through the registrar's batches.
    ///
    /// # Errors
    /// 403 for a customer without an organisation, staff naming no `requester_id`, or a
    /// blocked contract; 422 for bad fields, a customer naming a `requester_id` or another
    /// channel than the portal, or staff naming no channel or no active customer.
    pub async fn create(&self, user: &AuthUser, input: NewTicket) -> Result<Ticket> {
        let state = self.state;
        let filer = self.filer(user, &input).await?;
        let (user, organisation_id) = (&filer.requester, filer.organisation_id);
        let draft = Draft::try_from(input)?;
        let now = self.clock().now();
        // The contract is read before the transaction: on SQLite a transaction that reads
        // first cannot always upgrade to a writer under load, so the transaction starts with
        // its write. Both are remembered between requests (see `directory`): under load, most
        // creations read nothing before their write.
        let service = state
            .directory
            .services
            .get_or_read(
                (organisation_id, db::contract_day(now)),
                service_at(&state.db, organisation_id, now),
            )
            .await?;
        let draft = draft.under_contract(service.special_requests)?;
        let plan = service.plan.clone();
        let draft = place_product(&state.db, &plan, draft).await?;
        work::check_scheduled(&draft, &plan, now)?;
        work::check_paid(&state.db, organisation_id, &draft).await?;
        // Who hears of the ticket is read beside the other reads, before the write: the write
        // is the part that waits its turn.
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
                Registration::new(user, organisation_id, &plan, draft, now, audience)
                    .registered_by(filer.registered_by),
            )
            .await?;
        // Everything the answer names is known already: the requester was read with the
        // audience, the organisation with the contract; nothing is read back.
        if registered.ticket.scheduled_start.is_some() {
            let held = work::hold_scheduled(state, registered.ticket, now).await?;
            return self.render(user, held).await;
        }
        let plans = HashMap::from([(plan.id, plan)]);
        let people = HashMap::from([(user.id, (requester_name, user.role.as_str().to_owned()))]);
        let organisations = HashMap::from([(organisation_id, service.organisation_name)]);
        let mut rendered = view::render_named(
            self.db(),
            user,
            vec![registered.ticket],
            plans,
            &people,
            &organisations,
        )
        .await?;
        let mut body = rendered.pop().ok_or(Error::NotFound)?;
        body.clocks = Some(registered.clocks);
        Ok(body)
    }

    /// Who files `input`: the customer themself, or for staff the active customer its
    /// `requester_id` names.
    async fn filer(&self, user: &AuthUser, input: &NewTicket) -> Result<Filer> {
        if user.is_customer() {
            if input.requester_id.is_some() {
                return Err(Error::field(
                    "requester_id",
                    "only support staff register a ticket for another person",
                ));
            }
            if input
                .channel
                .is_some_and(|channel| channel != Channel::Portal)
            {
                return Err(Error::field("channel", "customers file through the portal"));
            }
            let organisation_id = user.organisation_id.ok_or_else(|| {
                Error::Forbidden("only customers of an organisation register tickets".into())
            })?;
            return Ok(Filer {
                requester: user.clone(),
                organisation_id,
                registered_by: None,
            });
        }
        // Staff file no tickets of their own: only for a customer.
        let requester_id = input.requester_id.ok_or_else(|| {
            Error::Forbidden(
                "support staff register a ticket for a customer: name its requester_id".into(),
            )
        })?;
        if input.channel.is_none() {
            return Err(Error::field("channel", "choose how the request came in"));
        }
        let customer = q::find_customer(self.db(), requester_id)
            .await?
            .ok_or_else(|| Error::field("requester_id", "no active customer with this id"))?;
        let organisation_id = customer.organisation_id.ok_or_else(|| {
            Error::field("requester_id", "this customer belongs to no organisation")
        })?;
        Ok(Filer {
            requester: AuthUser::try_from(customer)?,
            organisation_id,
            registered_by: Some(user.id),
        })
    }

    /// The ticket `reference` if `user` may see it.
    ///
    /// # Errors
    /// 404 if there is none or it is not the caller's to see.
    pub async fn find(&self, user: &AuthUser, reference: &str) -> Result<ticket::Model> {
        visible(user, q::find_ticket(self.db(), reference).await?)
    }

    /// The ticket page: the ticket, its thread, events, proposals and attachments as `user`
    /// may see them.
    ///
    /// # Errors
    /// 404 as [`Tickets::find`].
    pub async fn detail(&self, user: &AuthUser, reference: &str) -> Result<TicketDetail> {
        let ticket = self.find(user, reference).await?;
        view::detail(self.db(), user, ticket, self.clock().now()).await
    }

    /// The wire form of a ticket row, with its clocks at the clock's now.
    ///
    /// # Errors
    /// A database failure.
    pub async fn render(&self, user: &AuthUser, ticket: ticket::Model) -> Result<Ticket> {
        view::render_one(self.db(), user, ticket, self.clock().now()).await
    }

    /// Wire tickets from rows, with names looked up in two queries.
    ///
    /// # Errors
    /// A database failure.
    pub async fn render_many(
        &self,
        user: &AuthUser,
        rows: Vec<ticket::Model>,
    ) -> Result<Vec<Ticket>> {
        view::render_many(self.db(), user, rows).await
    }

    /// `user` follows the ticket (staff, or customers of its organisation), or stops.
    ///
    /// # Errors
    /// 404 if the ticket is not the caller's to see.
    pub async fn follow(&self, user: &AuthUser, reference: &str, follow: bool) -> Result<()> {
        let ticket = self.find(user, reference).await?;
        q::set_following(self.db(), ticket.id, user.id, follow, self.clock().now()).await?;
        Ok(())
    }

    /// The ticket a reclassification proposal belongs to, if the caller may see it.
    ///
    /// # Errors
    /// 404 for an unknown proposal or a ticket that is not the caller's to see.
    pub async fn proposal_reference(&self, user: &AuthUser, id: i64) -> Result<String> {
        let ticket_id = q::proposal_ticket_id(self.db(), id)
            .await?
            .ok_or(Error::NotFound)?;
        let ticket = visible(user, q::find_ticket_by_id(self.db(), ticket_id).await?)?;
        Ok(ticket.reference)
    }

    /// A 409 carrying the ticket as it is now, so the caller can show what changed.
    async fn conflict(&self, user: &AuthUser, reference: &str, message: String) -> Error {
        let current = match q::find_ticket(self.db(), reference).await {
            Ok(Some(ticket)) => self
                .render(user, ticket)
                .await
                .ok()
                .and_then(|ticket| serde_json::to_value(ticket).ok()),
            _ => None,
        };
        Error::Conflict { message, current }
    }
}
