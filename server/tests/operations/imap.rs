//! Support mailboxes over IMAP against a real Dovecot: every message ingested exactly once across
//! a kill and a restart of the server, and failures the Admin screen can name.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use super::dovecot::{self, Dovecot};
use super::support::{Server, login, temp_dir};

const MESSAGES: usize = 1000;

async fn create_mailbox(
    http: &reqwest::Client,
    url: &str,
    admin: &str,
    port: u16,
    secret: &str,
) -> i64 {
    let reply = http
        .post(format!("{url}/api/admin/mailboxes"))
        .bearer_auth(admin)
        .json(&json!({
            "name": "support@demo.example",
            "host": "127.0.0.1",
            "port": port,
            "tls": "none",
            "username": dovecot::USER,
            "secret": secret,
        }))
        .send()
        .await
        .expect("create the mailbox");
    assert_eq!(reply.status(), reqwest::StatusCode::CREATED);
    let body: Value = reply.json().await.expect("body");
    body["id"].as_i64().expect("id")
}

async fn get(http: &reqwest::Client, url: &str, token: &str, path: &str) -> Value {
    http.get(format!("{url}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json")
}

/// Polls `condition` every 50 ms until it holds or `limit` passes; whether it held.
async fn eventually<F, Fut>(limit: Duration, mut condition: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while started.elapsed() < limit {
        if condition().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// (tickets registered from the test's messages, distinct subjects among them, intake log rows).
async fn counts(data_dir: &std::path::Path) -> (i64, i64, i64) {
    let url = format!(
        "sqlite://{}?mode=ro",
        data_dir.join("reglament.sqlite3").display()
    );
    let db = sea_orm::Database::connect(&url)
        .await
        .expect("open the database");
    let one = |sql: &'static str| {
        let db = db.clone();
        async move {
            let row = db
                .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
                .await
                .expect("query")
                .expect("a row");
            row.try_get_by_index::<i64>(0).expect("a count")
        }
    };
    let tickets = one("SELECT COUNT(*) FROM tickets WHERE subject LIKE 'IMAP %'").await;
    let distinct =
        one("SELECT COUNT(DISTINCT subject) FROM tickets WHERE subject LIKE 'IMAP %'").await;
    let logged = one("SELECT COUNT(*) FROM inbound_mail WHERE message_id LIKE 'imap-%'").await;
    let _ = db.close().await;
    (tickets, distinct, logged)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_messages_are_ingested_once_across_a_kill_and_restart() {
    let dovecot = Dovecot::start("kill");
    let messages: Vec<Vec<u8>> = (0..MESSAGES)
        .map(|index| {
            dovecot::message(
                "customer@demo.example",
                &format!("imap-{index}@mail.demo.example"),
                &format!("IMAP {index:04}"),
                "The report does not open.",
            )
        })
        .collect();
    let appending = Instant::now();
    dovecot.append(&messages).await;
    println!(
        "appended {MESSAGES} messages over IMAP in {:?}",
        appending.elapsed()
    );

    let data_dir = temp_dir("imap-kill");
    let mut server = Server::start(&data_dir, &[], &[]);
    let http = reqwest::Client::new();
    let admin = login(&http, &server.url, "admin@demo.example").await;
    let started = Instant::now();
    create_mailbox(&http, &server.url, &admin, dovecot.port, dovecot::PASSWORD).await;
    let halfway = eventually(Duration::from_secs(60), || async {
        dovecot.count("Processed").await as usize >= MESSAGES / 2
    })
    .await;
    assert!(halfway, "half the messages were not read within a minute");
    let elapsed = started.elapsed();
    server.child.kill().expect("kill -9");
    let _ = server.child.wait();
    let processed = dovecot.count("Processed").await;
    let (tickets_at_kill, _, _) = counts(&data_dir).await;
    println!(
        "killed after {elapsed:?}: {processed} moved to Processed, {tickets_at_kill} tickets \
         ({:.0} messages/s)",
        processed as f64 / elapsed.as_secs_f64()
    );
    assert!(tickets_at_kill >= i64::from(processed));

    let restarted = Instant::now();
    let server = Server::start(&data_dir, &[], &[]);
    let done = eventually(Duration::from_secs(60), || async {
        dovecot.count("INBOX").await == 0
    })
    .await;
    assert!(done, "the INBOX was not emptied after the restart");
    let rest = MESSAGES - processed as usize;
    println!(
        "after the restart: the remaining {rest} in {:?} ({:.0} messages/s with the restart)",
        restarted.elapsed(),
        rest as f64 / restarted.elapsed().as_secs_f64()
    );
    assert_eq!(dovecot.count("Processed").await as usize, MESSAGES);
    assert_eq!(dovecot.count("Failed").await, 0);
    let (tickets, distinct, logged) = counts(&data_dir).await;
    println!("tickets {tickets}, distinct {distinct}, intake log {logged}");
    assert_eq!(tickets, MESSAGES as i64, "each message is one ticket");
    assert_eq!(distinct, MESSAGES as i64, "no message became two tickets");
    assert_eq!(logged, MESSAGES as i64, "each Message-ID logged once");
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_credentials_and_unreadable_mail_are_named_and_the_rest_is_read_at_once() {
    let dovecot = Dovecot::start("status");
    dovecot
        .append(&[
            dovecot::message("customer@demo.example", "imap-good@x", "IMAP good", "Help."),
            dovecot::message(
                "stranger@elsewhere.example",
                "imap-stranger@x",
                "IMAP who",
                "Hi.",
            ),
            b"Subject: no sender\r\nMessage-ID: <imap-broken@x>\r\n\r\nbody\r\n".to_vec(),
        ])
        .await;
    let data_dir = temp_dir("imap-status");
    let server = Server::start(&data_dir, &[], &[]);
    let http = reqwest::Client::new();
    let admin = login(&http, &server.url, "admin@demo.example").await;
    let id = create_mailbox(&http, &server.url, &admin, dovecot.port, "not the password").await;

    let check: Value = http
        .post(format!("{}/api/admin/mailboxes/{id}/test", server.url))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("test")
        .json()
        .await
        .expect("json");
    assert_eq!(check["ok"], false, "{check}");
    assert_eq!(check["failed_step"], "login", "{check}");
    let message = check["message"].as_str().unwrap_or_default();
    assert!(message.contains("AUTHENTICATIONFAILED"), "{message}");
    let path = format!("/api/admin/mailboxes/{id}");
    let failing = eventually(Duration::from_secs(10), || async {
        let mailbox = get(&http, &server.url, &admin, &path).await;
        mailbox["state"] == "failing"
            && mailbox["last_error"]
                .as_str()
                .is_some_and(|error| error.contains("user name or password"))
    })
    .await;
    assert!(failing, "{}", get(&http, &server.url, &admin, &path).await);
    assert_eq!(
        dovecot.count("INBOX").await,
        3,
        "nothing is touched without a login"
    );

    let mut fixed = get(&http, &server.url, &admin, &path).await;
    for field in [
        "id",
        "state",
        "last_error",
        "checked_at",
        "ingested",
        "failed",
    ] {
        fixed.as_object_mut().expect("object").remove(field);
    }
    fixed["secret"] = json!(dovecot::PASSWORD);
    let put = http
        .put(format!("{}{path}", server.url))
        .bearer_auth(&admin)
        .json(&fixed)
        .send()
        .await
        .expect("put");
    assert_eq!(put.status(), reqwest::StatusCode::OK);
    let read = eventually(Duration::from_secs(15), || async {
        dovecot.count("INBOX").await == 0
    })
    .await;
    assert!(read, "the INBOX was not read with the right password");
    assert_eq!(
        dovecot.count("Processed").await,
        2,
        "the customer's and the refused one"
    );
    let failed = dovecot.messages("Failed").await;
    assert_eq!(failed.len(), 1);
    assert!(String::from_utf8_lossy(&failed[0]).contains("no sender"));
    let dead = get(&http, &server.url, &admin, "/api/admin/dead-letters").await;
    assert!(
        dead["dead_letters"][0]["reason"]
            .as_str()
            .is_some_and(|reason| reason.contains("no sender")),
        "{dead}"
    );
    let mailbox = get(&http, &server.url, &admin, &path).await;
    assert_eq!(mailbox["state"], "ok", "{mailbox}");
    assert_eq!(mailbox["ingested"], 2, "{mailbox}");
    assert_eq!(mailbox["failed"], 1, "{mailbox}");

    // With IDLE a new message is read at once, not on the next poll.
    let check: Value = http
        .post(format!("{}/api/admin/mailboxes/{id}/test", server.url))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("test")
        .json()
        .await
        .expect("json");
    assert_eq!(check["ok"], true, "{check}");
    assert_eq!(check["idle"], true, "{check}");
    let sent = Instant::now();
    dovecot
        .append(&[dovecot::message(
            "customer@demo.example",
            "imap-later@x",
            "IMAP later",
            "More.",
        )])
        .await;
    let quick = eventually(Duration::from_secs(5), || async {
        dovecot.count("Processed").await == 3
    })
    .await;
    assert!(quick, "a new message waits for a poll");
    println!(
        "a new message was read {:?} after it arrived",
        sent.elapsed()
    );
}
