//! The real `reglament` binary: two instances on one PostgreSQL database (live events and
//! background jobs shared), and `ingest-mail` reading a message on standard input beside a
//! running server.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::StreamExt;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};

use crate::inbound::fixture;
use crate::support::{create_postgres_database, drop_postgres_database, unique_name};

const SECRET: &str = "instances-secret-instances-secret!";

/// A running `reglament serve`, stopped when dropped.
struct Instance {
    child: Child,
    url: String,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reglament"));
    for (name, _) in std::env::vars() {
        if name.starts_with("RG_") || name == "DATABASE_URL" {
            command.env_remove(name);
        }
    }
    command.env("RG_LOG", "warn");
    command
}

fn common_args(command: &mut Command, data_dir: &Path, database_url: &str) {
    command
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--database-url")
        .arg(database_url)
        .arg("--jwt-secret")
        .arg(SECRET)
        .arg("--job-interval-seconds")
        .arg("1")
        .arg("--inbound-token")
        .arg("gateway");
}

/// Starts `reglament serve` and waits for its "listening on" line.
fn serve(data_dir: &Path, database_url: &str) -> Instance {
    let mut command = binary();
    common_args(&mut command, data_dir, database_url);
    command
        .arg("--bind")
        .arg("127.0.0.1:0")
        .arg("--site-dir")
        .arg(data_dir.join("site"))
        .arg("--demo")
        .arg("serve")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = command.spawn().expect("start reglament");
    let stdout = child.stdout.take().expect("stdout");
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        if let Some(Ok(line)) = lines.next() {
            let _ = sender.send(line);
        }
        // Keep reading so the child never blocks on a full pipe.
        for _ in lines {}
    });
    let line = receiver
        .recv_timeout(Duration::from_secs(60))
        .expect("reglament prints its address");
    let url = line
        .strip_prefix("reglament: listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    Instance { child, url }
}

/// Runs `reglament ingest-mail` with `raw` on standard input: (exit success, stdout, stderr).
fn ingest_mail(data_dir: &Path, database_url: &str, raw: &[u8]) -> (bool, String, String) {
    let mut command = binary();
    common_args(&mut command, data_dir, database_url);
    let mut child = command
        .arg("ingest-mail")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start reglament ingest-mail");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(raw)
        .expect("write the message");
    let output = child.wait_with_output().expect("ingest-mail ends");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn login(http: &reqwest::Client, instance: &Instance, email: &str) -> String {
    let reply: Value = http
        .post(format!("{}/api/auth/login", instance.url))
        .json(&json!({"email": email, "password": "demo"}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login body");
    reply["token"].as_str().expect("token").to_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("reglament-bin-{name}"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Waits until `check` holds, polling; panics with `what` after `timeout`.
async fn eventually<F, Fut>(timeout: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < timeout, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .expect("row");
    row.try_get_by_index::<i64>(0).expect("count")
}

/// Moves a ticket's history 30 days into the past and makes it due for the jobs, so every
/// clock is breached at the instances' next run.
async fn age_ticket(db: &DatabaseConnection, ticket_id: i64) {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            "SELECT id, payload FROM ticket_events WHERE ticket_id = $1",
            [ticket_id.into()],
        ))
        .await
        .expect("events");
    for row in rows {
        let id: i64 = row.try_get("", "id").expect("id");
        let payload: String = row.try_get("", "payload").expect("payload");
        let mut payload: Value = serde_json::from_str(&payload).expect("json");
        if let Some(at) = payload["clock"]["at"].as_str() {
            let at: chrono::DateTime<chrono::Utc> = at.parse().expect("instant");
            payload["clock"]["at"] = json!(at - chrono::Duration::days(30));
        }
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "UPDATE ticket_events SET at = at - interval '30 days', payload = $1 WHERE id = $2",
            [payload.to_string().into(), id.into()],
        ))
        .await
        .expect("age the event");
    }
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        "UPDATE tickets SET registered_at = registered_at - interval '30 days', \
         next_check_at = now() - interval '1 second' WHERE id = $1",
        [ticket_id.into()],
    ))
    .await
    .expect("age the ticket");
}

fn mail_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir.join("mail"))
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".eml"))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "TEST_DATABASE_URL is not set")]
async fn two_instances_share_live_events_jobs_and_the_outbox() {
    let name = unique_name();
    let (url, base, database) = create_postgres_database(&name)
        .await
        .expect("TEST_DATABASE_URL names the PostgreSQL to test on");
    struct DropDatabase(Option<(String, String)>);
    impl Drop for DropDatabase {
        fn drop(&mut self) {
            if let Some((base, database)) = self.0.take() {
                drop_postgres_database(base, database, None);
            }
        }
    }
    let _database = DropDatabase(Some((base, database)));
    let dir_a = temp_dir(&format!("{name}-a"));
    let dir_b = temp_dir(&format!("{name}-b"));
    let dir_c = temp_dir(&format!("{name}-c"));
    let a = serve(&dir_a, &url);
    let b = serve(&dir_b, &url);
    let http = reqwest::Client::new();

    // Instance B's live stream, read by a background task.
    let lead = login(&http, &b, "lead@demo.example").await;
    let stream = http
        .get(format!("{}/api/events", b.url))
        .bearer_auth(&lead)
        .send()
        .await
        .expect("event stream");
    assert!(stream.status().is_success(), "{}", stream.status());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let collector = {
        let seen = seen.clone();
        tokio::spawn(async move {
            let mut body = stream.bytes_stream();
            while let Some(Ok(chunk)) = body.next().await {
                if let Ok(mut seen) = seen.lock() {
                    seen.push_str(&String::from_utf8_lossy(&chunk));
                }
            }
        })
    };

    // A ticket filed through instance A reaches B's stream within seconds.
    let anna = login(&http, &a, "customer@demo.example").await;
    let created: Value = http
        .post(format!("{}/api/tickets", a.url))
        .bearer_auth(&anna)
        .json(&json!({"subject": "Across instances", "description": "d", "category": "C", "severity": 2, "product_version": "5.2"}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("created body");
    let reference = created["reference"].as_str().expect("reference").to_owned();
    let filed = Instant::now();
    eventually(Duration::from_secs(8), "B streams A's new ticket", || {
        let seen = seen.clone();
        let reference = reference.clone();
        async move { seen.lock().map(|s| s.contains(&reference)).unwrap_or(false) }
    })
    .await;
    assert!(filed.elapsed() < Duration::from_secs(8));

    // An account deactivated through A loses its session on B at once: B, which has just
    // seen the account, forgets it when A tells it to, well before it would read it again.
    let boris = login(&http, &b, "customer2@demo.example").await;
    let me = |token: String| {
        let http = http.clone();
        let url = format!("{}/api/me", b.url);
        async move {
            let reply = http.get(url).bearer_auth(token).send().await.expect("me");
            reply.status()
        }
    };
    assert_eq!(me(boris.clone()).await, reqwest::StatusCode::OK);
    let admin = login(&http, &a, "admin@demo.example").await;
    let users: Value = http
        .get(format!("{}/api/admin/users", a.url))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("users")
        .json()
        .await
        .expect("users body");
    let boris_id = users
        .as_array()
        .and_then(|list| {
            list.iter()
                .find(|user| user["email"] == "customer2@demo.example")
        })
        .and_then(|user| user["id"].as_i64())
        .unwrap_or_else(|| panic!("customer2 in {users}"));
    let deactivated = http
        .post(format!("{}/api/admin/users/{boris_id}/deactivate", a.url))
        .bearer_auth(&admin)
        .json(&json!({}))
        .send()
        .await
        .expect("deactivate");
    assert!(
        deactivated.status().is_success(),
        "{}",
        deactivated.status()
    );
    let changed = Instant::now();
    eventually(
        server::directory::TTL / 2,
        "B refuses the deactivated account",
        || {
            let status = me(boris.clone());
            async move { status.await == reqwest::StatusCode::UNAUTHORIZED }
        },
    )
    .await;
    assert!(changed.elapsed() < server::directory::TTL);

    // Both instances run the jobs every second: each breach is alerted and mailed once.
    let db = server::db::connect(&url).await.expect("connect");
    let ticket = server::db::tickets::find_ticket(&db, &reference)
        .await
        .expect("query")
        .expect("ticket");
    age_ticket(&db, ticket.id).await;
    let alerts_sql = format!(
        "SELECT COUNT(*) FROM sla_alerts WHERE ticket_id = {}",
        ticket.id
    );
    eventually(Duration::from_secs(15), "the jobs alert the breach", || {
        let db = db.clone();
        let sql = alerts_sql.clone();
        async move { count(&db, &sql).await > 0 }
    })
    .await;
    // Give both instances several more runs to (wrongly) repeat it.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let alerts = count(&db, &alerts_sql).await;
    let events = count(
        &db,
        &format!(
            "SELECT COUNT(*) FROM ticket_events WHERE ticket_id = {} AND kind LIKE 'sla_%'",
            ticket.id
        ),
    )
    .await;
    assert_eq!(events, alerts, "one event per alert");
    let duplicates = count(
        &db,
        &format!(
            "SELECT COUNT(*) FROM (SELECT to_address, subject FROM outbox WHERE ticket_id = {} \
             AND subject LIKE '%SLA%' GROUP BY to_address, subject HAVING COUNT(*) > 1) AS twice",
            ticket.id
        ),
    )
    .await;
    assert_eq!(duplicates, 0, "each alert mail is written once");
    let alert_mail = count(
        &db,
        &format!(
            "SELECT COUNT(*) FROM outbox WHERE ticket_id = {} AND subject LIKE '%SLA breached%'",
            ticket.id
        ),
    )
    .await;
    assert!(alert_mail >= 1, "the supervisor is alerted: {alert_mail}");

    // `ingest-mail` works beside the running servers, and B streams what it did.
    let (ok, stdout, stderr) = ingest_mail(&dir_c, &url, &fixture("threaded_by_references.eml"));
    assert!(ok, "{stderr}");
    let outcome: Value = serde_json::from_str(stdout.trim()).expect("JSON outcome");
    assert_eq!(
        outcome,
        json!({"outcome": "threaded", "reference": "RG-000002"})
    );
    eventually(
        Duration::from_secs(8),
        "B streams the mailed message",
        || {
            let seen = seen.clone();
            async move {
                seen.lock()
                    .map(|s| s.contains("RG-000002"))
                    .unwrap_or(false)
            }
        },
    )
    .await;

    // The outbox workers of both instances deliver every row exactly once between them.
    eventually(Duration::from_secs(20), "the outbox is delivered", || {
        let db = db.clone();
        async move { count(&db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await == 0 }
    })
    .await;
    let rows = count(&db, "SELECT COUNT(*) FROM outbox").await;
    let mut files = mail_files(&dir_a);
    files.extend(mail_files(&dir_b));
    files.extend(mail_files(&dir_c));
    let total = files.len();
    files.sort();
    files.dedup();
    assert_eq!(files.len(), total, "no row was delivered by both instances");
    assert_eq!(total as i64, rows, "every row was delivered once");

    collector.abort();
    drop(a);
    drop(b);
    let _ = db.close().await;
    for dir in [dir_a, dir_b, dir_c] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_mail_reads_one_message_on_stdin_beside_a_running_server() {
    let name = unique_name();
    let dir = temp_dir(&format!("{name}-sqlite"));
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.join("reglament.sqlite3").display()
    );
    let server = serve(&dir, &url);
    let (ok, stdout, stderr) = ingest_mail(&dir, &url, &fixture("html_only.eml"));
    assert!(ok, "{stderr}");
    let outcome: Value = serde_json::from_str(stdout.trim()).expect("JSON outcome");
    assert_eq!(outcome["outcome"], "created", "{outcome}");
    let reference = outcome["reference"].as_str().expect("reference").to_owned();
    let (ok, stdout, _) = ingest_mail(&dir, &url, &fixture("html_only.eml"));
    assert!(ok);
    let again: Value = serde_json::from_str(stdout.trim()).expect("JSON outcome");
    assert_eq!(
        again,
        json!({"outcome": "duplicate", "reference": reference})
    );
    let (ok, stdout, stderr) = ingest_mail(&dir, &url, b"Subject: x\r\n\r\nno sender");
    assert!(!ok, "a message without a sender fails: {stdout}");
    assert!(
        stderr.contains("message: the message has no sender address"),
        "{stderr}"
    );
    // The running server sees the ticket and its worker sends the acknowledgement.
    let http = reqwest::Client::new();
    let anna = login(&http, &server, "customer@demo.example").await;
    let found = http
        .get(format!("{}/api/tickets/{reference}", server.url))
        .bearer_auth(&anna)
        .send()
        .await
        .expect("find");
    assert_eq!(found.status(), reqwest::StatusCode::OK);
    let folder = dir.clone();
    let reference_for_check = reference.clone();
    eventually(
        Duration::from_secs(10),
        "the acknowledgement is delivered",
        || {
            let folder = folder.clone();
            let reference = reference_for_check.clone();
            async move {
                mail_files(&folder).iter().any(|file| {
                    std::fs::read_to_string(folder.join("mail").join(file))
                        .map(|text| text.contains(&format!("[{reference}] Request registered")))
                        .unwrap_or(false)
                })
            }
        },
    )
    .await;
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}
