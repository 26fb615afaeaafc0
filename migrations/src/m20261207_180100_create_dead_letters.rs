//! Dead letters: an incoming message that could not be ingested is kept once (its raw bytes,
//! why, when, how many times it failed) for an admin to look at, instead of being offered again
//! and again. A message that is not mail is dead at once; one whose intake failed inside is dead
//! after a few failures (a passing failure, such as a busy database, gets its retries).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("dead_letters")
                    .col(big_pk_auto("id"))
                    .col(timestamp_with_time_zone("received_at"))
                    .col(string_len("reason", 1000))
                    // The SHA-256 of the raw message: the same message is kept only once.
                    .col(string_len("digest", 64).unique_key())
                    .col(string_len_null("message_id", 998))
                    .col(big_integer("size"))
                    .col(blob("raw"))
                    .col(integer("attempts").default(1))
                    .col(boolean("dead").default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("dead_letters").to_owned())
            .await
    }
}
