//! `--config FILE` / `RG_CONFIG`: every option in TOML; a flag beats the environment, which
//! beats the file, which beats the default; an unknown key stops the binary.

use std::ffi::OsString;

use clap::CommandFactory;
use server::config::{Cli, LogFormat};

use crate::support::{binary, temp_dir};

/// Every option the binary takes, as a configuration file writes it.
const EVERY_OPTION: &str = r#"
bind = "127.0.0.1:9191"
data-dir = "/srv/reglament"
database-url = "postgres://reglament@db/reglament"
site-dir = "/opt/reglament/site"
demo = true
jwt-secret = "a-secret-of-at-least-thirty-two-characters"
session-minutes = 90
public-url = "https://help.example.com"
inbound-token = "gateway-token"
smtp-url = "smtp://mail.example.com:587"
mail-from = "help@example.com"
auto-close-days = 5
reopen-days = 14
job-interval-seconds = 30
log-format = "json"
metrics-bind = "127.0.0.1:9100"
trusted-proxy = ["10.0.0.0/8", "192.168.1.1"]
trusted-authserv-id = "mx.example.com"
storage-quota-mb = 2048
webhook-retry-seconds = 5
"#;

fn load(file: &std::path::Path, extra: &[&str]) -> anyhow::Result<Cli> {
    let mut args: Vec<OsString> = vec!["reglament".into(), "--config".into(), file.into()];
    args.extend(extra.iter().map(OsString::from));
    Cli::load_from(args)
}

#[test]
fn a_config_file_sets_every_option_and_a_flag_wins_over_it() {
    let dir = temp_dir("config-every");
    let file = dir.join("reglament.toml");
    std::fs::write(&file, EVERY_OPTION).expect("config file");

    // The file names every long option of the binary (a new option needs a line here).
    let table: toml::Table = EVERY_OPTION.parse().expect("toml");
    for arg in Cli::command().get_arguments() {
        let Some(long) = arg.get_long() else { continue };
        if matches!(long, "config" | "help" | "version") {
            continue;
        }
        assert!(table.contains_key(long), "the test's file lacks `{long}`");
    }

    let cli = load(&file, &[]).expect("the file is read");
    let options = &cli.options;
    assert_eq!(options.bind, "127.0.0.1:9191");
    assert_eq!(options.data_dir, std::path::Path::new("/srv/reglament"));
    assert_eq!(
        options.database_url.as_deref(),
        Some("postgres://reglament@db/reglament")
    );
    assert_eq!(
        options.site_dir,
        std::path::Path::new("/opt/reglament/site")
    );
    assert!(options.demo);
    assert_eq!(
        options.jwt_secret.as_deref(),
        Some("a-secret-of-at-least-thirty-two-characters")
    );
    assert_eq!(options.session_minutes, 90);
    assert_eq!(
        options.public_url.as_deref(),
        Some("https://help.example.com")
    );
    assert_eq!(options.inbound_token.as_deref(), Some("gateway-token"));
    assert_eq!(
        options.smtp_url.as_deref(),
        Some("smtp://mail.example.com:587")
    );
    assert_eq!(options.mail_from, "help@example.com");
    assert_eq!(options.auto_close_days, 5);
    assert_eq!(options.reopen_days, 14);
    assert_eq!(options.job_interval_seconds, 30);
    assert_eq!(
        options.trusted_authserv_id.as_deref(),
        Some("mx.example.com")
    );
    assert_eq!(options.storage_quota_mb, 2048);
    assert_eq!(options.webhook_retry_seconds, 5);
    assert_eq!(cli.operations.log_format, LogFormat::Json);
    assert_eq!(
        cli.operations.metrics_bind.as_deref(),
        Some("127.0.0.1:9100")
    );
    assert_eq!(cli.operations.trusted_proxy, ["10.0.0.0/8", "192.168.1.1"]);
    assert!(cli.operations.site_dir_given);

    let cli = load(
        &file,
        &["--bind", "0.0.0.0:80", "migrate", "--reopen-days=3"],
    )
    .expect("flags beside the file");
    assert_eq!(cli.options.bind, "0.0.0.0:80");
    assert_eq!(cli.options.reopen_days, 3);
    assert_eq!(
        cli.options.auto_close_days, 5,
        "the file still sets the rest"
    );
    assert!(matches!(
        cli.command,
        Some(server::config::Command::Migrate)
    ));

    // Without a file, the defaults.
    let cli = Cli::load_from(["reglament"].map(OsString::from)).expect("defaults");
    assert_eq!(cli.options.bind, "127.0.0.1:8080");
    assert_eq!(cli.operations.log_format, LogFormat::Text);
    assert!(!cli.operations.site_dir_given);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_wrong_value_in_the_config_file_is_named() {
    let dir = temp_dir("config-wrong");
    let file = dir.join("reglament.toml");
    std::fs::write(&file, "demo = \"yes\"\n").expect("config file");
    let error = load(&file, &[]).expect_err("a string for a switch");
    assert!(
        format!("{error:#}").contains("`demo` must be true or false"),
        "{error:#}"
    );
    std::fs::write(&file, "session-minutes = \"many\"\n").expect("config file");
    let error = load(&file, &[]).expect_err("not a number");
    assert!(
        format!("{error:#}").contains("session-minutes"),
        "{error:#}"
    );
    std::fs::write(&file, "bind = \n").expect("config file");
    let error = load(&file, &[]).expect_err("not TOML");
    assert!(
        format!("{error:#}").contains("is not valid TOML"),
        "{error:#}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_unknown_key_stops_the_binary_with_a_line_naming_it() {
    let dir = temp_dir("config-unknown");
    let file = dir.join("reglament.toml");
    std::fs::write(&file, "bind = \"127.0.0.1:0\"\ndata_dir = \"./data\"\n").expect("config file");
    let output = binary()
        .arg("--config")
        .arg(&file)
        .arg("migrate")
        .output()
        .expect("run reglament");
    assert!(!output.status.success(), "an unknown key is an error");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .lines()
            .any(|line| line.contains("unknown key `data_dir`")),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_flag_beats_the_environment_which_beats_the_file() {
    let dir = temp_dir("config-precedence");
    let (from_file, from_env, from_flag) = (dir.join("file"), dir.join("env"), dir.join("flag"));
    let file = dir.join("reglament.toml");
    std::fs::write(
        &file,
        format!("data-dir = {:?}\n", from_file.display().to_string()),
    )
    .expect("config file");
    let migrate = |env: bool, flag: bool| {
        let mut command = binary();
        command.env("RG_CONFIG", &file);
        if env {
            command.env("RG_DATA_DIR", &from_env);
        }
        if flag {
            command.arg("--data-dir").arg(&from_flag);
        }
        let output = command.arg("migrate").output().expect("run reglament");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let database = |dir: &std::path::Path| dir.join("reglament.sqlite3").exists();

    migrate(false, false);
    assert!(database(&from_file), "the file's data folder");
    migrate(true, false);
    assert!(database(&from_env), "the environment beats the file");
    migrate(true, true);
    assert!(database(&from_flag), "the flag beats the environment");
    let _ = std::fs::remove_dir_all(dir);
}
