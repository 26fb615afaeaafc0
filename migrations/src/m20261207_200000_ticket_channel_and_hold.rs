//! How a ticket came in (`channel`: portal, email, phone, …) and why it is on hold: the kind
//! and the reason the customer reads, and when it resumes by itself (`hold_until`, indexed for
//! the job that resumes it).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            string_len("channel", 16).default("portal").to_owned(),
            string_len_null("hold_kind", 32),
            text_null("hold_reason"),
            timestamp_with_time_zone_null("hold_until"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("tickets")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("tickets_hold_until")
                    .table("tickets")
                    .col("hold_until")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("tickets_hold_until")
                    .table("tickets")
                    .to_owned(),
            )
            .await?;
        for column in ["hold_until", "hold_reason", "hold_kind", "channel"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("tickets")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
