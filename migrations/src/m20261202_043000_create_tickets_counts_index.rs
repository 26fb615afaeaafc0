//! An index that holds every column the queue's counters read (`GET /api/tickets/counts`), so
//! counting a view of 100,000 open tickets reads this narrow index and never the ticket rows
//! with their descriptions and clocks.
//!
//! It leads with `open` (every staff view) and `assignee_id` (the mine and unassigned views
//! seek to their part); the other views filter on `tier`, `special` and the flags inside it, and
//! the counters read `status`, `next_deadline`, `at_risk` and `breached` from it. A text search
//! still reads the subjects, as the list does.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("tickets_counts")
                    .table("tickets")
                    .col("open")
                    .col("assignee_id")
                    .col("tier")
                    .col("special")
                    .col("status")
                    .col("next_deadline")
                    .col("at_risk")
                    .col("breached")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("tickets_counts")
                    .table("tickets")
                    .to_owned(),
            )
            .await
    }
}
