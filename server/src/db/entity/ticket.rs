use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tickets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub reference: String,
    pub organisation_id: i64,
    pub requester_id: i64,
    pub subject: String,
    pub description: String,
    pub steps: Option<String>,
    pub product_version: String,
    pub category: String,
    pub severity: Option<i16>,
    pub special: bool,
    /// The customer asked for a special request that waits for staff confirmation (contract
    /// `confirm`); the ticket runs on normal clocks until staff set the flag.
    pub special_requested: bool,
    pub status: String,
    pub assignee_id: Option<i64>,
    pub tier: i16,
    pub plan_version_id: i64,
    pub sla_level: String,
    pub registered_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    pub next_deadline: Option<DateTimeUtc>,
    pub next_check_at: Option<DateTimeUtc>,
    pub at_risk: bool,
    pub breached: bool,
    pub open: bool,
    pub reopen_count: i32,
    /// `shared::sla::Clocks` as JSON, as of the last event.
    pub clocks: String,
    pub close_reason: Option<String>,
    pub resolved_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    /// `met` or `breached` once the first-response clock's outcome is final.
    pub first_response_outcome: Option<String>,
    /// `met` or `breached` once the resolution clock's outcome is final (a reopen undoes `met`).
    pub resolution_outcome: Option<String>,
    /// The derived columns wait for the recompute job (after a plan or calendar edit).
    pub derived_stale: bool,
    /// `portal`, `email`, `phone`, `intranet` or `other` (`shared::ticket::Channel`).
    pub channel: String,
    /// While on hold: `shared::ticket::HoldKind`, the reason the customer reads, and when the
    /// ticket resumes by itself.
    pub hold_kind: Option<String>,
    pub hold_reason: Option<String>,
    pub hold_until: Option<DateTimeUtc>,
    /// The product the ticket was filed for, and its name then.
    pub product_id: Option<i64>,
    pub product: Option<String>,
    /// The values of the product's own fields, a JSON object by key.
    pub product_fields: Option<String>,
    /// The version was not one the product supports.
    pub unsupported_version: bool,
    /// Scheduled off-hours work [004]: the window the customer asked the work to be done in.
    pub scheduled_start: Option<DateTimeUtc>,
    pub scheduled_end: Option<DateTimeUtc>,
    /// Paid work [004]: the time staff spend on it draws the organisation's prepaid balance.
    pub paid: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
