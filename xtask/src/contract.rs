//! The API against its own OpenAPI document: schemathesis (PyPI, `pip install schemathesis`)
//! generates requests from `GET /api/openapi.json` and checks every answer against it, on a
//! fresh demo server per role, signed in as an admin and as a customer.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// Test cases per operation and phase: enough to reach every documented answer, small enough
/// that both roles finish in about two minutes.
const MAX_EXAMPLES: &str = "8";

/// Operations left out because they end the session the run signs in with or lock the account
/// out (a changed password, a deactivated or reset account, settings that demand a second
/// factor): `operation_id`s.
const EXCLUDED: &[&str] = &[
    "delete_session",
    "delete_my_session",
    "end_all_sessions",
    "change_password",
    "update_settings",
    "deactivate_user",
    "reset_user_password",
    // Its body is a raw RFC 822 message, which schemathesis cannot generate, and the demo
    // server has no gateway token (the endpoint answers 404); server/tests/api/inbound.rs
    // covers it.
    "create_inbound_email",
    // A live stream that never ends by itself: each request would wait for the client's
    // timeout. server/tests/api (live events) drives it.
    "stream_events",
];

/// The demo accounts the runs sign in as (password `demo`).
const ROLES: &[(&str, &str)] = &[
    ("admin", "admin@demo.example"),
    ("customer", "customer@demo.example"),
];

/// One role's run: operations tested, and of them those with server errors and those with
/// other failures (an answer the document does not describe).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub operations: u64,
    pub server_errors: u64,
    pub conformance: u64,
}

/// Runs schemathesis for every role; returns (passed, failed) operations over all roles.
pub fn run(dist: &Path) -> (u64, u64) {
    let (mut passed, mut failed) = (0, 0);
    for &(role, email) in ROLES {
        let started = Instant::now();
        match run_role(dist, role, email) {
            Ok(outcome) => {
                let bad = outcome.server_errors + outcome.conformance;
                println!(
                    "xtask: schemathesis as {role}: {} operations, {} server errors, {} conformance \
                     failures ({:.0}s)",
                    outcome.operations,
                    outcome.server_errors,
                    outcome.conformance,
                    started.elapsed().as_secs_f64()
                );
                passed += outcome.operations.saturating_sub(bad);
                failed += bad;
            }
            Err(error) => {
                eprintln!("xtask: schemathesis as {role}: {error:#}");
                failed += 1;
            }
        }
    }
    (passed, failed)
}

fn run_role(dist: &Path, role: &str, email: &str) -> Result<Outcome> {
    let data_dir = std::env::temp_dir().join(format!(
        "reglament-schemathesis-{role}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&data_dir);
    let (server, base_url) = crate::start_server(dist, &data_dir)?;
    let token = sign_in(&base_url, email)?;
    let junit = data_dir.join("schemathesis-junit.xml");
    let mut command = Command::new("schemathesis");
    command
        .arg("--config-file")
        .arg(crate::root().join("xtask/schemathesis.toml"))
        .arg("run")
        .arg(format!("{base_url}/api/openapi.json"))
        .args(["--url", &base_url])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(["--max-examples", MAX_EXAMPLES])
        .args(["--phases", "examples,coverage,fuzzing"])
        .args(["--seed", "21"])
        .args(["--workers", "2"])
        .args(["--report", "junit", "--report-junit-path"])
        .arg(&junit)
        .args(["--no-color", "--output-truncate", "true"]);
    for id in EXCLUDED {
        command.args(["--exclude-operation-id", id]);
    }
    let status = command
        .status()
        .context("cannot run schemathesis (pip install schemathesis)")?;
    drop(server);
    let report = std::fs::read_to_string(&junit)
        .with_context(|| format!("schemathesis ({status}) wrote no report"));
    let _ = std::fs::remove_dir_all(&data_dir);
    let outcome = parse_junit(&report?);
    if outcome.operations == 0 {
        bail!("schemathesis tested no operation");
    }
    Ok(outcome)
}

/// The session token of a demo account, through `POST /api/auth/login` (with curl).
fn sign_in(base_url: &str, email: &str) -> Result<String> {
    let output = Command::new("curl")
        .args(["-sS", "--fail-with-body", "-X", "POST"])
        .args(["-H", "Content-Type: application/json"])
        .args([
            "--data",
            &format!(r#"{{"email":"{email}","password":"demo"}}"#),
        ])
        .arg(format!("{base_url}/api/auth/login"))
        .output()
        .context("cannot run curl")?;
    let body = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("signing in as {email} failed: {body}");
    }
    let start = body
        .find("\"token\":\"")
        .context("no token in the sign-in answer")?
        + 9;
    let end = body[start..].find('"').context("an unterminated token")? + start;
    Ok(body[start..end].to_owned())
}

/// Reads schemathesis' JUnit report: one `<testcase>` per operation, with a `<failure>` or an
/// `<error>` for each failed check, whose message holds the failure codes; `ST101` (or the words
/// "Server error") marks a 5xx answer.
pub fn parse_junit(xml: &str) -> Outcome {
    let mut outcome = Outcome::default();
    for case in xml.split("<testcase").skip(1) {
        let case = case.split("</testcase>").next().unwrap_or(case);
        outcome.operations += 1;
        if !(case.contains("<failure") || case.contains("<error")) {
            continue;
        }
        if case.contains("ST101") || case.contains("Server error") {
            outcome.server_errors += 1;
        } else {
            outcome.conformance += 1;
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_operations_server_errors_and_other_failures() {
        let xml = r#"<testsuites><testsuite name="schemathesis" tests="3">
            <testcase name="GET /api/health"></testcase>
            <testcase name="POST /api/tickets"><failure type="failure" message="ST101">1. Server error</failure></testcase>
            <testcase name="GET /api/me"><failure type="failure" message="ST108">Response violates schema</failure></testcase>
            <testcase name="GET /api/staff"/>
        </testsuite></testsuites>"#;
        assert_eq!(
            parse_junit(xml),
            Outcome {
                operations: 4,
                server_errors: 1,
                conformance: 1
            }
        );
    }
}
