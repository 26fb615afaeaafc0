//! Canned responses: texts with placeholders that agents insert into replies, shared by the team
//! (`owner_id` null) or personal.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("canned_responses")
                    .col(big_pk_auto("id"))
                    .col(string("title"))
                    .col(text("body"))
                    .col(big_integer_null("owner_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("canned_responses", "owner_id")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("canned_responses_owner")
                    .table("canned_responses")
                    .col("owner_id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("canned_responses").to_owned())
            .await
    }
}
