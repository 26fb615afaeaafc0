//! The reminder to change temporary passwords in the resolution mail: per plan, overridden per
//! organisation, in the customer's language, read from the mail file the server writes.

use axum::http::StatusCode;
use serde_json::json;

use crate::mail::act;
use crate::support::TestApp;

crate::both!(
    the_resolution_mail_reminds_of_temporary_passwords,
    only_admins_edit_password_reminders,
);

/// The id of the entry named `name` (by `field`) in the list at `path`.
async fn id_in(app: &TestApp, token: &str, path: &str, field: &str, name: &str) -> i64 {
    let list = app.get(Some(token), path).await;
    list.body
        .as_array()
        .and_then(|list| list.iter().find(|item| item[field] == name))
        .and_then(|item| item["id"].as_i64())
        .unwrap_or_else(|| panic!("{name} in {path}: {}", list.body))
}

/// Files a ticket as `token`, resolves it as the agent, delivers the outbox to files, and
/// returns the text of the resolution mail written for `email`.
async fn resolution_mail(app: &TestApp, token: &str, email: &str, subject: &str) -> String {
    let agent = app.token("agent@demo.example").await;
    let reference = app
        .create_ticket(token, json!({ "subject": subject }))
        .await;
    act(
        app,
        &agent,
        &reference,
        json!({"action": "resolve", "comment": "Reset the account."}),
    )
    .await;
    server::mail::deliver_due(&app.state.db, &app.state.mailer, app.state.clock.now())
        .await
        .expect("delivery");
    let folder = app.data_dir().join("mail");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&folder).expect("the mail folder") {
        let raw = std::fs::read(entry.expect("entry").path()).expect("a mail file");
        let mail = server::inbound::parse(&raw).expect("a mail the server wrote");
        let to_requester = String::from_utf8_lossy(&raw).contains(&format!("To: {email}"));
        if to_requester && mail.reference.as_deref() == Some(reference.as_str()) {
            found.push(mail.body);
        }
    }
    found
        .into_iter()
        .find(|body| body.contains("/rate/"))
        .unwrap_or_else(|| panic!("no resolution mail to {email} about {reference}"))
}

async fn the_resolution_mail_reminds_of_temporary_passwords(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let anna = app.token("customer@demo.example").await;
    let demo = server::demo::password_reminder();
    // The demo plans carry the default text, in the customer's language.
    let mail = resolution_mail(&app, &anna, "customer@demo.example", "VPN").await;
    assert!(mail.contains(demo.en.as_str()), "{mail}");
    let standard = id_in(&app, &admin, "/api/admin/plans", "key", "standard").await;
    let plan_path = format!("/api/admin/plans/{standard}/password-reminder");
    assert_eq!(app.get(Some(&admin), &plan_path).await.body["ru"], demo.ru);
    // The admin's own text for the plan.
    let text = json!({"en": "Change the password you gave us.", "ru": "Смените пароль, который вы нам дали."});
    let saved = app
        .send_json("PUT", Some(&admin), &plan_path, text.clone())
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.body, text);
    let mail = resolution_mail(&app, &anna, "customer@demo.example", "VPN 2").await;
    assert!(mail.contains("Change the password you gave us."), "{mail}");
    assert!(!mail.contains(demo.en.as_str()), "{mail}");
    // A Russian customer reads the Russian text.
    let profile = app
        .send_json("PATCH", Some(&anna), "/api/me", json!({"locale": "ru"}))
        .await;
    assert_eq!(profile.status, StatusCode::OK, "{}", profile.body);
    let mail = resolution_mail(&app, &anna, "customer@demo.example", "VPN 3").await;
    assert!(
        mail.contains("Смените пароль, который вы нам дали."),
        "{mail}"
    );
    // The organisation's text overrides the plan's; emptied, the plan's applies again.
    let northwind = id_in(
        &app,
        &admin,
        "/api/admin/organisations",
        "name",
        "Northwind Logistics",
    )
    .await;
    let organisation_path = format!("/api/admin/organisations/{northwind}/password-reminder");
    let own = app
        .send_json(
            "PUT",
            Some(&admin),
            &organisation_path,
            json!({"en": "Northwind: rotate the VPN password.", "ru": "Northwind: смените пароль VPN."}),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    let mail = resolution_mail(&app, &anna, "customer@demo.example", "VPN 4").await;
    assert!(mail.contains("Northwind: смените пароль VPN."), "{mail}");
    assert!(!mail.contains("Смените пароль, который"), "{mail}");
    let cleared = app
        .send_json(
            "PUT",
            Some(&admin),
            &organisation_path,
            json!({"en": "", "ru": ""}),
        )
        .await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
    assert_eq!(
        app.get(Some(&admin), &organisation_path).await.body,
        json!({"en": "", "ru": ""})
    );
    let mail = resolution_mail(&app, &anna, "customer@demo.example", "VPN 5").await;
    assert!(
        mail.contains("Смените пароль, который вы нам дали."),
        "{mail}"
    );
    // Every change is audited.
    let audit = app
        .get(
            Some(&admin),
            "/api/admin/audit?action=password_reminder.update",
        )
        .await;
    assert_eq!(
        audit.body["entries"].as_array().map(Vec::len),
        Some(3),
        "{}",
        audit.body
    );
}

async fn only_admins_edit_password_reminders(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let lead = app.token("lead@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let standard = id_in(&app, &admin, "/api/admin/plans", "key", "standard").await;
    let path = format!("/api/admin/plans/{standard}/password-reminder");
    let body = json!({"en": "x", "ru": "y"});
    let by_lead = app.send_json("PUT", Some(&lead), &path, body.clone()).await;
    assert_eq!(by_lead.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(Some(&lead), &path).await.status, StatusCode::OK);
    assert_eq!(
        app.get(Some(&agent), &path).await.status,
        StatusCode::FORBIDDEN
    );
    let missing = app
        .send_json(
            "PUT",
            Some(&admin),
            "/api/admin/plans/999999/password-reminder",
            body.clone(),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let long = app
        .send_json(
            "PUT",
            Some(&admin),
            &path,
            json!({"en": "x".repeat(2001), "ru": ""}),
        )
        .await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(long.body["field"], "en");
    let unknown = app
        .send_json("PUT", Some(&admin), &path, json!({"fr": "non"}))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
}
