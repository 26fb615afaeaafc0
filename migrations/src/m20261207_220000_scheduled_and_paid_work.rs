//! Scheduled off-hours work and paid work [004]: the window a ticket asks its work to be done
//! in (`scheduled_start`, `scheduled_end`), whether a ticket is paid work (`paid`), the minutes
//! of staff time a message records (`messages.minutes`), and each organisation's prepaid
//! balance as a ledger of signed changes in minutes (`balance_entries`: admins' top-ups and
//! corrections, and the time spent on paid tickets).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            timestamp_with_time_zone_null("scheduled_start"),
            timestamp_with_time_zone_null("scheduled_end"),
            boolean("paid").default(false).to_owned(),
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
            .alter_table(
                Table::alter()
                    .table("messages")
                    .add_column(integer_null("minutes"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("balance_entries")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organisation_id"))
                    .col(big_integer("minutes"))
                    .col(string_len("kind", 16))
                    .col(big_integer_null("ticket_id"))
                    .col(big_integer_null("actor_id"))
                    .col(text("comment"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("balance_entries", "organisation_id")
                            .to("organisations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("balance_entries_organisation")
                    .table("balance_entries")
                    .col("organisation_id")
                    .col("id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("balance_entries").to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("messages")
                    .drop_column("minutes")
                    .to_owned(),
            )
            .await?;
        for column in ["paid", "scheduled_end", "scheduled_start"] {
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
