use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

crate::both!(
    supervisors_publish_and_everyone_reads,
    public_announcements_need_no_session,
    the_sign_in_page_gets_only_current_public_announcements,
    publishing_mails_each_reader_who_wants_it_once,
);

async fn supervisors_publish_and_everyone_reads(app: TestApp) {
    let lead = app.token("lead@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let body =
        json!({"kind": "outage", "title": "Mail delays", "body": "Mail arrives late today."});
    let refused = app
        .post(Some(&agent), "/api/announcements", body.clone())
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let created = app.post(Some(&lead), "/api/announcements", body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let bad = app
        .post(
            Some(&lead),
            "/api/announcements",
            json!({"kind": "party", "title": "x", "body": "y"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["field"], "kind");
    let anna = app.token("customer@demo.example").await;
    let list = app.get(Some(&anna), "/api/announcements").await;
    let titles: Vec<&str> = list.body["announcements"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert!(titles.contains(&"Mail delays"), "{titles:?}");
    let id = created.body["id"].as_i64().expect("id");
    let delete = axum::http::Request::delete(format!("/api/announcements/{id}"))
        .header("authorization", format!("Bearer {lead}"))
        .body(axum::body::Body::empty())
        .expect("request");
    assert_eq!(app.send(delete).await.status, StatusCode::NO_CONTENT);
    let after = app.get(Some(&anna), "/api/announcements").await;
    assert!(!after.body.to_string().contains("Mail delays"));
}

async fn public_announcements_need_no_session(app: TestApp) {
    let public = app.get(None, "/api/announcements/public").await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.body["announcements"][0]["title"], "Holiday hours");
    assert_eq!(
        app.get(None, "/api/announcements").await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// The sign-in page's list holds only the current announcements marked for it, and of each only
/// its words and period.
async fn the_sign_in_page_gets_only_current_public_announcements(app: TestApp) {
    let lead = app.token("lead@demo.example").await;
    let now = chrono::Utc::now();
    let day = chrono::Duration::days(1);
    publish(
        &app,
        &lead,
        json!({"kind": "outage", "title": "Portal outage tonight", "body": "From 22:00 to 23:00.", "public": true}),
    )
    .await;
    publish(
        &app,
        &lead,
        json!({"kind": "info", "title": "Staff meeting", "body": "Signed-in readers only."}),
    )
    .await;
    publish(
        &app,
        &lead,
        json!({"kind": "holiday", "title": "Next year's holidays", "body": "Later.", "public": true,
               "starts_at": now + day}),
    )
    .await;
    publish(
        &app,
        &lead,
        json!({"kind": "schedule", "title": "Old schedule", "body": "Over.", "public": true,
               "starts_at": now - day * 3, "ends_at": now - day}),
    )
    .await;
    let public = app.get(None, "/api/announcements/public").await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    let list = public.body["announcements"].as_array().expect("list");
    let titles: Vec<&str> = list.iter().filter_map(|a| a["title"].as_str()).collect();
    assert!(titles.contains(&"Portal outage tonight"), "{titles:?}");
    for hidden in ["Staff meeting", "Next year's holidays", "Old schedule"] {
        assert!(!titles.contains(&hidden), "{hidden} in {titles:?}");
    }
    let outage = list
        .iter()
        .find(|a| a["title"] == "Portal outage tonight")
        .expect("outage");
    let mut keys: Vec<&str> = outage
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["body", "ends_at", "starts_at", "title"]);
    assert_eq!(outage["body"], "From 22:00 to 23:00.");
    // Signed-in readers still get every current one, with its full record.
    let anna = app.token("customer@demo.example").await;
    let signed_in = app.get(Some(&anna), "/api/announcements").await;
    let text = signed_in.body.to_string();
    assert!(
        text.contains("Staff meeting") && text.contains("\"kind\""),
        "{text}"
    );
}

/// Publishes an announcement as `token`; the stored announcement.
async fn publish(app: &TestApp, token: &str, body: serde_json::Value) -> serde_json::Value {
    let created = app.post(Some(token), "/api/announcements", body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.body
}

/// The outbox rows that belong to no ticket and whose subject ends with `title`, by address.
async fn announcement_mail(app: &TestApp, title: &str) -> Vec<crate::support::OutboxRow> {
    let mut rows: Vec<_> = app
        .outbox()
        .await
        .into_iter()
        .filter(|row| row.ticket_id.is_none() && row.subject.ends_with(title))
        .collect();
    rows.sort_by(|a, b| a.to_address.cmp(&b.to_address));
    rows
}

async fn publishing_mails_each_reader_who_wants_it_once(app: TestApp) {
    let lead = app.token("lead@demo.example").await;
    let admin = app.token("admin@demo.example").await;
    let anna = app.token("customer@demo.example").await;
    let boris = app.token("customer2@demo.example").await;
    // Boris takes no announcements by mail; Anna reads Russian; the engineer is deactivated.
    let quiet = app
        .send_json(
            "PATCH",
            Some(&boris),
            "/api/me",
            json!({"mail": {"announcements": false}}),
        )
        .await;
    assert_eq!(quiet.status, StatusCode::OK, "{}", quiet.body);
    assert_eq!(quiet.body["mail"]["announcements"], false);
    assert_eq!(quiet.body["mail"]["ticket_updates"], true);
    let russian = app
        .send_json("PATCH", Some(&anna), "/api/me", json!({"locale": "ru"}))
        .await;
    assert_eq!(russian.status, StatusCode::OK, "{}", russian.body);
    let engineer_id = app.user_id("engineer@demo.example").await;
    let deactivated = app.deactivate(&admin, engineer_id).await;
    assert_eq!(deactivated.status, StatusCode::OK, "{}", deactivated.body);

    let created = publish(
        &app,
        &lead,
        json!({
            "kind": "outage",
            "title": "Mail delays",
            "body": "Mail arrives late today.",
            "starts_at": "2026-12-01T07:00:00Z",
            "ends_at": "2099-12-01T15:00:00Z",
        }),
    )
    .await;
    let rows = announcement_mail(&app, "Mail delays").await;
    let to: Vec<&str> = rows.iter().map(|row| row.to_address.as_str()).collect();
    // Every active reader who wants it, but not the author.
    assert_eq!(
        to,
        [
            "admin@demo.example",
            "agent@demo.example",
            "customer@demo.example"
        ]
    );
    let english = &rows[0];
    assert_eq!(english.subject, "Service disruption: Mail delays");
    assert!(
        english.body.contains("Mail arrives late today.")
            && english
                .body
                .contains("In effect from 01.12.2026 10:00 MSK until")
            && english.body.contains("http://reglament.test/announcements"),
        "{}",
        english.body
    );
    let to_anna = &rows[2];
    assert_eq!(to_anna.subject, "Перебои в работе: Mail delays");
    assert!(
        to_anna.body.contains("Действует с 01.12.2026 10:00 MSK до"),
        "{}",
        to_anna.body
    );
    let id = created["id"].as_i64().expect("id");
    let audit = app
        .get(
            Some(&lead),
            &format!("/api/admin/audit?entity=announcement&entity_id={id}"),
        )
        .await;
    assert_eq!(audit.body["entries"][0]["action"], "announcement.create");
    assert_eq!(audit.body["entries"][0]["details"]["mailed"], 3);

    // Editing it, even its title, sends nothing again.
    let before = app.outbox().await.len();
    let edited = app
        .send_json(
            "PATCH",
            Some(&lead),
            &format!("/api/announcements/{id}"),
            json!({"title": "Mail delays (update)", "body": "Mail is back to normal."}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.body["title"], "Mail delays (update)");
    assert_eq!(app.outbox().await.len(), before);

    // An announcement that is already over when it is stored is mailed to nobody.
    publish(
        &app,
        &lead,
        json!({
            "kind": "holiday",
            "title": "Last year's hours",
            "body": "Closed.",
            "starts_at": "2020-12-31T00:00:00Z",
            "ends_at": "2021-01-09T00:00:00Z",
        }),
    )
    .await;
    assert!(
        announcement_mail(&app, "Last year's hours")
            .await
            .is_empty()
    );
    assert_eq!(app.outbox().await.len(), before);
}
