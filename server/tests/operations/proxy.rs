//! The shipped nginx site (`deploy/nginx-reglament.conf`) in front of the real server, with Debian's
//! nginx and a certificate made here: the app over https, live events through the proxy within a
//! second, and the client address from `X-Forwarded-For` of the trusted proxy only.

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::{Server, create_ticket, login, temp_dir};

/// A running nginx (one process: `master_process off`), stopped when dropped.
struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn nginx_binary() -> PathBuf {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .map(PathBuf::from)
        .find(|path| path.exists())
        .expect("nginx is installed (Debian package `nginx`; .ci/run installs it)")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port()
}

/// The shipped site with its ports, certificate and upstream replaced for this test.
fn site(cert: &Path, key: &Path, http: u16, https: u16, upstream: &str) -> String {
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/nginx-reglament.conf"),
    )
    .expect("deploy/nginx-reglament.conf");
    let mut site = shipped;
    for (from, to) in [
        ("listen 80;", format!("listen 127.0.0.1:{http};")),
        (
            "listen 443 ssl http2;",
            format!("listen 127.0.0.1:{https} ssl http2;"),
        ),
        (
            "/etc/letsencrypt/live/help.example.com/fullchain.pem",
            cert.display().to_string(),
        ),
        (
            "/etc/letsencrypt/live/help.example.com/privkey.pem",
            key.display().to_string(),
        ),
        ("server 127.0.0.1:8080;", format!("server {upstream};")),
    ] {
        assert!(site.contains(from), "the shipped site has `{from}`");
        site = site.replace(from, &to);
    }
    site
}

fn start_nginx(dir: &Path, site: &str, https: u16) -> Nginx {
    for folder in ["temp", "logs"] {
        std::fs::create_dir_all(dir.join(folder)).expect("nginx folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join("temp"), std::fs::Permissions::from_mode(0o777))
            .expect("temp folder for nginx's workers");
    }
    std::fs::write(dir.join("site.conf"), site).expect("site");
    let d = dir.display();
    std::fs::write(
        dir.join("nginx.conf"),
        format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/logs/error.log warn;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {d}/temp/body;\n  proxy_temp_path {d}/temp/proxy;\n\
             fastcgi_temp_path {d}/temp/fastcgi;\n  uwsgi_temp_path {d}/temp/uwsgi;\n  scgi_temp_path {d}/temp/scgi;\n\
             include {d}/site.conf;\n}}\n"
        ),
    )
    .expect("nginx.conf");
    let child = Command::new(nginx_binary())
        .arg("-p")
        .arg(dir)
        .arg("-e")
        .arg(dir.join("logs/error.log"))
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .stdin(Stdio::null())
        .spawn()
        .expect("start nginx");
    let nginx = Nginx(child);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", https)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "nginx listens: {}",
            std::fs::read_to_string(dir.join("logs/error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    nginx
}

/// `curl` over https through nginx, from the local address `from`: (status, body).
fn curl(cert: &Path, from: &str, args: &[&str]) -> (u16, String) {
    let output = Command::new("curl")
        .args(["-sS", "--http1.1", "--interface", from, "--cacert"])
        .arg(cert)
        .args(["-w", "\n%{http_code}"])
        .args(args)
        .output()
        .expect("curl is installed");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let (body, status) = text.rsplit_once('\n').expect("status line");
    (status.trim().parse().expect("status"), body.to_owned())
}

fn failed_login(cert: &Path, from: &str, base: &str, n: usize) -> u16 {
    let body = json!({"email": format!("nobody{n}@example.com"), "password": "wrong"}).to_string();
    curl(
        cert,
        from,
        &[
            "-H",
            "content-type: application/json",
            "--data",
            &body,
            &format!("{base}/api/auth/login"),
        ],
    )
    .0
}

#[tokio::test(flavor = "multi_thread")]
async fn the_shipped_nginx_site_serves_the_app_events_and_client_addresses() {
    let dir = temp_dir("proxy");
    let data = dir.join("data");
    std::fs::create_dir_all(data.join("site")).expect("site folder");
    std::fs::write(
        data.join("site/index.html"),
        "<!doctype html><title>Reglament</title>",
    )
    .expect("index.html");
    let server = Server::start(&data, &["--trusted-proxy", "127.0.0.1/32"], &[]);
    let upstream = server.url.trim_start_matches("http://").to_owned();

    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args([
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .expect("openssl");
    assert!(made.success(), "a self-signed certificate");
    let (http_port, https_port) = (free_port(), free_port());
    let _nginx = start_nginx(
        &dir.join("nginx"),
        &site(&cert, &key, http_port, https_port, &upstream),
        https_port,
    );
    let base = format!("https://127.0.0.1:{https_port}");

    // The app over https; plain http is sent there.
    let (status, body) = curl(&cert, "127.0.0.1", &[&format!("{base}/tickets/RG-1")]);
    assert_eq!(status, 200);
    assert!(body.contains("<title>Reglament</title>"), "{body}");
    let (status, _) = curl(
        &cert,
        "127.0.0.1",
        &[&format!("http://127.0.0.1:{http_port}/")],
    );
    assert_eq!(status, 301);

    // An event reaches a stream through the proxy within a second of the write's answer.
    let http = reqwest::Client::new();
    let agent = login(&http, &server.url, "agent@demo.example").await;
    let customer = login(&http, &server.url, "customer@demo.example").await;
    let mut stream = Command::new("curl")
        .args(["-sS", "-N", "--http1.1", "--cacert"])
        .arg(&cert)
        .args(["-H", &format!("authorization: Bearer {agent}")])
        .arg(format!("{base}/api/events"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("curl");
    let stdout = stream.stdout.take().expect("stdout");
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines.send((Instant::now(), line)).is_err() {
                break;
            }
        }
    });
    // The stream has started once its first comment arrives.
    let (_, first) = received
        .recv_timeout(Duration::from_secs(5))
        .expect("stream opens");
    assert!(first.starts_with(':'), "{first}");
    let reference = create_ticket(&http, &server.url, &customer, "Through the proxy")
        .await
        .expect("ticket");
    let acknowledged = Instant::now();
    let arrived = loop {
        let (at, line) = received
            .recv_timeout(Duration::from_secs(2))
            .expect("the event arrives");
        if line.starts_with("data:") && line.contains(&reference) {
            break at;
        }
    };
    let _ = stream.kill();
    let _ = stream.wait();
    let latency = arrived.saturating_duration_since(acknowledged);
    println!("event through nginx: {:.1} ms", latency.as_secs_f64() * 1e3);
    assert!(latency < Duration::from_secs(1), "{latency:?}");

    // Through the proxy, each client has its own count of sign-in attempts (60 an address).
    let mut limited = false;
    for n in 0..61 {
        if failed_login(&cert, "127.0.0.2", &base, n) == 429 {
            limited = true;
            break;
        }
    }
    assert!(limited, "61 failed sign-ins from 127.0.0.2 are limited");
    assert_eq!(
        failed_login(&cert, "127.0.0.3", &base, 100),
        401,
        "another client behind the same proxy is not"
    );

    // A client that is not the trusted proxy cannot name another address.
    let direct = reqwest::Client::builder()
        .local_address(IpAddr::from([127, 0, 0, 4]))
        .build()
        .expect("client");
    let mut statuses = Vec::new();
    for n in 0..61 {
        let reply = direct
            .post(format!("{}/api/auth/login", server.url))
            .header("x-forwarded-for", format!("198.51.100.{}", n + 1))
            .json(&json!({"email": format!("spoof{n}@example.com"), "password": "wrong"}))
            .send()
            .await
            .expect("login");
        statuses.push(reply.status().as_u16());
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}
