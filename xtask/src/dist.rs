//! `cargo xtask dist`: one file to deploy. Builds the app into `dist/` (as `cargo xtask build`
//! does), then the release binary with those files embedded (the server's `embed-app` feature),
//! and copies it to `target/dist/reglament`, which serves the app with no `dist/` beside it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use base64::Engine;
use sha2::{Digest, Sha256};

/// Writes `target/dist/reglament`.
pub(crate) fn dist() -> Result<()> {
    super::build()?;
    build_embedded(&["--release"])?;
    let built = super::target_dir().join("release/reglament");
    let folder = super::target_dir().join("dist");
    std::fs::create_dir_all(&folder).context("cannot create target/dist")?;
    let shipped = folder.join("reglament");
    std::fs::copy(&built, &shipped)
        .with_context(|| format!("cannot copy {} to {}", built.display(), shipped.display()))?;
    let bytes = std::fs::metadata(&shipped)?.len();
    println!(
        "xtask: {} ({:.1} MB), the server with the app inside",
        shipped.display(),
        bytes as f64 / 1e6
    );
    Ok(())
}

/// `cargo build` of the server binary with the app of `dist/` inside.
fn build_embedded(profile: &[&str]) -> Result<()> {
    super::run(
        super::cargo()
            .args(["build", "--quiet"])
            .args(profile)
            .args([
                "-p",
                "server",
                "--bin",
                "reglament",
                "--features",
                "embed-app",
            ]),
    )
}

/// Builds the debug binary with the app inside, starts it from an empty folder with no
/// `--site-dir`, and checks that it serves the app of `dist` by itself: the page (for client
/// routes too), the script and the main module with their types and Brotli variants, and a
/// content security policy that allows the page's inline script by its hash. Returns the
/// number of checks that passed.
pub(crate) fn check_embedded_app(dist: &Path) -> Result<u64> {
    build_embedded(&[])?;
    let folder = std::env::temp_dir().join(format!("reglament-one-file-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder)?;
    let result = check_served(dist, &folder);
    let _ = std::fs::remove_dir_all(&folder);
    result
}

fn check_served(dist: &Path, folder: &Path) -> Result<u64> {
    let (_server, base_url) = super::listen(
        Command::new(super::reglament_bin())
            .args(["serve", "--bind", "127.0.0.1:0", "--data-dir", "data"])
            .env_remove("RG_SITE_DIR")
            .current_dir(folder),
    )?;
    let address = base_url
        .strip_prefix("http://")
        .context("the server's address is not http://")?
        .trim_end_matches('/');
    let index = std::fs::read(dist.join("index.html")).context("dist/index.html")?;
    let index_text = String::from_utf8_lossy(&index);
    let mut checks = 0;

    for path in ["/", "/tickets/RG-000001"] {
        let page = get(address, path, None)?;
        page.expect(200, "text/html", None)?;
        ensure!(page.body == index, "{path} does not answer dist/index.html");
        checks += 1;
    }
    let script = inline_script(&index_text).context("dist/index.html has no inline script")?;
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
    let policy = get(address, "/", None)?
        .header("content-security-policy")
        .unwrap_or_default();
    ensure!(
        policy.contains(&format!("'sha256-{hash}'")),
        "the content security policy does not allow the page's inline script \
         ('sha256-{hash}'): {policy}"
    );
    checks += 1;

    for (path, mime) in [
        ("/app.js", "javascript"),
        ("/app_bg.wasm", "application/wasm"),
    ] {
        let plain = std::fs::read(dist.join(&path[1..]))?;
        let brotli = std::fs::read(dist.join(format!("{}.br", &path[1..])))?;
        let answer = get(address, path, None)?;
        answer.expect(200, mime, None)?;
        ensure!(answer.body == plain, "{path} differs from dist{path}");
        let answer = get(address, path, Some("gzip, deflate, br"))?;
        answer.expect(200, mime, Some("br"))?;
        ensure!(
            answer.body == brotli,
            "{path} as br differs from dist{path}.br"
        );
        checks += 2;
    }
    Ok(checks)
}

/// The text of the first inline `<script>` of a page.
fn inline_script(html: &str) -> Option<&str> {
    html.split("<script").skip(1).find_map(|rest| {
        let (tag, rest) = rest.split_once('>')?;
        (!tag.contains("src=")).then(|| rest.split_once("</script>").map(|(script, _)| script))?
    })
}

struct Answer {
    path: String,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.clone())
    }

    fn expect(&self, status: u16, mime: &str, encoding: Option<&str>) -> Result<()> {
        let path = &self.path;
        ensure!(self.status == status, "{path}: status {}", self.status);
        let content_type = self.header("content-type").unwrap_or_default();
        ensure!(
            content_type.contains(mime),
            "{path}: content type {content_type:?}, not {mime}"
        );
        let coding = self.header("content-encoding");
        ensure!(
            coding.as_deref() == encoding,
            "{path}: content encoding {coding:?}, not {encoding:?}"
        );
        Ok(())
    }
}

/// One HTTP/1.0 GET (its answer is neither chunked nor kept alive), read to its end.
fn get(address: &str, path: &str, accept_encoding: Option<&str>) -> Result<Answer> {
    let mut stream = TcpStream::connect(address).with_context(|| format!("connect {address}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut request = format!("GET {path} HTTP/1.0\r\nHost: {address}\r\n");
    if let Some(coding) = accept_encoding {
        request.push_str(&format!("Accept-Encoding: {coding}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .with_context(|| format!("{path}: no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .with_context(|| format!("{path}: no status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let body = raw[split + 4..].to_vec();
    Ok(Answer {
        path: path.to_owned(),
        status,
        headers,
        body,
    })
}
