//! Webhooks: the endpoints admins register, the deliveries actions queue for them (written in
//! the action's transaction, like mail), and the leases that let one instance at a time work
//! on an endpoint or a mailbox.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("webhooks")
                    .col(big_pk_auto("id"))
                    .col(text("url"))
                    .col(text("secret"))
                    // A JSON array of event names such as `["ticket_created"]`.
                    .col(text("events"))
                    .col(boolean("internal"))
                    .col(boolean("enabled"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("webhook_deliveries")
                    .col(big_pk_auto("id"))
                    .col(big_integer("webhook_id"))
                    .col(big_integer_null("ticket_id"))
                    .col(big_integer_null("event_id"))
                    .col(string_len("event", 40))
                    .col(text("body"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(integer("attempts"))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("delivered_at"))
                    .col(timestamp_with_time_zone_null("failed_at"))
                    .col(integer_null("response_code"))
                    .col(text_null("last_error"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("webhook_deliveries", "webhook_id")
                            .to("webhooks", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("webhook_deliveries_pending")
                    .table("webhook_deliveries")
                    .col("webhook_id")
                    .col("delivered_at")
                    .col("failed_at")
                    .col("id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("leases")
                    .col(string_len("name", 100).primary_key())
                    .col(string_len("holder", 200))
                    .col(timestamp_with_time_zone("expires_at"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["leases", "webhook_deliveries", "webhooks"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
