//! The demo's own content besides accounts and tickets: known errors, canned responses and
//! an announcement.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{ConnectionTrait, DbErr};

/// Writes the demo's known errors, canned responses and holiday announcement.
pub async fn seed_content(txn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<(), DbErr> {
    let known_errors = Query::insert()
        .into_table("known_errors")
        .columns([
            "number",
            "title",
            "symptoms",
            "workaround",
            "status",
            "published",
            "created_at",
            "updated_at",
        ])
        .values_panic([
            "KE-0001".into(),
            "Export of long periods times out".into(),
            "The report export hangs when the period exceeds one year.".into(),
            "Export the period in quarters.".into(),
            "workaround".into(),
            true.into(),
            now.into(),
            now.into(),
        ])
        .values_panic([
            "KE-0002".into(),
            "Scheduler skips the first run after a DST change".into(),
            "Jobs planned for the changeover hour do not run.".into(),
            "".into(),
            "investigating".into(),
            false.into(),
            now.into(),
            now.into(),
        ])
        .to_owned();
    txn.execute(&known_errors).await?;
    let canned = Query::insert()
        .into_table("canned_responses")
        .columns(["title", "body", "created_at"])
        .values_panic([
            "Greeting".into(),
            "Hello {{customer_name}},\n\nthank you for your request {{reference}}.".into(),
            now.into(),
        ])
        .values_panic([
            "Ask for the log".into(),
            "Please attach the application log (zipped) so that we can look into \"{{subject}}\".\n\n{{agent_name}}".into(),
            now.into(),
        ])
        .to_owned();
    txn.execute(&canned).await?;
    let announcement = Query::insert()
        .into_table("announcements")
        .columns([
            "kind",
            "title",
            "body",
            "starts_at",
            "ends_at",
            "public",
            "created_at",
        ])
        .values_panic([
            "holiday".into(),
            "Holiday hours".into(),
            "Support works 24x7 for special requests only on public holidays.".into(),
            now.into(),
            (now + chrono::Duration::days(30)).into(),
            true.into(),
            now.into(),
        ])
        .to_owned();
    txn.execute(&announcement).await?;
    Ok(())
}
