//! Live-event fan-out under load: N Server-Sent-Event clients, a customer files tickets, and the
//! time from the submit to each client's receipt of `ticket_created` is measured.
//!
//! ```text
//! cargo bench -p server --bench live                       # 1,000 clients, one instance, SQLite
//! cargo bench -p server --bench live -- --clients 200 --actions 10
//! cargo bench -p server --bench live -- --postgres postgres://postgres@127.0.0.1:5432/postgres
//!                                                          # two instances sharing PostgreSQL
//! ```
//! The benchmark starts the release `reglament` binary itself on free ports with fresh data, so
//! it measures the real server, and prints latency percentiles and each server's resident memory.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{Value, json};
use tokio::sync::mpsc;

struct Options {
    clients: usize,
    actions: usize,
    postgres: Option<String>,
}

fn options() -> Options {
    let mut options = Options {
        clients: 1000,
        actions: 20,
        postgres: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--clients" => {
                options.clients = args.next().and_then(|v| v.parse().ok()).unwrap_or(1000)
            }
            "--actions" => options.actions = args.next().and_then(|v| v.parse().ok()).unwrap_or(20),
            "--postgres" => options.postgres = args.next(),
            _ => {} // cargo bench passes --bench
        }
    }
    options
}

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(data_dir: &std::path::Path, database_url: Option<&str>, demo: bool) -> Server {
        use std::io::BufRead;
        let mut command = Command::new(env!("CARGO_BIN_EXE_reglament"));
        command
            .args(["serve", "--bind", "127.0.0.1:0"])
            .arg("--data-dir")
            .arg(data_dir)
            .env("RG_LOG", "warn")
            .env("RG_JOB_INTERVAL_SECONDS", "3600")
            // Instances behind one address share the signing secret, or a session from one is
            // refused by the other.
            .env("RG_JWT_SECRET", "live-bench-secret-live-bench-secret-0123")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if demo {
            command.arg("--demo");
        }
        match database_url {
            Some(url) => command.env("DATABASE_URL", url),
            None => command.env_remove("DATABASE_URL"),
        };
        let mut child = command.spawn().expect("start reglament");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = std::io::BufReader::new(stdout).lines();
        let first = lines.next().expect("a first line").expect("readable");
        let url = first
            .strip_prefix("reglament: listening on ")
            .expect("the address line")
            .trim()
            .to_owned();
        std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
        Server { child, url }
    }

    fn resident_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(f64::NAN)
    }
}

async fn login(client: &reqwest::Client, url: &str, email: &str) -> String {
    let response: Value = client
        .post(format!("{url}/api/auth/login"))
        .json(&json!({"email": email, "password": "demo"}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login body");
    response["token"].as_str().expect("a token").to_owned()
}

/// One SSE client: reports each `ticket_created` reference with its arrival instant.
async fn listen(
    url: String,
    token: String,
    ready: Arc<AtomicUsize>,
    arrivals: mpsc::UnboundedSender<(String, Instant)>,
) {
    let client = reqwest::Client::new();
    let response = client
        .get(format!("{url}/api/events"))
        .bearer_auth(token)
        .send()
        .await
        .expect("open the stream");
    assert!(
        response.status().is_success(),
        "stream refused: {}",
        response.status()
    );
    let mut stream = response.bytes_stream();
    let mut buffer = String::new();
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else { return };
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find('\n') {
            let line: String = buffer.drain(..=end).collect();
            let line = line.trim_end();
            if line == ": live" {
                ready.fetch_add(1, Ordering::SeqCst);
            } else if let Some(data) = line.strip_prefix("data:") {
                let now = Instant::now();
                if let Ok(event) = serde_json::from_str::<Value>(data.trim())
                    && event["kind"] == "ticket_created"
                    && let Some(reference) = event["reference"].as_str()
                {
                    let _ = arrivals.send((reference.to_owned(), now));
                }
            }
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let options = options();
    let scratch = std::env::temp_dir().join(format!("reglament-live-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let mut database_name = None;
    let servers: Vec<Server> = match &options.postgres {
        None => vec![Server::start(&scratch.join("a"), None, true)],
        Some(admin_url) => {
            let name = format!("rg_live_bench_{}", std::process::id());
            let (base, _) = admin_url.rsplit_once('/').expect("a database URL");
            psql(admin_url, &format!("CREATE DATABASE {name}"));
            database_name = Some((admin_url.clone(), name.clone()));
            let url = format!("{base}/{name}");
            let first = Server::start(&scratch.join("a"), Some(&url), true);
            let second = Server::start(&scratch.join("b"), Some(&url), false);
            vec![first, second]
        }
    };
    let http = reqwest::Client::new();
    let staff_token = login(&http, &servers[0].url, "agent@demo.example").await;
    let customer_token = login(&http, &servers[0].url, "customer@demo.example").await;

    let ready = Arc::new(AtomicUsize::new(0));
    let (sender, mut arrivals) = mpsc::unbounded_channel();
    let connect_started = Instant::now();
    for index in 0..options.clients {
        let server = &servers[index % servers.len()];
        tokio::spawn(listen(
            server.url.clone(),
            staff_token.clone(),
            ready.clone(),
            sender.clone(),
        ));
    }
    drop(sender);
    while ready.load(Ordering::SeqCst) < options.clients {
        if connect_started.elapsed() > Duration::from_secs(60) {
            panic!(
                "only {} of {} streams opened",
                ready.load(Ordering::SeqCst),
                options.clients
            );
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "live: {} streams open on {} instance(s) in {:.2}s",
        options.clients,
        servers.len(),
        connect_started.elapsed().as_secs_f64()
    );

    let mut submitted: HashMap<String, Instant> = HashMap::new();
    for index in 0..options.actions {
        let started = Instant::now();
        let response: Value = http
            .post(format!("{}/api/tickets", servers[0].url))
            .bearer_auth(&customer_token)
            .json(&json!({
                "subject": format!("Load test ticket {index}"),
                "description": "The report module stops responding.",
                "category": "D",
                "special": false,
                "product_version": "5.1",
            }))
            .send()
            .await
            .expect("create a ticket")
            .json()
            .await
            .expect("ticket body");
        let reference = response["reference"]
            .as_str()
            .or_else(|| response["ticket"]["reference"].as_str())
            .unwrap_or_else(|| panic!("no reference in {response}"))
            .to_owned();
        submitted.insert(reference, started);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let memory: Vec<f64> = servers.iter().map(Server::resident_mb).collect();

    let expected = options.clients * options.actions;
    let mut latencies = Vec::with_capacity(expected);
    let deadline = Instant::now() + Duration::from_secs(30);
    while latencies.len() < expected {
        let timeout = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(timeout, arrivals.recv()).await {
            Ok(Some((reference, at))) => {
                if let Some(started) = submitted.get(&reference) {
                    latencies.push(at.duration_since(*started).as_secs_f64() * 1000.0);
                }
            }
            _ => break,
        }
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "live: {} of {} deliveries; submit→receipt p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        expected,
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        latencies.last().copied().unwrap_or(f64::NAN)
    );
    for (index, mb) in memory.iter().enumerate() {
        println!("live: instance {} resident memory {:.1} MB", index + 1, mb);
    }
    drop(servers);
    if let Some((admin_url, name)) = database_name {
        psql(
            &admin_url,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert_eq!(latencies.len(), expected, "some events never arrived");
}

fn psql(url: &str, sql: &str) {
    let status = Command::new("psql")
        .arg(url)
        .args(["-qc", sql])
        .status()
        .expect("psql");
    assert!(status.success(), "psql failed: {sql}");
}
