//! Starting the real binary and talking to it over HTTP.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The `reglament` binary with none of the caller's `RG_*` settings.
pub fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reglament"));
    for (name, _) in std::env::vars() {
        if name.starts_with("RG_") || name == "DATABASE_URL" {
            command.env_remove(name);
        }
    }
    command.env("RG_LOG", "warn");
    command
}

/// A fresh, empty folder under the system's temporary folder.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "reglament-ops-{name}-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos() % 1_000_000_007)
        .unwrap_or_default()
}

/// A running `reglament serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    pub url: String,
    /// Standard output after the address line.
    pub stdout: mpsc::Receiver<String>,
    /// Everything written to standard error so far.
    pub stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `reglament serve` on a free port with the demo data in `data_dir`, plus `args`.
    pub fn start(data_dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Server {
        let mut command = binary();
        command
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--site-dir")
            .arg(data_dir.join("site"))
            .args([
                "--bind",
                "127.0.0.1:0",
                "--demo",
                "--job-interval-seconds",
                "1",
            ])
            .args(args)
            .envs(envs.iter().copied())
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("start reglament");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    // Keep reading so the child never blocks on a full pipe.
                }
            }
        });
        let errors = Arc::new(Mutex::new(String::new()));
        let sink = errors.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let mut text = sink.lock().expect("stderr");
                text.push_str(&line);
                text.push('\n');
            }
        });
        let line = receiver
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| {
                panic!(
                    "reglament prints its address; stderr: {}",
                    errors.lock().expect("stderr")
                )
            });
        let url = line
            .strip_prefix("reglament: listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Server {
            child,
            url,
            stdout: receiver,
            stderr: errors,
        }
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success(), "kill -TERM failed");
    }

    /// Waits for the process to end, at most `limit`; its status and how long it took.
    pub fn wait_for_exit(&mut self, limit: Duration) -> (ExitStatus, Duration) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return (status, started.elapsed());
            }
            assert!(
                started.elapsed() < limit,
                "reglament still runs {limit:?} after the signal"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Signs in with the demo password; the session token.
pub async fn login(http: &reqwest::Client, url: &str, email: &str) -> String {
    let reply: Value = http
        .post(format!("{url}/api/auth/login"))
        .json(&json!({"email": email, "password": "demo"}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login body");
    reply["token"].as_str().expect("token").to_owned()
}

/// Registers a ticket; its reference when the server acknowledged it (201).
pub async fn create_ticket(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    subject: &str,
) -> Result<String, String> {
    let reply = http
        .post(format!("{url}/api/tickets"))
        .bearer_auth(token)
        .json(&json!({
            "subject": subject,
            "description": "Written while the server is being operated.",
            "category": "D",
            "product_version": "5.2.1",
        }))
        .send()
        .await
        .map_err(|error| error.to_string())?;
    if reply.status() != reqwest::StatusCode::CREATED {
        return Err(reply.status().to_string());
    }
    let body: Value = reply.json().await.map_err(|error| error.to_string())?;
    Ok(body["reference"].as_str().expect("reference").to_owned())
}

/// Uploads `content` as `file_name` to a ticket; the attachment's id.
pub async fn attach(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    reference: &str,
    file_name: &str,
    content: &[u8],
) -> i64 {
    let boundary = "reglament-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/plain\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let reply = http
        .post(format!("{url}/api/tickets/{reference}/attachments"))
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_eq!(reply.status(), reqwest::StatusCode::CREATED, "upload");
    let body: Value = reply.json().await.expect("attachment");
    body["id"].as_i64().expect("attachment id")
}

/// Opens the SQLite database of a data folder.
pub async fn open_sqlite(data_dir: &Path) -> sea_orm::DatabaseConnection {
    sea_orm::Database::connect(format!(
        "sqlite://{}?mode=rw",
        data_dir.join("reglament.sqlite3").display()
    ))
    .await
    .expect("open the database")
}

/// The references of every ticket in a database.
pub async fn references(db: &sea_orm::DatabaseConnection) -> std::collections::HashSet<String> {
    use sea_orm::{ConnectionTrait, Statement};
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT reference FROM tickets",
    ))
    .await
    .expect("tickets")
    .into_iter()
    .map(|row| row.try_get_by_index::<String>(0).expect("reference"))
    .collect()
}
