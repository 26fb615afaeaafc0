//! Password reminders: the text the resolution mail adds to remind a customer to change the
//! temporary passwords they gave support, per plan and, overriding it, per organisation, in
//! English and Russian.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("password_reminders")
                    .col(big_pk_auto("id"))
                    .col(big_integer_null("plan_id"))
                    .col(big_integer_null("organisation_id"))
                    .col(text("text_en"))
                    .col(text("text_ru"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("password_reminders", "plan_id")
                            .to("plans", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("password_reminders", "organisation_id")
                            .to("organisations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for column in ["plan_id", "organisation_id"] {
            manager
                .create_index(
                    Index::create()
                        .name(format!("password_reminders_{column}"))
                        .table("password_reminders")
                        .col(column)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("password_reminders").to_owned())
            .await
    }
}
