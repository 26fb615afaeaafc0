//! The account lifecycle: a flag for a password an administrator gave (to be changed at the next
//! sign-in), a TOTP second factor (the confirmed secret, one pending enrolment, the last time
//! step used so a code works once) with hashed single-use recovery codes, and the product-wide
//! settings an admin chooses (`require_staff_totp`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            boolean("must_change_password").default(false).to_owned(),
            string_len_null("totp_secret", 64),
            string_len_null("totp_pending", 64),
            big_integer_null("totp_last_step"),
        ] {
            manager
                .alter_table(Table::alter().table("users").add_column(column).to_owned())
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("recovery_codes")
                    .col(big_pk_auto("id"))
                    .col(big_integer("user_id"))
                    .col(string_len("code_hash", 64))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("recovery_codes", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("recovery_codes_user")
                    .table("recovery_codes")
                    .col("user_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("settings")
                    .col(string_len("name", 64).primary_key())
                    .col(text("value"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("settings").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("recovery_codes").to_owned())
            .await?;
        for column in [
            "must_change_password",
            "totp_secret",
            "totp_pending",
            "totp_last_step",
        ] {
            manager
                .alter_table(Table::alter().table("users").drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
