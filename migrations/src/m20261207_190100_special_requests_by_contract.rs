//! Contracts decide whether special requests are taken [000: agreed in the contract; 004: only
//! with the personal manager's agreement]: `contracts.special_requests` is `allowed`,
//! `not_allowed` or `confirm`. Under `confirm` a special request waits for staff:
//! `tickets.special_requested` marks a ticket whose customer asked for the flag, which runs on
//! normal clocks until staff set it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("contracts")
                    .add_column(string_len("special_requests", 16).default("allowed"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("tickets")
                    .add_column(boolean("special_requested").default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("tickets")
                    .drop_column("special_requested")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("contracts")
                    .drop_column("special_requests")
                    .to_owned(),
            )
            .await
    }
}
