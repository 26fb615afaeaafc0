use sea_orm::entity::prelude::*;

/// A password reminder of a plan (`plan_id`) or of an organisation (`organisation_id`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "password_reminders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub text_en: String,
    pub text_ru: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
