//! Support mailboxes: admins keep their settings (the password never comes back); the lease
//! that lets one instance at a time read a mailbox. Reading real mail is tested against Dovecot
//! in `tests/operations/imap.rs`.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

crate::both!(
    admins_keep_mailboxes_with_checked_fields,
    one_instance_at_a_time_holds_a_lease,
);

async fn admins_keep_mailboxes_with_checked_fields(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let lead = app.token("lead@demo.example").await;
    let denied = app.get(Some(&lead), "/api/admin/mailboxes").await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let bad = app
        .post(
            Some(&admin),
            "/api/admin/mailboxes",
            json!({"name": "", "host": "imap://x", "port": 0, "username": "u",
                   "folder": "INBOX", "processed_folder": "INBOX", "product_id": 999999}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let bad_tls = app
        .post(
            Some(&admin),
            "/api/admin/mailboxes",
            json!({"name": "x", "host": "mail.example", "port": 993, "tls": "ssl3",
                   "username": "u", "secret": "p"}),
        )
        .await;
    assert!(bad_tls.status.is_client_error(), "{}", bad_tls.body);
    let created = app
        .post(
            Some(&admin),
            "/api/admin/mailboxes",
            json!({"name": "Support", "host": "mail.example", "port": 993,
                   "username": "support", "secret": "hunter2", "enabled": false}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert!(created.body.get("secret").is_none());
    assert_eq!(created.body["tls"], "tls");
    assert_eq!(created.body["folder"], "INBOX");
    assert_eq!(created.body["processed_folder"], "Processed");
    assert_eq!(created.body["failed_folder"], "Failed");
    assert_eq!(created.body["state"], "unknown");
    let id = created.body["id"].as_i64().expect("id");
    let path = format!("/api/admin/mailboxes/{id}");
    let edited = app
        .send_json(
            "PUT",
            Some(&admin),
            &path,
            json!({"name": "Support", "host": "127.0.0.1", "port": 1, "tls": "none",
                   "username": "support", "enabled": false}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    // Nothing listens on port 1: the test says the connection failed, and where.
    let check = app
        .post(Some(&admin), &format!("{path}/test"), json!(null))
        .await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert_eq!(check.body["ok"], false);
    assert_eq!(check.body["failed_step"], "connect");
    assert!(
        check.body["message"]
            .as_str()
            .is_some_and(|message| message.contains("127.0.0.1:1")),
        "{}",
        check.body
    );
    let listed = app.get(Some(&admin), "/api/admin/mailboxes").await;
    assert_eq!(listed.body["mailboxes"][0]["port"], 1);
    let deleted = app
        .send_json("DELETE", Some(&admin), &path, json!(null))
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = app
        .post(Some(&admin), &format!("{path}/test"), json!(null))
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

async fn one_instance_at_a_time_holds_a_lease(app: TestApp) {
    use server::db::leases;
    let db = &app.state.db;
    let now = chrono::Utc::now();
    let until = now + chrono::Duration::seconds(30);
    assert!(
        leases::acquire(db, "mailbox:1", "a", now, until)
            .await
            .expect("a")
    );
    assert!(
        !leases::acquire(db, "mailbox:1", "b", now, until)
            .await
            .expect("b")
    );
    // The holder renews it; another takes it only once it has run out.
    assert!(
        leases::acquire(db, "mailbox:1", "a", now, until)
            .await
            .expect("a again")
    );
    let later = until + chrono::Duration::seconds(1);
    assert!(
        leases::acquire(
            db,
            "mailbox:1",
            "b",
            later,
            later + chrono::Duration::seconds(30)
        )
        .await
        .expect("b later")
    );
    assert!(
        !leases::acquire(db, "mailbox:1", "a", later, later)
            .await
            .expect("a later")
    );
    leases::release(db, "mailbox:1", "b")
        .await
        .expect("release");
    assert!(
        leases::acquire(db, "mailbox:1", "a", later, later)
            .await
            .expect("a free")
    );
}
