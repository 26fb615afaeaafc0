//! `cargo run --release -p server --bin loadtest [-- TICKETS ORGANISATIONS] [--instances N]`:
//! fills a fresh SQLite database (or `DATABASE_URL`) with organisations and tickets over HTTP on
//! loopback, against the server as `reglament serve` runs it (its background jobs and outbox
//! worker included), and prints ticket creation throughput, p99 and CPU per ticket (server and clients together:
//! they share this process), how much of the mail it caused was delivered meanwhile, the staff
//! queue's first page and its counters p99, the ticket detail with 50 messages p99, and the
//! process's resident memory. With `--instances N` (PostgreSQL: the scale-out path), N servers,
//! each with its own connection pool, live-event tailer, jobs and outbox worker, share the
//! database and the ticket creations are spread over them; the run then checks that no
//! reference was handed out twice.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use chrono::Utc;
use reqwest::Method;
use server::config::{Config, Options};
use server::db::admin::{self as a, NewAccount, Terms};
use server::state::AppState;

/// mimalloc instead of the system allocator: a request allocates and frees many small buffers
/// (JSON, SQL, rows), and glibc's malloc took a sixth of the CPU of a ticket-creation run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tickets filed from one client address before the client moves to the next, well inside
/// the per-address write limit.
const PER_ADDRESS: usize = 300;

/// Clients filing tickets at the same time.
const CONCURRENCY: usize = 16;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index.min(samples.len() - 1)]
}

/// CPU time this process has used (user and system), from `/proc/self/stat`: a figure that,
/// unlike throughput, does not depend much on what else the machine runs.
fn cpu_time() -> Duration {
    let ticks_per_second = 100.0; // USER_HZ on Linux
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // The fields after the command name, which is in parentheses.
            let rest = stat.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let user: f64 = fields.get(11)?.parse().ok()?;
            let system: f64 = fields.get(12)?.parse().ok()?;
            Some(Duration::from_secs_f64((user + system) / ticks_per_second))
        })
        .unwrap_or_default()
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmRSS:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Requests from one client address, over one kept-alive connection.
fn client_from(address: u32) -> anyhow::Result<reqwest::Client> {
    // Every address in 127.0.0.0/8 is this machine's; spread over them, the clients look like
    // the many customers they stand for to the per-address rate limit.
    let ip = Ipv4Addr::new(127, 1, (address / 200) as u8, (address % 200 + 1) as u8);
    Ok(reqwest::Client::builder()
        .local_address(IpAddr::V4(ip))
        .pool_max_idle_per_host(1)
        .build()?)
}

async fn call(
    client: &reqwest::Client,
    base: &str,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<String>,
) -> anyhow::Result<(StatusCode, usize)> {
    let mut request = client
        .request(method, format!("{base}{path}"))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
    }
    let response = request.send().await?;
    let status = StatusCode::from_u16(response.status().as_u16())?;
    let bytes = response.bytes().await?;
    Ok((status, bytes.len()))
}

/// What the command line asks for.
struct Run {
    tickets: usize,
    organisations: usize,
    instances: usize,
}

impl Run {
    fn from_args() -> anyhow::Result<Self> {
        let mut instances = 1usize;
        let mut numbers = Vec::new();
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            if arg == "--instances" {
                instances = args
                    .next()
                    .and_then(|value| value.parse().ok())
                    .filter(|&count| count > 0)
                    .ok_or_else(|| anyhow::anyhow!("--instances needs a positive number"))?;
            } else {
                numbers.push(arg.parse::<usize>()?);
            }
        }
        Ok(Self {
            tickets: numbers.first().copied().unwrap_or(100_000),
            organisations: numbers.get(1).copied().unwrap_or(1_000),
            instances,
        })
    }
}

/// The server's options as `reglament serve` would read them for this run.
#[derive(clap::Parser)]
struct Command {
    #[command(flatten)]
    options: Options,
}

fn options(dir: &std::path::Path, database_url: &str) -> Options {
    let dir = dir.display().to_string();
    let site = format!("{dir}/site");
    let command: Command = clap::Parser::parse_from([
        "loadtest",
        "--bind=127.0.0.1:0",
        "--demo",
        "--session-minutes=600",
        "--jwt-secret=loadtest-secret-loadtest-secret-0123",
        &format!("--data-dir={dir}"),
        &format!("--site-dir={site}"),
        &format!("--database-url={database_url}"),
    ]);
    command.options
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // Errors behind a failed request reach the operator, as they would from the server.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("RG_LOG")
                .unwrap_or_else(|_| "error".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let run = Run::from_args()?;
    let dir = std::env::temp_dir().join(format!("reglament-loadtest-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let database_url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", dir.join("load.sqlite3").display()));
    let options = options(&dir, &database_url);
    let config = Config::load(&options)?;
    let db = server::db::connect(&database_url).await?;
    server::db::migrate(&db).await?;
    server::demo::seed_if_empty(&db).await?;
    let customers = fill_organisations(&db, run.organisations).await?;
    let state = AppState::new(db, config)?;
    // The server as `reglament serve` runs it: on a TCP socket, with the live-event tailer,
    // the background jobs and the outbox worker delivering mail (to files) beside it; further
    // instances have their own pool and workers on the same database.
    let mut bases = Vec::with_capacity(run.instances);
    let mut serving = Vec::with_capacity(run.instances);
    for instance in 0..run.instances {
        let state = if instance == 0 {
            state.clone()
        } else {
            let db = server::db::connect(&database_url).await?;
            AppState::new(db, Config::load(&options)?)?
        };
        let (base, task) = serve(state).await?;
        bases.push(base);
        serving.push(task);
    }
    let mut tokens = Vec::with_capacity(customers.len());
    for &id in &customers {
        tokens.push(session_token(&state, id).await?);
    }
    let agent = server::db::find_user_by_email(&state.db, "agent@demo.example")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo agent"))?;
    let agent_token = session_token(&state, agent.id).await?;

    create_tickets(&bases, &tokens, run.tickets).await?;
    check_references(&state, run.instances).await?;
    let (sent, queued) = server::db::outbox::delivery_counts(&state.db).await?;
    println!("loadtest: mail: {sent} of {queued} outbox rows delivered by the end of the run");
    measure_reads(&bases[0], &agent_token, run.tickets).await?;
    println!("loadtest: resident memory {:.0} MB", rss_mb());
    for task in serving {
        task.abort();
    }
    state.db.clone().close().await?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// `count` organisations on the Standard plan, each with one customer; returns the customers.
async fn fill_organisations(
    db: &server::db::DatabaseConnection,
    count: usize,
) -> anyhow::Result<Vec<i64>> {
    let now = Utc::now();
    let standard = a::plan_by_key(db, "standard")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no standard plan"))?;
    let hash = server::auth::hash_password("load")?;
    let mut customers = Vec::with_capacity(count);
    let started = Instant::now();
    for index in 0..count {
        let org = a::insert_organisation(
            db,
            format!("Load Org {index:04}"),
            "unqualified".into(),
            now,
        )
        .await?;
        let terms = Terms {
            plan_id: standard.id,
            plan_version_id: standard.current_version_id,
            special_requests: shared::api::SpecialRequests::Allowed,
            valid_from: now.date_naive() - chrono::Duration::days(1),
            valid_to: now.date_naive() + chrono::Duration::days(365),
            account_limit: 5,
        };
        a::insert_contract(db, org.id, terms, now).await?;
        let account = NewAccount {
            email: format!("load{index}@load.example"),
            name: format!("Load Customer {index}"),
            password_hash: hash.clone(),
            role: shared::ticket::Role::Customer,
            organisation_id: Some(org.id),
            locale: "en".into(),
            time_zone: "Europe/Moscow".into(),
            must_change_password: false,
        };
        customers.push(a::insert_user(db, account, now).await?.id);
    }
    println!(
        "loadtest: {count} organisations in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(customers)
}

/// Files `tickets` tickets from `CONCURRENCY` clients spread over the instances, and prints
/// throughput, latency and CPU per ticket.
async fn create_tickets(bases: &[String], tokens: &[String], tickets: usize) -> anyhow::Result<()> {
    let started = Instant::now();
    let cpu_before = cpu_time();
    let mut tasks = Vec::new();
    for worker in 0..CONCURRENCY {
        let tokens = tokens.to_vec();
        let base = bases[worker % bases.len()].clone();
        tasks.push(tokio::spawn(async move {
            file_tickets(worker, &base, &tokens, tickets).await
        }));
    }
    let mut latencies = Vec::new();
    let mut failures = 0;
    for task in tasks {
        let (mut part, failed) = task.await??;
        latencies.append(&mut part);
        failures += failed;
    }
    let elapsed = started.elapsed();
    let cpu = cpu_time().saturating_sub(cpu_before);
    println!(
        "loadtest: created {} tickets in {:.1}s = {:.0}/s, p50 {:.1} ms, p99 {:.1} ms, {failures} failures; {:.2} ms of CPU per ticket",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        percentile(&mut latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&mut latencies, 0.99).as_secs_f64() * 1e3,
        cpu.as_secs_f64() * 1e3 / latencies.len().max(1) as f64,
    );
    Ok(())
}

/// One client's share of the tickets (every `CONCURRENCY`th from `worker`): the latencies of
/// those created and the number that failed.
async fn file_tickets(
    worker: usize,
    base: &str,
    tokens: &[String],
    tickets: usize,
) -> anyhow::Result<(Vec<Duration>, usize)> {
    let mut latencies = Vec::new();
    let mut failures = 0usize;
    let mut client = client_from(worker as u32)?;
    for (filed, index) in (worker..tickets).step_by(CONCURRENCY).enumerate() {
        if filed > 0 && filed % PER_ADDRESS == 0 {
            client = client_from((filed / PER_ADDRESS * CONCURRENCY + worker) as u32)?;
        }
        let body = serde_json::json!({
            "subject": format!("Load ticket {index}"),
            "description": "Generated by the load test.",
            "category": if index % 3 == 0 { "C" } else { "D" },
            "severity": if index % 3 == 0 { Some(2) } else { None },
            "special": index % 97 == 0,
            "product_version": "5.2.1",
        })
        .to_string();
        let token = &tokens[index % tokens.len()];
        let at = Instant::now();
        match call(
            &client,
            base,
            Method::POST,
            "/api/tickets",
            token,
            Some(body),
        )
        .await
        {
            Ok((StatusCode::CREATED, _)) => latencies.push(at.elapsed()),
            Ok((status, _)) => {
                if failures == 0 {
                    eprintln!("loadtest: first failure: {status}");
                }
                failures += 1;
            }
            Err(error) => {
                eprintln!("loadtest: {error}");
                failures += 1;
            }
        }
    }
    Ok((latencies, failures))
}

/// Fails the run when two tickets got the same reference.
async fn check_references(state: &AppState, instances: usize) -> anyhow::Result<()> {
    let (stored, distinct) = server::db::reports::reference_counts(&state.db).await?;
    println!(
        "loadtest: {instances} instance(s): {stored} tickets stored, {distinct} distinct references"
    );
    anyhow::ensure!(stored == distinct, "a reference was handed out twice");
    Ok(())
}

/// The staff reads: the queue's first page, its counters, and a ticket with 50 messages.
async fn measure_reads(base: &str, token: &str, tickets: usize) -> anyhow::Result<()> {
    // Staff reads come from one address.
    let staff = client_from(60_000)?;
    let mut queue = sample(&staff, base, token, "/api/tickets", 300).await?;
    println!(
        "loadtest: staff queue first page (50 of {tickets} open) p50 {:.1} ms, p99 {:.1} ms",
        percentile(&mut queue, 0.5).as_secs_f64() * 1e3,
        percentile(&mut queue, 0.99).as_secs_f64() * 1e3,
    );
    let mut counts = sample(&staff, base, token, "/api/tickets/counts", 100).await?;
    println!(
        "loadtest: queue counters ({tickets} open) p50 {:.1} ms, p99 {:.1} ms",
        percentile(&mut counts, 0.5).as_secs_f64() * 1e3,
        percentile(&mut counts, 0.99).as_secs_f64() * 1e3,
    );
    let reference = "RG-000100";
    for index in 0..50u32 {
        let body = serde_json::json!({
            "body": format!("Reply {index}: a paragraph of text as agents write it."),
            "internal": index % 5 == 0,
        });
        let path = format!("/api/tickets/{reference}/messages");
        let request = Some(body.to_string());
        let (status, _) = call(&staff, base, Method::POST, &path, token, request).await?;
        anyhow::ensure!(status == StatusCode::CREATED, "message: {status}");
    }
    let path = format!("/api/tickets/{reference}");
    let (_, size) = call(&staff, base, Method::GET, &path, token, None).await?;
    let mut detail = sample(&staff, base, token, &path, 300).await?;
    println!(
        "loadtest: GET {path} ({size} bytes, 50+ messages) p50 {:.1} ms, p99 {:.1} ms",
        percentile(&mut detail, 0.5).as_secs_f64() * 1e3,
        percentile(&mut detail, 0.99).as_secs_f64() * 1e3,
    );
    Ok(())
}

/// `rounds` GETs of `path`, each answered 200; their latencies.
async fn sample(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    path: &str,
    rounds: usize,
) -> anyhow::Result<Vec<Duration>> {
    let mut latencies = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let at = Instant::now();
        let (status, _) = call(client, base, Method::GET, path, token, None).await?;
        anyhow::ensure!(status == StatusCode::OK, "{path}: {status}");
        latencies.push(at.elapsed());
    }
    Ok(latencies)
}

/// Serves `state` on a fresh loopback port with its background work; returns its base URL.
async fn serve(state: AppState) -> anyhow::Result<(String, tokio::task::JoinHandle<()>)> {
    server::start_background(&state).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = server::app(state);
    let task = tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    Ok((base, task))
}

/// A signed-in session of `user_id`, as a sign-in would open it.
async fn session_token(state: &server::state::AppState, user_id: i64) -> anyhow::Result<String> {
    server::sessions::start(state, user_id, Some("loadtest"), None)
        .await
        .map(|(token, _)| token)
        .map_err(|error| anyhow::anyhow!("{error}"))
}
