use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub ticket_id: i64,
    pub message_id: Option<i64>,
    pub uploader_id: Option<i64>,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    /// The content is stored under `data_dir/attachments/<sha256>`.
    pub sha256: String,
    pub created_at: DateTimeUtc,
    pub first_downloaded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
