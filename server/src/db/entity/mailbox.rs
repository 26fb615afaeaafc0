use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mailboxes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub host: String,
    pub port: i32,
    /// A `shared::api::MailboxTls` name.
    pub tls: String,
    pub username: String,
    pub secret: String,
    pub folder: String,
    pub processed_folder: String,
    pub failed_folder: String,
    pub product_id: Option<i64>,
    pub enabled: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// `ok` or `failing`; null until first read.
    pub state: Option<String>,
    pub last_error: Option<String>,
    pub checked_at: Option<DateTimeUtc>,
    pub ingested: i64,
    pub failed: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
