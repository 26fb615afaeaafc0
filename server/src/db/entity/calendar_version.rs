use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub calendar_id: i64,
    pub version: i32,
    /// A `shared::calendar::CalendarSpec` as JSON, immutable once written.
    pub spec: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
