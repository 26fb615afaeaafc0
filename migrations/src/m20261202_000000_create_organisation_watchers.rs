//! Organisation watchers: users (the organisation's own customers, or staff such as an account
//! manager) who hear of every ticket of an organisation without being its requester or a
//! follower.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("organisation_watchers")
                    .col(big_integer("organisation_id"))
                    .col(big_integer("user_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("organisation_id").col("user_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("organisation_watchers", "organisation_id")
                            .to("organisations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("organisation_watchers", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The primary key serves "who watches this organisation"; this serves the foreign key
        // from users.
        manager
            .create_index(
                Index::create()
                    .name("organisation_watchers_user")
                    .table("organisation_watchers")
                    .col("user_id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("organisation_watchers").to_owned())
            .await
    }
}
