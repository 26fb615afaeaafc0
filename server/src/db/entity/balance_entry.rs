use sea_orm::entity::prelude::*;

/// One change of an organisation's prepaid balance, in signed minutes.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "balance_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: i64,
    pub minutes: i64,
    /// `top_up`, `correction` or `work` (`shared::api::BalanceEntryKind`).
    pub kind: String,
    /// For `work`: the paid ticket the time was spent on.
    pub ticket_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub comment: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
