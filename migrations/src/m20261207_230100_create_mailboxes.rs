//! Support mailboxes the server reads over IMAP, and how each last fared.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("mailboxes")
                    .col(big_pk_auto("id"))
                    .col(string_len("name", 200))
                    .col(string_len("host", 255))
                    .col(integer("port"))
                    // `none`, `starttls` or `tls`.
                    .col(string_len("tls", 10))
                    .col(string_len("username", 255))
                    .col(text("secret"))
                    .col(string_len("folder", 255))
                    .col(string_len("processed_folder", 255))
                    .col(string_len("failed_folder", 255))
                    .col(big_integer_null("product_id"))
                    .col(boolean("enabled"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    // `ok` or `failing`, with the last failure in words; null until first read.
                    .col(string_len_null("state", 10))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone_null("checked_at"))
                    .col(big_integer("ingested").default(0))
                    .col(big_integer("failed").default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .from("mailboxes", "product_id")
                            .to("products", "id")
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("mailboxes").to_owned())
            .await
    }
}
