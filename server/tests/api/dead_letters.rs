//! A message that cannot be ingested is kept once among the dead letters and answered with a
//! clear outcome, so the gateway does not offer it again for ever.

use axum::http::StatusCode;
use server::db::ConnectionTrait;

use crate::support::{Reply, TestApp};

crate::both!(
    an_unreadable_message_is_dead_lettered_once,
    a_message_whose_intake_fails_is_dead_lettered_not_retried,
);

async fn ingest(app: &TestApp, raw: &[u8]) -> Reply {
    app.post_raw(
        Some("inbound-token"),
        "/api/inbound/email",
        "message/rfc822",
        raw.to_vec(),
    )
    .await
}

async fn dead_letters(app: &TestApp) -> Vec<serde_json::Value> {
    let admin = app.token("admin@demo.example").await;
    let list = app.get(Some(&admin), "/api/admin/dead-letters").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    list.body["dead_letters"].as_array().expect("list").clone()
}

async fn an_unreadable_message_is_dead_lettered_once(app: TestApp) {
    let raw = b"Subject: x\r\n\r\nno sender";
    for _ in 0..2 {
        let refused = ingest(&app, raw).await;
        // The refusal is what it was: a 422 that names the problem.
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
    }
    let letters = dead_letters(&app).await;
    assert_eq!(letters.len(), 1, "{letters:?}");
    assert!(
        letters[0]["reason"]
            .as_str()
            .is_some_and(|reason| reason.contains("sender")),
        "{letters:?}"
    );
    assert_eq!(letters[0]["size"], raw.len());
    let anna = app.token("customer@demo.example").await;
    let forbidden = app.get(Some(&anna), "/api/admin/dead-letters").await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
}

async fn a_message_whose_intake_fails_is_dead_lettered_not_retried(app: TestApp) {
    // The intake log is gone: every message now fails inside intake.
    app.state
        .db
        .execute_unprepared("ALTER TABLE inbound_mail RENAME TO inbound_mail_gone")
        .await
        .expect("rename");
    let raw = b"From: Anna <customer@demo.example>\r\nTo: support@demo.example\r\n\
        Subject: Printer\r\nMessage-ID: <broken-1@northwind.example>\r\n\
        Date: Mon, 23 Nov 2026 10:00:00 +0300\r\n\r\nIt is broken.\r\n";
    // A failure may pass (a busy database): the gateway may retry a few times…
    for attempt in 1..server::intake::ATTEMPTS {
        let failed = ingest(&app, raw).await;
        assert_eq!(
            failed.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{attempt}: {}",
            failed.body
        );
        assert!(dead_letters(&app).await.is_empty());
    }
    // …then it is given up on, once, and every later delivery hears so at once.
    for _ in 0..2 {
        let answered = ingest(&app, raw).await;
        assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
        assert_eq!(
            answered.body["outcome"], "dead_lettered",
            "{}",
            answered.body
        );
    }
    let letters = dead_letters(&app).await;
    assert_eq!(letters.len(), 1, "{letters:?}");
    assert_eq!(letters[0]["message_id"], "broken-1@northwind.example");
    assert_eq!(letters[0]["attempts"], server::intake::ATTEMPTS + 1);
}
