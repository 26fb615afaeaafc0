//! Outgoing mail: what actions write to the outbox, and what the worker delivers.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::json;

use crate::support::TestApp;

crate::both!(
    registration_writes_the_acknowledgement_in_the_same_action,
    the_worker_delivers_each_row_once_with_thread_headers,
    a_failed_delivery_is_retried_with_backoff,
    a_backlog_is_delivered_in_due_order_each_row_once,
    mail_goes_to_participants_but_the_actor_by_preference_and_locale,
    internal_notes_are_mailed_to_staff_only,
    the_resolution_link_rates_once,
    the_resolution_link_reopens_once,
    forged_links_and_bad_link_input_get_the_envelope,
    jobs_mail_reminders_and_alerts,
);

pub(crate) async fn create(app: &TestApp, token: &str, subject: &str) -> String {
    let fields =
        json!({"subject": subject, "category": "C", "severity": 2, "product_version": "5.2"});
    app.create_ticket(token, fields).await
}

pub(crate) async fn act(app: &TestApp, token: &str, reference: &str, body: serde_json::Value) {
    let reply = app
        .post(
            Some(token),
            &format!("/api/tickets/{reference}/actions"),
            body,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

pub(crate) async fn write(app: &TestApp, token: &str, reference: &str, body: serde_json::Value) {
    let reply = app
        .post(
            Some(token),
            &format!("/api/tickets/{reference}/messages"),
            body,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
}

/// The addresses mail about `reference` went to after outbox row `after`.
pub(crate) async fn sent_to(app: &TestApp, reference: &str, after: i64) -> Vec<String> {
    let mut to: Vec<String> = app
        .outbox_for(reference)
        .await
        .into_iter()
        .filter(|row| row.id > after)
        .map(|row| row.to_address)
        .collect();
    to.sort();
    to
}

/// Who was mailed about `reference` because `token` wrote the message `body` on it.
pub(crate) async fn mailed_for_message(
    app: &TestApp,
    token: &str,
    reference: &str,
    body: serde_json::Value,
) -> Vec<String> {
    let mark = last_id(app).await;
    write(app, token, reference, body).await;
    sent_to(app, reference, mark).await
}

pub(crate) async fn last_id(app: &TestApp) -> i64 {
    app.outbox().await.last().map(|row| row.id).unwrap_or(0)
}

async fn registration_writes_the_acknowledgement_in_the_same_action(app: TestApp) {
    let before = app.outbox().await.len();
    assert_eq!(before, 0, "seeded demo tickets send no mail");
    let anna = app.token("customer@demo.example").await;
    let reference = create(&app, &anna, "Export fails").await;
    let rows = app.outbox_for(&reference).await;
    let ack = rows
        .iter()
        .find(|row| row.to_address == "customer@demo.example")
        .expect("an acknowledgement to the requester");
    assert_eq!(
        ack.subject,
        format!("[{reference}] Request registered: Export fails")
    );
    assert!(
        ack.body.contains(&format!("registered as {reference}")),
        "{}",
        ack.body
    );
    assert!(
        ack.body.contains("Service level (SLA): Standard"),
        "{}",
        ack.body
    );
    assert!(ack.body.contains("First response due by: "), "{}", ack.body);
    assert!(
        ack.body.contains("MSK"),
        "in the requester's zone: {}",
        ack.body
    );
    // Supervisors hear of the new ticket; nobody else does.
    let to = sent_to(&app, &reference, 0).await;
    assert_eq!(
        to,
        ["customer@demo.example", "lead@demo.example"],
        "{rows:?}"
    );
}

async fn the_worker_delivers_each_row_once_with_thread_headers(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let reference = create(&app, &anna, "Printer").await;
    write(
        &app,
        &agent,
        &reference,
        json!({"body": "Restart the spooler."}),
    )
    .await;
    let now = Utc::now();
    let sent = server::mail::deliver_due(&app.state.db, &app.state.mailer, now)
        .await
        .expect("deliver");
    let rows = app.outbox().await;
    assert_eq!(sent, rows.len(), "{rows:?}");
    let again = server::mail::deliver_due(&app.state.db, &app.state.mailer, now)
        .await
        .expect("deliver");
    assert_eq!(again, 0, "nothing is sent twice");
    let folder = app.data_dir().join("mail");
    let files: Vec<_> = std::fs::read_dir(&folder)
        .expect("mail folder")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_string_lossy().ends_with(".eml"))
        .collect();
    assert_eq!(files.len(), rows.len());
    let ack = rows
        .iter()
        .find(|row| row.subject.contains("Request registered"))
        .expect("ack");
    let reply = rows
        .iter()
        .find(|row| row.subject.contains("Reply:"))
        .expect("reply");
    let read = |id: i64| std::fs::read_to_string(folder.join(format!("{id:08}.eml"))).expect("eml");
    let thread = format!("<{reference}@reglament.test>");
    let ack_file = read(ack.id);
    assert!(
        ack_file.contains(&format!("Message-ID: {thread}")),
        "{ack_file}"
    );
    assert!(
        ack_file.contains("Auto-Submitted: auto-generated"),
        "{ack_file}"
    );
    let reply_file = read(reply.id);
    assert!(
        reply_file.contains(&format!("In-Reply-To: {thread}")),
        "{reply_file}"
    );
    assert!(
        reply_file.contains(&format!("References: {thread}")),
        "{reply_file}"
    );
    assert!(
        reply_file.contains(&format!("Message-ID: <rg-{}@reglament.test>", reply.id)),
        "{reply_file}"
    );
    assert!(
        reply_file.contains(&format!("[{reference}]")),
        "{reply_file}"
    );
}

async fn a_backlog_is_delivered_in_due_order_each_row_once(app: TestApp) {
    use sea_orm::ConnectionTrait;
    let now = Utc::now();
    let backlog = server::mail::BATCH as i64 + 50;
    // Queued newest first, so the order rows fall due in is the reverse of their ids; the
    // first row cannot be delivered.
    for index in 0..backlog {
        let mail = server::templates::Mail {
            subject: format!("Backlog {index}"),
            body: "y".into(),
        };
        let to = if index == 0 {
            "not an address".to_owned()
        } else {
            format!("reader{index}@example.com")
        };
        server::outbox::enqueue(
            &app.state.db,
            &to,
            &mail,
            None,
            &Default::default(),
            now - Duration::seconds(index),
        )
        .await
        .expect("enqueue");
    }
    let first = server::mail::deliver_due(&app.state.db, &app.state.mailer, now)
        .await
        .expect("deliver");
    let count = |sql: &'static str| {
        let db = &app.state.db;
        async move {
            let row = db
                .query_one_raw(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    sql,
                ))
                .await
                .expect("query")
                .expect("row");
            row.try_get::<i64>("", "n").expect("column")
        }
    };
    let delivered = count("SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NOT NULL").await;
    assert_eq!(delivered, first as i64);
    assert!(
        first < backlog as usize - 1,
        "one pass takes at most a batch"
    );
    let overtaken = count(
        // Each row fell due when it was queued (`created_at`); on PostgreSQL a claim moves
        // `next_attempt_at` on by the lease.
        "SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL AND created_at < \
         (SELECT MAX(created_at) FROM outbox WHERE sent_at IS NOT NULL)",
    )
    .await;
    assert_eq!(overtaken, 0, "the rows that fell due first go first");
    let mut total = first;
    loop {
        let sent = server::mail::deliver_due(&app.state.db, &app.state.mailer, now)
            .await
            .expect("deliver");
        if sent == 0 {
            break;
        }
        total += sent;
    }
    assert_eq!(total, backlog as usize - 1);
    let rows = app.outbox().await;
    let failed: Vec<_> = rows
        .iter()
        .filter(|row| row.to_address == "not an address")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(
        failed[0].attempts, 1,
        "a failure is counted once and waits for its backoff"
    );
    assert!(
        rows.iter()
            .filter(|row| row.to_address != "not an address")
            .all(|row| row.attempts == 1),
        "every other row was sent exactly once"
    );
    let files = std::fs::read_dir(app.data_dir().join("mail"))
        .expect("mail folder")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_string_lossy().ends_with(".eml"))
        .count();
    assert_eq!(files, backlog as usize - 1);
}

async fn a_failed_delivery_is_retried_with_backoff(app: TestApp) {
    use sea_orm::ConnectionTrait;
    let now = Utc::now();
    let mail = server::templates::Mail {
        subject: "x".into(),
        body: "y".into(),
    };
    server::outbox::enqueue(
        &app.state.db,
        "not an address",
        &mail,
        None,
        &Default::default(),
        now,
    )
    .await
    .expect("enqueue");
    let sent = server::mail::deliver_due(&app.state.db, &app.state.mailer, now)
        .await
        .expect("deliver");
    assert_eq!(sent, 0);
    let row = app.outbox().await.pop().expect("row");
    assert_eq!(row.attempts, 1);
    // Not due again at once, nor after 30 seconds; due after the first backoff minute.
    for (offset, expected_attempts) in [
        (Duration::zero(), 1),
        (Duration::seconds(30), 1),
        (Duration::seconds(61), 2),
        (Duration::seconds(62), 2),
        (Duration::seconds(61 + 121), 3),
    ] {
        server::mail::deliver_due(&app.state.db, &app.state.mailer, now + offset)
            .await
            .expect("deliver");
        let row = app.outbox().await.pop().expect("row");
        assert_eq!(row.attempts, expected_attempts, "at +{offset}");
    }
    let error = app
        .state
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT last_error FROM outbox",
        ))
        .await
        .expect("query")
        .expect("row");
    let last_error: Option<String> = error.try_get("", "last_error").expect("column");
    assert!(last_error.is_some_and(|text| text.contains("not an address")));
}

async fn mail_goes_to_participants_but_the_actor_by_preference_and_locale(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let russian = app
        .send(
            axum::http::Request::patch("/api/me")
                .header("authorization", format!("Bearer {anna}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(json!({"locale": "ru"}).to_string()))
                .expect("request"),
        )
        .await;
    assert_eq!(russian.status, StatusCode::OK, "{}", russian.body);
    let reference = create(&app, &anna, "Печать").await;
    let ack = app.outbox_for(&reference).await;
    assert!(
        ack.iter()
            .any(|row| row.subject == format!("[{reference}] Обращение зарегистрировано: Печать")),
        "{ack:?}"
    );
    act(&app, &agent, &reference, json!({"action": "take"})).await;
    assert_eq!(
        mailed_for_message(
            &app,
            &agent,
            &reference,
            json!({"body": "Перезапустите службу."})
        )
        .await,
        ["customer@demo.example"]
    );
    let reply = app.outbox().await.pop().expect("reply");
    assert_eq!(reply.subject, format!("[{reference}] Ответ: Печать"));
    assert!(
        reply.body.contains("Vera Agent пишет:") && reply.body.contains("Перезапустите службу.")
    );
    // The customer's answer goes to the assignee, not back to the customer.
    assert_eq!(
        mailed_for_message(&app, &anna, &reference, json!({"body": "Did not help."})).await,
        ["agent@demo.example"]
    );
    let to_agent = app.outbox().await.pop().expect("mail");
    assert!(
        to_agent
            .subject
            .starts_with(&format!("[{reference}] Reply: ")),
        "English for the agent"
    );
    // With ticket updates switched off, the customer gets no mail but still the notification.
    let off = app
        .send(
            axum::http::Request::patch("/api/me")
                .header("authorization", format!("Bearer {anna}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(
                    json!({"mail": {"ticket_updates": false, "followed_tickets": true, "sla_alerts": true, "announcements": true}}).to_string(),
                ))
                .expect("request"),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert!(
        mailed_for_message(&app, &agent, &reference, json!({"body": "Second try."}))
            .await
            .is_empty()
    );
    let notifications = app.get(Some(&anna), "/api/notifications").await;
    assert!(
        notifications.body.to_string().contains("agent reply"),
        "{}",
        notifications.body
    );
}

async fn internal_notes_are_mailed_to_staff_only(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let engineer = app.token("engineer@demo.example").await;
    let reference = create(&app, &anna, "Note").await;
    act(&app, &agent, &reference, json!({"action": "take"})).await;
    let follow = app.follow(&engineer, &reference).await;
    assert_eq!(follow.status, StatusCode::NO_CONTENT);
    assert_eq!(
        mailed_for_message(
            &app,
            &agent,
            &reference,
            json!({"body": "Looks like KE-0001.", "internal": true})
        )
        .await,
        ["engineer@demo.example"]
    );
    let mark = last_id(&app).await;
    act(&app, &agent, &reference, json!({"action": "escalate"})).await;
    let to = sent_to(&app, &reference, mark).await;
    assert_eq!(
        to,
        [
            "customer@demo.example",
            "engineer@demo.example",
            "lead@demo.example"
        ],
        "escalation tells the customer, the follower and the supervisors"
    );
}

/// Resolves `reference` and returns the token from the requester's resolution mail.
async fn resolve(app: &TestApp, reference: &str) -> String {
    let agent = app.token("agent@demo.example").await;
    let mark = last_id(app).await;
    act(
        app,
        &agent,
        reference,
        json!({"action": "resolve", "comment": "Fixed the spooler."}),
    )
    .await;
    let rows: Vec<_> = app
        .outbox_for(reference)
        .await
        .into_iter()
        .filter(|row| row.id > mark)
        .collect();
    let mail = rows
        .iter()
        .find(|row| row.to_address == "customer@demo.example")
        .expect("resolution mail");
    assert_eq!(mail.subject, format!("[{reference}] Resolved: Link"));
    assert!(mail.body.contains("Fixed the spooler."), "{}", mail.body);
    let start = mail.body.find("http://reglament.test/rate/").expect("link")
        + "http://reglament.test/rate/".len();
    mail.body[start..]
        .split_whitespace()
        .next()
        .expect("token")
        .to_owned()
}

async fn the_resolution_link_rates_once(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let reference = create(&app, &anna, "Link").await;
    let token = resolve(&app, &reference).await;
    let link = format!("/api/rating-links/{token}");
    let found = app.get(None, &link).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert_eq!(found.body["reference"], reference.as_str());
    assert_eq!(found.body["usable"], true);
    assert_eq!(found.body["actions"], json!(["rate", "reopen"]));
    let bad_score = app
        .post(None, &link, json!({"action": "rate", "score": 9}))
        .await;
    assert_eq!(bad_score.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_score.body["field"], "score");
    let rated = app
        .post(
            None,
            &link,
            json!({"action": "rate", "score": 5, "comment": "quick"}),
        )
        .await;
    assert_eq!(rated.status, StatusCode::CREATED, "{}", rated.body);
    let again = app
        .post(None, &link, json!({"action": "rate", "score": 1}))
        .await;
    assert_eq!(again.status, StatusCode::GONE, "{}", again.body);
    assert_eq!(again.body["error"], "gone");
    let reopen = app
        .post(None, &link, json!({"action": "reopen", "comment": "no"}))
        .await;
    assert_eq!(reopen.status, StatusCode::GONE);
    let after = app.get(None, &link).await;
    assert_eq!(after.body["usable"], false);
    // The rating is the portal's: a second one through the portal is refused too.
    let portal = app
        .post(
            Some(&anna),
            &format!("/api/tickets/{reference}/rating"),
            json!({"score": 3}),
        )
        .await;
    assert_eq!(portal.status, StatusCode::CONFLICT);
    let detail = app
        .get(Some(&anna), &format!("/api/tickets/{reference}"))
        .await;
    let kinds: Vec<&str> = detail.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|event| event["kind"].as_str())
        .collect();
    assert_eq!(
        kinds.iter().filter(|kind| **kind == "rate").count(),
        1,
        "{kinds:?}"
    );
}

async fn the_resolution_link_reopens_once(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let reference = create(&app, &anna, "Link").await;
    let token = resolve(&app, &reference).await;
    let link = format!("/api/rating-links/{token}");
    let silent = app.post(None, &link, json!({"action": "reopen"})).await;
    assert_eq!(silent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(silent.body["field"], "comment");
    let reopened = app
        .post(
            None,
            &link,
            json!({"action": "reopen", "comment": "It fails again."}),
        )
        .await;
    assert_eq!(reopened.status, StatusCode::CREATED, "{}", reopened.body);
    assert_eq!(reopened.body["status"], "reopened");
    assert_eq!(reopened.body["reopen_count"], 1);
    let again = app
        .post(None, &link, json!({"action": "reopen", "comment": "again"}))
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    let detail = app
        .get(Some(&anna), &format!("/api/tickets/{reference}"))
        .await;
    assert!(
        detail.body["messages"]
            .to_string()
            .contains("It fails again.")
    );
}

async fn forged_links_and_bad_link_input_get_the_envelope(app: TestApp) {
    let forged = app.get(None, "/api/rating-links/not-a-token").await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
    assert_eq!(forged.body["error"], "not_found");
    // A session token is not a link.
    let session = app.token("customer@demo.example").await;
    let wrong = app.get(None, &format!("/api/rating-links/{session}")).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    // An expired link.
    let ticket = server::db::tickets::find_ticket(&app.state.db, "RG-000001")
        .await
        .expect("query")
        .expect("demo ticket");
    let anna = app.user_id("customer@demo.example").await;
    let expired = server::auth::issue_link_token(
        &app.state.keys,
        "rate",
        ticket.id,
        anna,
        ticket.version,
        Utc::now() - Duration::days(1),
    )
    .expect("token");
    let reply = app
        .post(
            None,
            &format!("/api/rating-links/{expired}"),
            json!({"action": "rate", "score": 5}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // A valid link for a ticket that is not resolved cannot rate: the portal's rule, 409.
    let valid = server::auth::issue_link_token(
        &app.state.keys,
        "rate",
        ticket.id,
        anna,
        ticket.version,
        Utc::now() + Duration::days(1),
    )
    .expect("token");
    let link = format!("/api/rating-links/{valid}");
    assert_eq!(app.get(None, &link).await.body["usable"], false);
    let early = app
        .post(None, &link, json!({"action": "rate", "score": 5}))
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    let unknown = app.post(None, &link, json!({"action": "dance"})).await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.body
    );
    let malformed = app
        .post_raw(None, &link, "application/json", b"{".to_vec())
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.body["error"], "bad_request");
}

async fn jobs_mail_reminders_and_alerts(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let reference = create(&app, &anna, "Jobs").await;
    act(&app, &agent, &reference, json!({"action": "take"})).await;
    let mark = last_id(&app).await;
    // Thirty days later every clock is breached: the assignee and the supervisor are told once.
    let later = Utc::now() + Duration::days(30);
    server::jobs::tick(&app.state.db, &app.state.composer, later, 7)
        .await
        .expect("tick");
    server::jobs::tick(&app.state.db, &app.state.composer, later, 7)
        .await
        .expect("tick");
    let alerts: Vec<_> = app
        .outbox_for(&reference)
        .await
        .into_iter()
        .filter(|row| row.id > mark)
        .collect();
    assert!(!alerts.is_empty());
    assert!(
        alerts
            .iter()
            .all(|row| row.subject.contains("SLA breached")),
        "{alerts:?}"
    );
    let mut keys: Vec<_> = alerts
        .iter()
        .map(|row| (row.to_address.clone(), row.subject.clone()))
        .collect();
    let count = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(
        keys.len(),
        count,
        "each alert once per recipient: {alerts:?}"
    );
    assert!(keys.iter().any(|(to, _)| to == "agent@demo.example"));
    assert!(keys.iter().any(|(to, _)| to == "lead@demo.example"));
    assert!(!keys.iter().any(|(to, _)| to == "customer@demo.example"));
    // Waiting for the customer: a reminder, then closing as "no response", each mailed.
    act(
        &app,
        &agent,
        &reference,
        json!({"action": "request_info", "comment": "Which printer?"}),
    )
    .await;
    let asked = app.outbox().await.pop().expect("request mail");
    assert_eq!(asked.to_address, "customer@demo.example");
    assert!(
        asked.subject.contains("Information needed"),
        "{}",
        asked.subject
    );
    let mark = last_id(&app).await;
    for days in 1..=10 {
        server::jobs::tick(
            &app.state.db,
            &app.state.composer,
            Utc::now() + Duration::days(days),
            7,
        )
        .await
        .expect("tick");
    }
    let subjects: Vec<String> = app
        .outbox_for(&reference)
        .await
        .into_iter()
        .filter(|row| row.id > mark && row.to_address == "customer@demo.example")
        .map(|row| row.subject)
        .collect();
    assert!(
        subjects.iter().any(|s| s.contains("Reminder")),
        "{subjects:?}"
    );
    assert!(
        subjects
            .iter()
            .any(|s| s.contains("Closed without response")),
        "{subjects:?}"
    );
}
