//! Calendar versions: a calendar edit writes a new immutable version, as plans do, so the audit
//! of what was in force stays readable. A plan may follow a library calendar (`calendar_id`):
//! a new version of that calendar then writes a new version of the plan.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("calendar_versions")
                    .col(big_pk_auto("id"))
                    .col(big_integer("calendar_id"))
                    .col(integer("version"))
                    .col(text("spec"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("calendar_versions", "calendar_id")
                            .to("calendars", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("calendar_versions_calendar_version")
                    .table("calendar_versions")
                    .col("calendar_id")
                    .col("version")
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The seed calendars become their first versions.
        let copy = Query::insert()
            .into_table("calendar_versions")
            .columns(["calendar_id", "version", "spec", "created_at"])
            .select_from(
                Query::select()
                    .columns(["id", "version", "spec", "updated_at"])
                    .from("calendars")
                    .to_owned(),
            )
            .map_err(|error| DbErr::Custom(error.to_string()))?
            .to_owned();
        manager.exec_stmt(copy).await?;
        manager
            .alter_table(
                Table::alter()
                    .table("plans")
                    .add_column(big_integer_null("calendar_id"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("plans")
                    .drop_column("calendar_id")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("calendar_versions").to_owned())
            .await?;
        Ok(())
    }
}
