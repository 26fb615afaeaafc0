use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub ticket_id: i64,
    pub author_id: Option<i64>,
    pub body: String,
    pub internal: bool,
    pub automatic: bool,
    pub source: String,
    pub email_message_id: Option<String>,
    pub created_at: DateTimeUtc,
    /// The minutes of staff time the reply or note records.
    pub minutes: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
