//! Demo data for a first look: two organisations with contracts, the seed calendars and plans,
//! a handful of tickets, and one account per role, all with the password `demo`.
//!
//! Only `--demo` / `reglament demo` call this, and only on an empty database: outside demo mode
//! no account with a known password exists.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set, TransactionTrait};

use crate::auth;
use crate::db::{self, entity::organisation, entity::user};

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
    let txn = db.begin().await?;
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
    for (email, name, role, organisation) in ACCOUNTS {
        user::ActiveModel {
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
    }
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
