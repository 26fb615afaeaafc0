//! Demo data for a first look: two organisations with contracts, the seed calendars and plans,
//! a handful of tickets, and one account per role, all with the password `demo`.
//!
//! Only `--demo` / `reglament demo` call this, and only on an empty database: outside demo mode
//! no account with a known password exists.

use chrono::Utc;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use shared::ticket::{Category, Classification, Severity};

use crate::auth;
use crate::db::entity::{contract, organisation, plan, user};
use crate::db::{self};

/// The demo accounts: e-mail, name, role, index of the organisation (customers only).
pub const ACCOUNTS: [(&str, &str, &str, Option<usize>); 6] = [
    (
        "customer@demo.example",
        "Anna Customer",
        "customer",
        Some(0),
    ),
    (
        "customer2@demo.example",
        "Boris Client",
        "customer",
        Some(1),
    ),
    ("agent@demo.example", "Vera Agent", "agent_l1", None),
    ("engineer@demo.example", "Gleb Engineer", "agent_l2", None),
    ("lead@demo.example", "Daria Lead", "supervisor", None),
    ("admin@demo.example", "Egor Admin", "admin", None),
];

/// Seeds the demo data in one transaction if the database has no accounts.
///
/// # Errors
/// A database failure; nothing is written then.
pub async fn seed_if_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    if db::has_users(db).await? {
        return Ok(false);
    }
    let now = Utc::now();
    let password_hash = auth::hash_password("demo")?;
    let txn = crate::db::begin(db).await?;
    let mut organisations = Vec::new();
    for (name, on_expiry) in [
        ("Northwind Logistics", "unqualified"),
        ("Volga Energy", "block"),
    ] {
        let organisation = organisation::ActiveModel {
            name: Set(name.to_owned()),
            on_expiry: Set(on_expiry.to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        organisations.push(organisation.id);
    }
    let mut users = Vec::new();
    for (email, name, role, organisation) in ACCOUNTS {
        let created = user::ActiveModel {
            email: Set(email.to_owned()),
            name: Set(name.to_owned()),
            password_hash: Set(password_hash.clone()),
            role: Set(role.to_owned()),
            organisation_id: Set(organisation.map(|index| organisations[index])),
            locale: Set("en".to_owned()),
            time_zone: Set("Europe/Moscow".to_owned()),
            active: Set(true),
            preferences: Set("{}".to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        users.push(created);
    }
    // Contracts: Northwind on the standard plan, Volga Energy on the assistance levels.
    let today = now.date_naive();
    for (index, key) in [(0, "standard"), (1, "assistance")] {
        let plan = plan::Entity::find()
            .filter(plan::Column::Key.eq(key))
            .one(&txn)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the seed plan {key} is missing"))?;
        contract::ActiveModel {
            organisation_id: Set(organisations[index]),
            plan_id: Set(plan.id),
            valid_from: Set(today - chrono::Duration::days(30)),
            valid_to: Set(today + chrono::Duration::days(365)),
            account_limit: Set(5),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let tickets = [
        (
            0,
            "Reports export hangs on large periods",
            Category::C,
            Some(Severity::Serious),
            false,
        ),
        (
            0,
            "How do I configure the LDAP sign-in?",
            Category::D,
            None,
            false,
        ),
        (0, "Please add dark mode", Category::E, None, false),
        (
            1,
            "Production server does not start after update",
            Category::C,
            Some(Severity::Critical),
            true,
        ),
        (
            1,
            "PostgreSQL driver version question",
            Category::B,
            None,
            false,
        ),
    ];
    for (customer, subject, category, severity, special) in tickets {
        let requester = crate::auth::AuthUser::from(users[customer].clone());
        let organisation_id = organisations[customer];
        let draft = crate::tickets::Draft {
            subject: subject.to_owned(),
            description: format!("{subject}.\n\nSeen since version 5.2; details in the log."),
            steps: None,
            product_version: "5.2.1".to_owned(),
            classification: Classification::new(category, severity, special)
                .map_err(|error| anyhow::anyhow!("{error}"))?,
        };
        let plan_version_id = crate::tickets::plan_version_at(&txn, organisation_id, now)
            .await
            .map_err(|error| anyhow::anyhow!("demo ticket: {error}"))?;
        let plan = crate::db::tickets::plan_version(&txn, plan_version_id).await?;
        // Seeded tickets are not announced by mail: nobody filed them.
        crate::tickets::register(&txn, None, &requester, organisation_id, &plan, draft, now)
            .await
            .map_err(|error| anyhow::anyhow!("demo ticket: {error}"))?;
    }
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
    db::audit(
        &txn,
        now,
        None,
        "demo.seed",
        "database",
        "demo",
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Prints where the product runs and how to sign in.
pub fn print_accounts(public_url: &str) {
    println!("reglament: demo data ready at {public_url}");
    println!("reglament: demo accounts (password \"demo\"):");
    for (email, _, role, _) in ACCOUNTS {
        println!("  {email:<24} {role}");
    }
}
