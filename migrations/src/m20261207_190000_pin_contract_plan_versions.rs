//! A contract pins the plan version in force when it was made [000: the regulation in force at
//! signing applies]: `contracts.plan_version_id`. Existing contracts are pinned to their plan's
//! current version, so nothing changes for them until a plan is edited.

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
                    .add_column(big_integer_null("plan_version_id"))
                    .to_owned(),
            )
            .await?;
        let current = Query::select()
            .column(("plans", "current_version_id"))
            .from("plans")
            .and_where(Expr::col(("plans", "id")).equals(("contracts", "plan_id")))
            .to_owned();
        manager
            .exec_stmt(
                Query::update()
                    .table("contracts")
                    .value(
                        "plan_version_id",
                        SimpleExpr::SubQuery(None, Box::new(current.into_sub_query_statement())),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("contracts")
                    .drop_column("plan_version_id")
                    .to_owned(),
            )
            .await
    }
}
