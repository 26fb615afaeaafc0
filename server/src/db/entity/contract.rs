use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: i64,
    pub plan_id: i64,
    /// The plan version the contract pins: the plan's current one when made or last re-pinned.
    pub plan_version_id: Option<i64>,
    /// `allowed`, `not_allowed` or `confirm` (`shared::api::SpecialRequests`).
    pub special_requests: String,
    pub valid_from: Date,
    pub valid_to: Date,
    pub account_limit: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
