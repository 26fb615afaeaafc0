//! Organisations, calendars, plans and their versions, contracts, users, the audit log and
//! announcements.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("organisations")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("name"))
                    // What happens when no contract is valid: `unqualified` or `block`.
                    .col(string("on_expiry").default("unqualified"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("calendars")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("key"))
                    .col(string("name"))
                    .col(text("spec"))
                    .col(integer("version").default(1))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("plans")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("key"))
                    .col(string("name"))
                    .col(big_integer_null("current_version_id"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        // A ticket keeps the plan version in force at its registration, so versions are immutable.
        manager
            .create_table(
                Table::create()
                    .table("plan_versions")
                    .col(big_pk_auto("id"))
                    .col(big_integer("plan_id"))
                    .col(integer("version"))
                    .col(text("spec"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("plan_versions", "plan_id")
                            .to("plans", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("plan_versions_plan_version")
                    .table("plan_versions")
                    .col("plan_id")
                    .col("version")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("contracts")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organisation_id"))
                    .col(big_integer("plan_id"))
                    .col(date("valid_from"))
                    .col(date("valid_to"))
                    .col(integer("account_limit").default(2))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("contracts", "organisation_id")
                            .to("organisations", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("contracts", "plan_id")
                            .to("plans", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("contracts_organisation")
                    .table("contracts")
                    .col("organisation_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("email"))
                    .col(string("name"))
                    .col(string("password_hash"))
                    .col(string("role"))
                    .col(big_integer_null("organisation_id"))
                    .col(string("locale").default("en"))
                    .col(string("time_zone").default("Europe/Moscow"))
                    .col(boolean("active").default(true))
                    // Mail preferences as a JSON object; `{}` means the defaults.
                    .col(text("preferences").default("{}"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("users", "organisation_id")
                            .to("organisations", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(big_pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(big_integer_null("actor_id"))
                    .col(string("action"))
                    .col(string("entity"))
                    .col(string("entity_id"))
                    .col(text("details").default("{}"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_log_entity")
                    .table("audit_log")
                    .col("entity")
                    .col("entity_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("announcements")
                    .col(big_pk_auto("id"))
                    // `schedule`, `holiday`, `outage` or `info`.
                    .col(string("kind"))
                    .col(string("title"))
                    .col(text("body"))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(timestamp_with_time_zone_null("ends_at"))
                    .col(boolean("public").default(false))
                    .col(big_integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "announcements",
            "audit_log",
            "users",
            "contracts",
            "plan_versions",
            "plans",
            "calendars",
            "organisations",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
