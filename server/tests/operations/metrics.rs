//! `GET /metrics` on `--metrics-bind`, through a real socket.

use std::time::Duration;

use crate::support::{Server, create_ticket, login, temp_dir};

async fn scrape(http: &reqwest::Client, url: &str) -> String {
    let reply = http.get(url).send().await.expect("metrics");
    assert_eq!(reply.status(), reqwest::StatusCode::OK);
    reply.text().await.expect("text")
}

#[tokio::test]
async fn metrics_are_served_on_their_own_address_in_prometheus_text() {
    let dir = temp_dir("metrics");
    let server = Server::start(&dir, &["--metrics-bind", "127.0.0.1:0"], &[]);
    let line = server
        .stdout
        .recv_timeout(Duration::from_secs(10))
        .expect("the metrics line");
    let metrics_url = line
        .strip_prefix("reglament: metrics on ")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .to_owned();
    let http = reqwest::Client::new();
    let token = login(&http, &server.url, "customer@demo.example").await;
    let reference = create_ticket(&http, &server.url, &token, "Metrics")
        .await
        .expect("ticket");
    let reply = http
        .get(format!("{}/api/tickets/{reference}", server.url))
        .bearer_auth(&token)
        .send()
        .await
        .expect("ticket");
    assert_eq!(reply.status(), reqwest::StatusCode::OK);
    let mut stream = http
        .get(format!("{}/api/events", server.url))
        .bearer_auth(&token)
        .send()
        .await
        .expect("event stream");
    assert_eq!(stream.status(), reqwest::StatusCode::OK);
    // Jobs run every second here; wait for the first run to be recorded.
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let text = scrape(&http, &metrics_url).await;
    let has = |start: &str, inner: &[&str]| {
        text.lines()
            .any(|line| line.starts_with(start) && inner.iter().all(|part| line.contains(part)))
    };
    assert!(
        has(
            "reglament_http_requests_total{",
            &[
                "route=\"/api/tickets/{reference}\"",
                "status=\"200\"",
                "method=\"GET\""
            ]
        ),
        "{text}"
    );
    assert!(
        has(
            "reglament_http_requests_total{",
            &["route=\"/api/tickets\"", "status=\"201\""]
        ),
        "{text}"
    );
    assert!(
        has(
            "reglament_http_request_duration_seconds_bucket{",
            &["route=\"/api/auth/login\"", "le=\"0.5\""]
        ),
        "{text}"
    );
    assert!(
        text.contains("\nreglament_event_streams_open 1\n"),
        "{text}"
    );
    assert!(has("reglament_outbox_backlog ", &[]), "{text}");
    assert!(has("reglament_outbox_oldest_age_seconds ", &[]), "{text}");
    assert!(has("reglament_jobs_lag_seconds ", &[]), "{text}");
    assert!(
        has("reglament_sqlite_write_wait_seconds_bucket{", &[]),
        "{text}"
    );
    assert!(has("reglament_clocks_at_risk ", &[]), "{text}");
    assert!(has("reglament_clocks_breached ", &[]), "{text}");
    // A stream that ends is no longer counted.
    drop(stream.chunk().await);
    drop(stream);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let text = scrape(&http, &metrics_url).await;
    assert!(
        text.contains("\nreglament_event_streams_open 0\n"),
        "{text}"
    );

    // The application's own address does not serve them.
    let reply = http
        .get(format!("{}/api/metrics", server.url))
        .send()
        .await
        .expect("api");
    assert_eq!(reply.status(), reqwest::StatusCode::NOT_FOUND);
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn metrics_are_off_unless_an_address_is_given() {
    let dir = temp_dir("metrics-off");
    let server = Server::start(&dir, &[], &[]);
    let next = server.stdout.recv_timeout(Duration::from_secs(2));
    assert!(
        next.as_deref()
            .map_or(true, |line| !line.contains("metrics")),
        "{next:?}"
    );
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}
