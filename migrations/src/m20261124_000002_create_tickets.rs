//! Tickets, their append-only event log, messages, attachments, known errors and their links,
//! reclassification proposals, ratings, followers, notifications, the mail outbox, inbound mail
//! and the alerts the background jobs have sent.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn index(name: &str, table: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(*col);
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("tickets")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("reference"))
                    .col(big_integer("organisation_id"))
                    .col(big_integer("requester_id"))
                    .col(string("subject"))
                    .col(text("description"))
                    .col(text_null("steps"))
                    .col(string("product_version"))
                    .col(string_len("category", 1))
                    .col(small_integer_null("severity"))
                    .col(boolean("special"))
                    .col(string("status"))
                    .col(big_integer_null("assignee_id"))
                    .col(small_integer("tier").default(1))
                    .col(big_integer("plan_version_id"))
                    .col(string("sla_level"))
                    .col(timestamp_with_time_zone("registered_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version").default(1))
                    // Derived from the event log by `shared::sla::clocks` in every action's
                    // transaction, so the queue sorts and filters with an index.
                    .col(timestamp_with_time_zone_null("next_deadline"))
                    .col(timestamp_with_time_zone_null("next_check_at"))
                    .col(boolean("at_risk").default(false))
                    .col(boolean("breached").default(false))
                    .col(boolean("open").default(true))
                    .col(integer("reopen_count").default(0))
                    .col(text("clocks").default("{}"))
                    .col(string_null("close_reason"))
                    .col(timestamp_with_time_zone_null("resolved_at"))
                    .col(timestamp_with_time_zone_null("closed_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("tickets", "organisation_id")
                            .to("organisations", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("tickets", "requester_id")
                            .to("users", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("tickets", "plan_version_id")
                            .to("plan_versions", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        // The staff queue: open tickets, special first, nearest deadline, then FIFO.
        manager
            .create_index(index(
                "tickets_queue",
                "tickets",
                &["open", "special", "next_deadline", "registered_at", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "tickets_organisation",
                "tickets",
                &["organisation_id", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "tickets_assignee",
                "tickets",
                &["assignee_id", "open"],
            ))
            .await?;
        manager
            .create_index(index("tickets_next_check", "tickets", &["next_check_at"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("ticket_events")
                    .col(big_pk_auto("id"))
                    .col(big_integer("ticket_id"))
                    .col(string("kind"))
                    .col(big_integer_null("actor_id"))
                    .col(timestamp_with_time_zone("at"))
                    // Staff-only events (internal notes, escalation summaries) never reach customers.
                    .col(boolean("internal").default(false))
                    .col(text("payload").default("{}"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("ticket_events", "ticket_id")
                            .to("tickets", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ticket_events_ticket",
                "ticket_events",
                &["ticket_id", "id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("messages")
                    .col(big_pk_auto("id"))
                    .col(big_integer("ticket_id"))
                    .col(big_integer_null("author_id"))
                    .col(text("body"))
                    .col(boolean("internal").default(false))
                    // An automatic acknowledgement is not a response.
                    .col(boolean("automatic").default(false))
                    .col(string("source").default("portal"))
                    .col(string_null("email_message_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("messages", "ticket_id")
                            .to("tickets", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("messages_ticket", "messages", &["ticket_id", "id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("attachments")
                    .col(big_pk_auto("id"))
                    .col(big_integer("ticket_id"))
                    .col(big_integer_null("message_id"))
                    .col(big_integer_null("uploader_id"))
                    .col(string("file_name"))
                    .col(string("content_type"))
                    .col(big_integer("size"))
                    .col(string_len("sha256", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    // Delivery confirmation: when the requester first downloaded a staff file.
                    .col(timestamp_with_time_zone_null("first_downloaded_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("attachments", "ticket_id")
                            .to("tickets", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("attachments_ticket", "attachments", &["ticket_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("known_errors")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("number"))
                    .col(string("title"))
                    .col(text("symptoms"))
                    .col(string("affected_versions").default(""))
                    .col(text("workaround").default(""))
                    .col(text("solution").default(""))
                    // `investigating`, `workaround` or `fixed`.
                    .col(string("status"))
                    .col(string_null("fixed_in"))
                    .col(boolean("published").default(false))
                    .col(big_integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version").default(1))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("ticket_known_errors")
                    .col(big_integer("ticket_id"))
                    .col(big_integer("known_error_id"))
                    .col(big_integer_null("linked_by"))
                    .col(timestamp_with_time_zone("linked_at"))
                    .primary_key(Index::create().col("ticket_id").col("known_error_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ticket_known_errors_known_error",
                "ticket_known_errors",
                &["known_error_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("reclassifications")
                    .col(big_pk_auto("id"))
                    .col(big_integer("ticket_id"))
                    .col(big_integer_null("proposed_by"))
                    .col(string_len("from_category", 1))
                    .col(small_integer_null("from_severity"))
                    .col(string_len("to_category", 1))
                    .col(small_integer_null("to_severity"))
                    .col(text("reason"))
                    // `pending`, `accepted`, `rejected` or `withdrawn`.
                    .col(string("status"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(big_integer_null("decided_by"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "reclassifications_ticket",
                "reclassifications",
                &["ticket_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("ratings")
                    .col(big_pk_auto("id"))
                    .col(big_integer("ticket_id"))
                    .col(big_integer_null("user_id"))
                    .col(small_integer("score"))
                    .col(text("comment").default(""))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("ratings_ticket", "ratings", &["ticket_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("followers")
                    .col(big_integer("ticket_id"))
                    .col(big_integer("user_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("ticket_id").col("user_id"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("notifications")
                    .col(big_pk_auto("id"))
                    .col(big_integer("user_id"))
                    .col(big_integer_null("ticket_id"))
                    .col(big_integer_null("event_id"))
                    .col(string("kind"))
                    .col(text("text"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("read_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "notifications_user",
                "notifications",
                &["user_id", "id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("outbox")
                    .col(big_pk_auto("id"))
                    .col(string("to_address"))
                    .col(string("subject"))
                    .col(text("body"))
                    .col(text("headers").default("{}"))
                    .col(big_integer_null("ticket_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(text_null("last_error"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "outbox_pending",
                "outbox",
                &["sent_at", "next_attempt_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("inbound_mail")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("message_id"))
                    .col(string("sender"))
                    .col(big_integer_null("ticket_id"))
                    .col(string("outcome"))
                    .col(timestamp_with_time_zone("received_at"))
                    .to_owned(),
            )
            .await?;

        // Each warning or breach alert is sent once per clock: the unique key makes a second
        // instance's attempt fail instead of sending twice.
        manager
            .create_table(
                Table::create()
                    .table("sla_alerts")
                    .col(big_pk_auto("id"))
                    .col(big_integer("ticket_id"))
                    .col(string("clock"))
                    .col(string("kind"))
                    .col(timestamp_with_time_zone("deadline"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "sla_alerts_once",
                    "sla_alerts",
                    &["ticket_id", "clock", "kind", "deadline"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "sla_alerts",
            "inbound_mail",
            "outbox",
            "notifications",
            "followers",
            "ratings",
            "reclassifications",
            "ticket_known_errors",
            "known_errors",
            "attachments",
            "messages",
            "ticket_events",
            "tickets",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
