//! The final outcomes of the first-response and resolution clocks as derived columns, so the
//! SLA report counts them with `GROUP BY`; a `derived_stale` flag for the batch job that
//! recomputes derived columns after a plan or calendar edit; an index on registration time for
//! reports by period.
//!
//! Existing tickets start stale, so the job fills their outcomes from the event log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            // `met`, `breached`, or NULL while undecided.
            string_len_null("first_response_outcome", 16),
            string_len_null("resolution_outcome", 16),
            boolean("derived_stale").default(true).to_owned(),
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
                    .name("tickets_registered")
                    .table("tickets")
                    .col("registered_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("tickets_derived_stale")
                    .table("tickets")
                    .col("derived_stale")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ticket_events_kind")
                    .table("ticket_events")
                    .col("kind")
                    .col("at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ratings_created")
                    .table("ratings")
                    .col("created_at")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("ratings_created", "ratings"),
            ("ticket_events_kind", "ticket_events"),
            ("tickets_derived_stale", "tickets"),
            ("tickets_registered", "tickets"),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        for column in [
            "derived_stale",
            "resolution_outcome",
            "first_response_outcome",
        ] {
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
