//! `/api/ready`, and SIGTERM under load: a clean exit within 10 s, event streams told to
//! reconnect, and every acknowledged write in the database afterwards.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use migrations::MigratorTrait;

use crate::support::{Server, create_ticket, login, open_sqlite, references, temp_dir};

#[tokio::test]
async fn ready_answers_503_while_a_migration_is_pending() {
    let dir = temp_dir("ready");
    let server = Server::start(&dir, &[], &[]);
    let http = reqwest::Client::new();
    let ready = |http: reqwest::Client, url: String| async move {
        let reply = http
            .get(format!("{url}/api/ready"))
            .send()
            .await
            .expect("ready");
        let status = reply.status();
        (
            status,
            reply.json::<serde_json::Value>().await.expect("json"),
        )
    };
    let (status, body) = ready(http.clone(), server.url.clone()).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert_eq!(body["status"], "ready");

    let db = open_sqlite(&dir).await;
    migrations::Migrator::down(&db, Some(1))
        .await
        .expect("undo one migration");
    let (status, body) = ready(http.clone(), server.url.clone()).await;
    assert_eq!(status, reqwest::StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"], "not_ready");
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("1 migrations"),
        "{body}"
    );
    // Liveness is another question.
    let health = http
        .get(format!("{}/api/health", server.url))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), reqwest::StatusCode::OK);

    migrations::Migrator::up(&db, None)
        .await
        .expect("migrate again");
    let (status, _) = ready(http, server.url.clone()).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_under_load_exits_within_10_s_keeping_every_acknowledged_write() {
    let dir = temp_dir("shutdown");
    let mut server = Server::start(&dir, &[], &[]);
    let http = reqwest::Client::new();
    let tokens = [
        login(&http, &server.url, "customer@demo.example").await,
        login(&http, &server.url, "customer2@demo.example").await,
    ];
    let mut stream = http
        .get(format!("{}/api/events", server.url))
        .bearer_auth(&tokens[0])
        .send()
        .await
        .expect("event stream");
    assert_eq!(stream.status(), reqwest::StatusCode::OK);

    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let mut writers = Vec::new();
    for worker in 0..8 {
        let (http, url, token) = (http.clone(), server.url.clone(), tokens[worker % 2].clone());
        let acknowledged = acknowledged.clone();
        writers.push(tokio::spawn(async move {
            let mut refused = 0;
            for n in 0.. {
                match create_ticket(&http, &url, &token, &format!("Load {worker}-{n}")).await {
                    Ok(reference) => acknowledged.lock().expect("list").push(reference),
                    // The rate limit answers 429 and the server goes on; a refused connection
                    // means it has stopped.
                    Err(status) if status.starts_with("429") => {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                    Err(_) => {
                        refused += 1;
                        if refused > 3 {
                            return;
                        }
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            }
        }));
    }
    // The signal comes while writes are in flight (well below the rate limit of 120 writes a
    // minute per account).
    let started = Instant::now();
    while acknowledged.lock().expect("list").len() < 40 {
        assert!(started.elapsed() < Duration::from_secs(20), "the load runs");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let before_signal = acknowledged.lock().expect("list").len();

    let signalled = Instant::now();
    server.terminate();
    // The event stream is told to reconnect, then ends.
    let mut tail = String::new();
    while let Ok(Some(chunk)) = tokio::time::timeout(Duration::from_secs(9), stream.chunk())
        .await
        .expect("the stream ends after the signal")
    {
        tail.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(tail.ends_with("retry: 500\n\n"), "{tail:?}");
    let (status, _) = tokio::task::block_in_place(|| server.wait_for_exit(Duration::from_secs(10)));
    let took = signalled.elapsed();
    assert!(status.success(), "exit status {status}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    for writer in writers {
        writer.await.expect("writer");
    }
    let acknowledged = acknowledged.lock().expect("list").clone();
    println!(
        "shutdown under load: exit 0 after {:.2} s; {} tickets acknowledged, {} before the signal",
        took.as_secs_f64(),
        acknowledged.len(),
        before_signal
    );
    let stored = references(&open_sqlite(&dir).await).await;
    let missing: Vec<_> = acknowledged
        .iter()
        .filter(|r| !stored.contains(*r))
        .collect();
    assert!(
        missing.is_empty(),
        "acknowledged but not stored: {missing:?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
