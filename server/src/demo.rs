//! Demo data for a first look: two organisations with contracts, the seed calendars and plans,
//! a handful of tickets, and one account per role, all with the password `demo`.
//!
//! Only `--demo` / `reglament demo` call this, and only on an empty database: outside demo mode
//! no account with a known password exists.

use chrono::Utc;
use shared::ticket::{Category, Classification, Role, Severity};

use crate::auth;
use crate::db::admin::{self as a, NewAccount, Terms};
use crate::db::{self, DatabaseConnection};

/// The demo accounts: e-mail, name, role, index of the organisation (customers only).
pub const ACCOUNTS: [(&str, &str, Role, Option<usize>); 6] = [
    (
        "customer@demo.example",
        "Anna Customer",
        Role::Customer,
        Some(0),
    ),
    (
        "customer2@demo.example",
        "Boris Client",
        Role::Customer,
        Some(1),
    ),
    ("agent@demo.example", "Vera Agent", Role::AgentL1, None),
    (
        "engineer@demo.example",
        "Gleb Engineer",
        Role::AgentL2,
        None,
    ),
    ("lead@demo.example", "Daria Lead", Role::Supervisor, None),
    ("admin@demo.example", "Egor Admin", Role::Admin, None),
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
        let organisation =
            a::insert_organisation(&txn, name.to_owned(), on_expiry.to_owned(), now).await?;
        organisations.push(organisation.id);
    }
    let mut users = Vec::new();
    for (email, name, role, organisation) in ACCOUNTS {
        let account = NewAccount {
            email: email.to_owned(),
            name: name.to_owned(),
            password_hash: password_hash.clone(),
            role,
            organisation_id: organisation.map(|index| organisations[index]),
            locale: "en".to_owned(),
            time_zone: "Europe/Moscow".to_owned(),
            must_change_password: false,
        };
        let created = a::insert_user(&txn, account, now).await?;
        users.push(created);
    }
    // Contracts: Northwind on the standard plan, Volga Energy on the assistance levels.
    let today = now.date_naive();
    for (index, key) in [(0, "standard"), (1, "assistance")] {
        let plan = a::plan_by_key(&txn, key)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the seed plan {key} is missing"))?;
        let terms = Terms {
            plan_id: plan.id,
            plan_version_id: plan.current_version_id,
            special_requests: shared::api::SpecialRequests::Allowed,
            valid_from: today - chrono::Duration::days(30),
            valid_to: today + chrono::Duration::days(365),
            account_limit: 5,
        };
        a::insert_contract(&txn, organisations[index], terms, now).await?;
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
        let requester = crate::auth::AuthUser::try_from(users[customer].clone())?;
        let organisation_id = organisations[customer];
        let draft = crate::tickets::Draft {
            subject: subject.to_owned(),
            description: format!("{subject}.\n\nSeen since version 5.2; details in the log."),
            steps: None,
            product_version: "5.2.1".to_owned(),
            classification: Classification::new(category, severity, special)
                .map_err(|error| anyhow::anyhow!("{error}"))?,
            special_requested: false,
            channel: shared::ticket::Channel::Portal,
            product: Default::default(),
            scheduled_work: None,
            paid: false,
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
    db::demo::seed_content(&txn, now).await?;
    db::password_reminders::set_for_every_plan(&txn, &password_reminder(), now).await?;
    for product in products() {
        db::products::insert(&txn, &product, now).await?;
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

/// The demo plans' reminder to change temporary passwords, which the resolution mail carries.
pub fn password_reminder() -> shared::api::PasswordReminder {
    shared::api::PasswordReminder {
        en: "Security reminder: if you gave support a temporary password or access to your \
             systems for this ticket, change that password now."
            .to_owned(),
        ru: "Напоминание о безопасности: если для работы над обращением вы передали поддержке \
             временный пароль или доступ к своим системам, смените этот пароль сейчас."
            .to_owned(),
    }
}

/// The demo products: the server (versions 5.2 and 5.3), and a mobile suite whose tickets name
/// the server's and the app's versions and the phone's OS [003].
pub fn products() -> Vec<shared::api::NewProduct> {
    let field = |key: &str, label_en: &str, label_ru: &str| shared::product::ProductField {
        key: key.to_owned(),
        label_en: label_en.to_owned(),
        label_ru: label_ru.to_owned(),
    };
    vec![
        shared::api::NewProduct {
            name: "Reglament Server".to_owned(),
            supported_versions: vec!["5.2".to_owned(), "5.3".to_owned()],
            fields: Vec::new(),
        },
        shared::api::NewProduct {
            name: "Mobile Field Service".to_owned(),
            supported_versions: vec!["3.4".to_owned(), "3.5".to_owned()],
            fields: vec![
                field("server_version", "Server version", "Версия сервера"),
                field(
                    "app_version",
                    "Mobile app version",
                    "Версия мобильного приложения",
                ),
                field("mobile_os", "Mobile OS", "ОС мобильного устройства"),
            ],
        },
    ]
}

/// Prints where the product runs and how to sign in.
pub fn print_accounts(public_url: &str) {
    println!("reglament: demo data ready at {public_url}");
    println!("reglament: demo accounts (password \"demo\"):");
    for (email, _, role, _) in ACCOUNTS {
        println!("  {email:<24} {role}");
    }
}
