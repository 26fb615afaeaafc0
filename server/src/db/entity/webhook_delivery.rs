use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub webhook_id: i64,
    pub ticket_id: Option<i64>,
    pub event_id: Option<i64>,
    /// A `shared::api::WebhookEvent` name.
    pub event: String,
    /// The JSON body, exactly as it is signed and sent.
    pub body: String,
    pub created_at: DateTimeUtc,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub delivered_at: Option<DateTimeUtc>,
    /// Set when the last attempt failed and no more are made.
    pub failed_at: Option<DateTimeUtc>,
    pub response_code: Option<i32>,
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
