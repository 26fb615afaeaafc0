//! Products with their supported versions and the optional fields their tickets ask for; a
//! ticket keeps the product it was filed for, the values of those fields, and whether its version
//! was supported.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("products")
                    .col(big_pk_auto("id"))
                    .col(string_len("name", 200).unique_key())
                    // JSON: the supported versions, and the declared fields.
                    .col(text("supported_versions"))
                    .col(text("fields"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        // One column a statement: SQLite alters a table one change at a time.
        for column in [
            big_integer_null("product_id"),
            string_len_null("product", 200),
            text_null("product_fields"),
            boolean("unsupported_version").default(false).to_owned(),
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
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            "unsupported_version",
            "product_fields",
            "product",
            "product_id",
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
        manager
            .drop_table(Table::drop().table("products").to_owned())
            .await
    }
}
