//! `--log-format json` and request ids.

use std::time::Duration;

use crate::support::{Server, temp_dir};

#[tokio::test]
async fn every_request_has_an_id_in_its_answer_and_its_json_log_lines() {
    let dir = temp_dir("logs");
    let mut server = Server::start(
        &dir,
        &["--log-format", "json"],
        &[("RG_LOG", "info,tower_http=debug")],
    );
    let http = reqwest::Client::new();
    let reply = http
        .get(format!("{}/api/health", server.url))
        .header("x-request-id", "ops-test-42")
        .send()
        .await
        .expect("health");
    assert_eq!(reply.status(), reqwest::StatusCode::OK);
    assert_eq!(reply.headers()["x-request-id"], "ops-test-42");

    let reply = http
        .get(format!("{}/api/no-such-thing", server.url))
        .send()
        .await
        .expect("404");
    let generated = reply.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(generated.len(), 36, "a UUID: {generated}");

    server.terminate();
    let (status, _) = server.wait_for_exit(Duration::from_secs(10));
    assert!(status.success());
    let log = server.stderr.lock().expect("stderr").clone();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    for id in ["ops-test-42", generated.as_str()] {
        let of_request: Vec<_> = lines
            .iter()
            .filter(|line| line["span"]["request_id"] == id)
            .collect();
        assert!(
            of_request.len() >= 2,
            "the request's start and end carry its id {id}: {log}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}
