//! `cargo xtask build | serve | test`: build the WASM app into `dist/`, run the product with demo
//! data, and run every test layer (unit, integration on SQLite and PostgreSQL, browser, the API
//! against its OpenAPI document).
//!
//! Cargo alone cannot bind a WASM app or drive a browser, so this small program does, using only
//! what the registries provide: `wasm-bindgen-cli-support` as a library and `wasm-opt` and
//! Playwright from `end2end/node_modules`.

mod build;
mod contract;
mod dist;

use build::build;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => build().map(drop),
        Some("dist") => dist::dist(),
        Some("serve") => serve(&args[1..]),
        Some("test") => test(),
        _ => {
            eprintln!("usage: cargo xtask build | serve [reglament options] | test");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// A `cargo` command whose environment does not carry this process's package variables: if it
/// did, build scripts (ring's) would see them change and rebuild half the tree every time.
fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    for (key, _) in std::env::vars() {
        if key.starts_with("CARGO_PKG_")
            || matches!(
                key.as_str(),
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
            )
        {
            command.env_remove(key);
        }
    }
    command.current_dir(root());
    command
}

fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("cannot start {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed with {status}");
    }
    Ok(())
}

/// Cargo's target folder: `CARGO_TARGET_DIR` when set, else `target/` in the workspace.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

fn reglament_bin() -> PathBuf {
    target_dir().join("debug/reglament")
}

fn end2end() -> PathBuf {
    root().join("end2end")
}

/// `npm ci` in `end2end/` when its packages are missing or older than the lock file.
fn npm_ci() -> Result<()> {
    let dir = end2end();
    let stamp = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (stamp.metadata(), lock.metadata()) {
        (Ok(stamp), Ok(lock)) => stamp.modified()? >= lock.modified()?,
        _ => false,
    };
    if !fresh {
        println!("xtask: npm ci in end2end/");
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(&dir))?;
    }
    Ok(())
}

/// Builds everything and runs the server with demo data on the default address.
fn serve(extra: &[String]) -> Result<()> {
    build()?;
    let mut command = cargo();
    command
        .args(["run", "--bin", "reglament", "--", "serve", "--demo"])
        .args(extra);
    run(&mut command)
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs every layer and prints one closing line: `xtask: N passed, M failed`.
fn test() -> Result<()> {
    let started = Instant::now();
    npm_ci()?;
    let (mut passed, mut failed) = (0u64, 0u64);

    // Unit, property and integration tests (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
    // then the app's own unit tests (its pure helpers, compiled for this machine: the app is not
    // a default member) and this program's.
    for args in [
        &["test"][..],
        &["test", "-p", "app", "--lib"][..],
        &["test", "-p", "xtask"][..],
    ] {
        let output = cargo()
            .args(args)
            .stderr(Stdio::inherit())
            .output()
            .with_context(|| format!("cannot run cargo {}", args.join(" ")))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        print!("{stdout}");
        let mut reported = 0;
        for line in stdout.lines() {
            if let Some((p, f)) = parse_cargo_result(line) {
                passed += p;
                failed += f;
                reported += f;
            }
        }
        if !output.status.success() && reported == 0 {
            failed += 1;
            eprintln!(
                "xtask: cargo {} failed before reporting its results",
                args.join(" ")
            );
        }
    }

    // The browser layer runs against the exact bundle that ships and the real binary; its load
    // budget (end2end/tests/load-budget.spec.ts) is one of its specs, so a screen whose code is
    // over budget fails the run like any other test.
    let dist = build()?;
    // The binary as `cargo test` builds it for the integration tests: a plain `cargo build`
    // unifies other features (no dev-dependencies) and would compile the dependencies again.
    run(cargo().args(["test", "--no-run", "--quiet"]))?;
    let data_dir = std::env::temp_dir().join(format!("reglament-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    let (server, base_url) = start_server(&dist, &data_dir)?;
    println!("xtask: browser tests against {base_url}");
    let report = end2end().join("test-results/report.json");
    let _ = std::fs::remove_file(&report);
    let status = Command::new(end2end().join("node_modules/.bin/playwright"))
        .arg("test")
        .current_dir(end2end())
        .env("BASE_URL", &base_url)
        .env("REGLAMENT_BIN", reglament_bin())
        .env("REGLAMENT_SITE_DIR", &dist)
        .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &report)
        .status()
        .context("cannot run playwright")?;
    drop(server);
    let _ = std::fs::remove_dir_all(&data_dir);
    // The API against its OpenAPI document, as an admin and as a customer (schemathesis).
    let (p, f) = contract::run(&dist);
    passed += p;
    failed += f;
    let embedded = dist::check_embedded_app(&dist);
    match std::fs::read_to_string(&report) {
        Ok(json) => {
            let (p, f) = parse_playwright_stats(&json);
            passed += p;
            failed += f;
            if !status.success() && f == 0 {
                failed += 1;
            }
        }
        Err(_) => {
            eprintln!("xtask: playwright wrote no report");
            failed += 1;
        }
    }
    match embedded {
        Ok(checks) => {
            println!("xtask: the one-file binary passed {checks} checks");
            passed += checks;
        }
        Err(error) => {
            eprintln!("xtask: the one-file binary: {error:#}");
            failed += 1;
        }
    }
    println!(
        "xtask: all layers ran in {:.0}s",
        started.elapsed().as_secs_f64()
    );
    println!("xtask: {passed} passed, {failed} failed");
    if failed > 0 {
        bail!("{failed} test(s) failed");
    }
    Ok(())
}

fn start_server(dist: &Path, data_dir: &Path) -> Result<(Server, String)> {
    listen(
        Command::new(reglament_bin())
            .args(["serve", "--bind", "127.0.0.1:0", "--demo"])
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--site-dir")
            .arg(dist)
            .env("RG_JOB_INTERVAL_SECONDS", "1"),
    )
}

/// Starts `reglament serve` as `command` describes it (on SQLite, whatever `DATABASE_URL` says)
/// and returns it with the base URL it prints once it listens.
fn listen(command: &mut Command) -> Result<(Server, String)> {
    let mut child = command
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("cannot start reglament")?;
    let stdout = child.stdout.take().context("no stdout")?;
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let first = lines
        .next()
        .context("reglament exited before printing its address")??;
    let url = first
        .strip_prefix("reglament: listening on ")
        .with_context(|| format!("unexpected first line from reglament: {first}"))?
        .trim()
        .to_owned();
    // Keep draining the server's output so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
    Ok((server, url))
}

/// `test result: ok. 12 passed; 0 failed; 0 ignored; ...` → (12, 0).
fn parse_cargo_result(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let number_before = |word: &str| -> Option<u64> {
        let index = rest.find(word)?;
        rest[..index].split_whitespace().last()?.parse().ok()
    };
    Some((number_before(" passed")?, number_before(" failed")?))
}

/// Playwright's JSON reporter: `stats.expected` passed, `unexpected` failed, `flaky` passed on retry.
fn parse_playwright_stats(json: &str) -> (u64, u64) {
    let number = |key: &str| -> u64 {
        let Some(stats) = json.find("\"stats\"") else {
            return 0;
        };
        let tail = &json[stats..];
        let Some(at) = tail.find(&format!("\"{key}\":")) else {
            return 0;
        };
        tail[at + key.len() + 3..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(0)
    };
    (number("expected") + number("flaky"), number("unexpected"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_and_playwright_summaries() {
        assert_eq!(
            parse_cargo_result("test result: ok. 12 passed; 3 failed; 0 ignored; 0 measured"),
            Some((12, 3))
        );
        assert_eq!(parse_cargo_result("running 3 tests"), None);
        let json = r#"{"config":{},"stats":{"startTime":"x","duration":1.5,"expected":4,"skipped":0,"unexpected":1,"flaky":2}}"#;
        assert_eq!(parse_playwright_stats(json), (6, 1));
    }
}
