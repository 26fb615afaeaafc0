//! Command-line flags and environment variables, read once at start-up.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use std::ffi::OsString;

use anyhow::{Context, bail};
use clap::parser::ValueSource;
use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

/// Reglament: a helpdesk that enforces a support regulation.
#[derive(Debug, Parser)]
#[command(name = "reglament", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub options: Options,
    #[command(flatten)]
    pub operations: Operations,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options for running the product in production: the configuration file, logs, metrics and
/// the reverse proxy.
#[derive(Clone, Debug, Args)]
pub struct Operations {
    /// A TOML file with any of these options, keys named like the long flags (`bind`,
    /// `data-dir`, …); a flag or an environment variable wins over the file.
    #[arg(long, env = "RG_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// The format of the log on standard error: `text` for people, `json` for log collectors.
    #[arg(
        long,
        env = "RG_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,
    /// The address serving `GET /metrics` in the Prometheus text format; off if unset.
    #[arg(long, env = "RG_METRICS_BIND", global = true)]
    pub metrics_bind: Option<String>,
    /// The reverse proxies (comma-separated CIDRs) whose `X-Forwarded-For` names the client.
    #[arg(long, env = "RG_TRUSTED_PROXY", value_delimiter = ',', global = true)]
    pub trusted_proxy: Vec<String>,
    /// Whether `--site-dir` was given (by flag, variable or file) rather than defaulted.
    #[arg(skip)]
    pub site_dir_given: bool,
}

/// The log's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Cli {
    /// Reads the command line, the environment and the configuration file (`--config` /
    /// `RG_CONFIG`), in that order of precedence, over the defaults.
    ///
    /// # Errors
    /// A [`clap::Error`] for a bad command line (to be shown with its `exit`), or one line for
    /// an unreadable configuration file, a key it does not know, or a value of the wrong kind.
    pub fn load() -> anyhow::Result<Cli> {
        Cli::load_from(std::env::args_os())
    }

    /// [`Cli::load`] over the given arguments (the first is the program's name).
    ///
    /// # Errors
    /// As [`Cli::load`].
    pub fn load_from(args: impl IntoIterator<Item = OsString>) -> anyhow::Result<Cli> {
        let mut args: Vec<OsString> = args.into_iter().collect();
        let matches = Cli::command().try_get_matches_from(&args)?;
        let cli = Cli::from_arg_matches(&matches)?;
        let Some(path) = cli.operations.config.clone() else {
            return Ok(with_sources(cli, &matches));
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("--config / RG_CONFIG: cannot read {}", path.display()))?;
        let table: toml::Table = text
            .parse()
            .with_context(|| format!("--config: {} is not valid TOML", path.display()))?;
        let command = Cli::command();
        for (key, value) in &table {
            let arg = command
                .get_arguments()
                .find(|arg| arg.get_long() == Some(key.as_str()) && !arg.is_hide_set())
                .filter(|arg| !matches!(arg.get_id().as_str(), "config" | "help" | "version"));
            let Some(arg) = arg else {
                bail!("--config {}: unknown key `{key}`", path.display());
            };
            if matches!(
                matches.value_source(arg.get_id().as_str()),
                Some(ValueSource::CommandLine | ValueSource::EnvVariable)
            ) {
                continue;
            }
            let flag = matches!(arg.get_action(), ArgAction::SetTrue);
            let text = match value {
                toml::Value::Boolean(on) if flag => {
                    if *on {
                        args.push(format!("--{key}").into());
                    }
                    continue;
                }
                _ if flag => bail!("--config {}: `{key}` must be true or false", path.display()),
                toml::Value::String(text) => text.clone(),
                toml::Value::Integer(number) => number.to_string(),
                toml::Value::Array(items) => items
                    .iter()
                    .map(|item| match item {
                        toml::Value::String(text) => Ok(text.clone()),
                        _ => bail!("--config {}: `{key}` lists strings", path.display()),
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?
                    .join(","),
                _ => bail!(
                    "--config {}: `{key}` must be a string or a number",
                    path.display()
                ),
            };
            args.push(format!("--{key}={text}").into());
        }
        let matches = Cli::command()
            .try_get_matches_from(&args)
            .with_context(|| format!("--config {}", path.display()))?;
        let cli = Cli::from_arg_matches(&matches)?;
        Ok(with_sources(cli, &matches))
    }
}

fn with_sources(mut cli: Cli, matches: &clap::ArgMatches) -> Cli {
    cli.operations.site_dir_given = matches
        .value_source("site_dir")
        .is_some_and(|source| source != ValueSource::DefaultValue);
    cli
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Write a consistent backup of a running instance to one archive file: a copy of the
    /// SQLite database (PostgreSQL: see `pg_dump`), the attachments and the JWT secret.
    Backup {
        /// The archive to write (a tar file); it must not exist yet.
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup archive into an empty (or new) `--data-dir`.
    Restore {
        /// The archive written by `reglament backup`.
        #[arg(long)]
        from: PathBuf,
    },
    /// Seed the demo data into an empty database and exit.
    Demo,
    /// Read one raw RFC 822 message on standard input and ingest it as the mail gateway endpoint
    /// would (for an MTA pipe); prints the outcome as JSON. Safe beside a running server.
    IngestMail,
}

/// Options shared by every command; each has an environment variable as well.
#[derive(Clone, Debug, Args)]
pub struct Options {
    /// The address to listen on.
    #[arg(long, env = "RG_BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: String,
    /// The folder for the SQLite database, the JWT secret, attachments and outgoing mail.
    #[arg(long, env = "RG_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// The database: `sqlite://…` or `postgres://…`; default a SQLite file in the data folder.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// The folder with the built app (`cargo xtask build` writes `dist/`).
    #[arg(long, env = "RG_SITE_DIR", default_value = "dist", global = true)]
    pub site_dir: PathBuf,
    /// Seed demo data if the database is empty.
    #[arg(long, env = "RG_DEMO", global = true)]
    pub demo: bool,
    /// The secret that signs session tokens; generated and kept in the data folder if unset.
    #[arg(long, env = "RG_JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<String>,
    /// How long a session token is valid, in minutes.
    #[arg(long, env = "RG_SESSION_MINUTES", default_value_t = 720, global = true)]
    pub session_minutes: i64,
    /// The public address of the product, used in links in mail.
    #[arg(long, env = "RG_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// The token a mail gateway presents to `POST /api/inbound/email`.
    #[arg(long, env = "RG_INBOUND_TOKEN", hide_env_values = true, global = true)]
    pub inbound_token: Option<String>,
    /// SMTP server for outgoing mail (`smtp://user:pass@host:587`); mail goes to files if unset.
    #[arg(long, env = "RG_SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,
    /// The address outgoing mail comes from.
    #[arg(
        long,
        env = "RG_MAIL_FROM",
        default_value = "support@reglament.example",
        global = true
    )]
    pub mail_from: String,
    /// Days after which a resolved ticket nobody rated is closed.
    #[arg(long, env = "RG_AUTO_CLOSE_DAYS", default_value_t = 7, global = true)]
    pub auto_close_days: i64,
    /// Days after closing during which the customer may still reopen a ticket.
    #[arg(long, env = "RG_REOPEN_DAYS", default_value_t = 30, global = true)]
    pub reopen_days: i64,
    /// Seconds between background job runs.
    #[arg(
        long,
        env = "RG_JOB_INTERVAL_SECONDS",
        default_value_t = 15,
        global = true
    )]
    pub job_interval_seconds: u64,
    /// The authserv-id of the MTA in front of the mail gateway whose `Authentication-Results`
    /// header is believed: a staff address's `dkim=pass` or `spf=pass` there lets the mail act
    /// as that staff member. Without it only a DKIM signature the server verifies itself counts.
    #[arg(long, env = "RG_TRUSTED_AUTHSERV_ID", global = true)]
    pub trusted_authserv_id: Option<String>,
    /// The attachment storage each organisation may use, in MiB.
    #[arg(
        long,
        env = "RG_STORAGE_QUOTA_MB",
        default_value_t = 5120,
        global = true
    )]
    pub storage_quota_mb: u64,
    /// Seconds before a failed webhook delivery is tried again; each later retry waits twice
    /// as long, up to a day.
    #[arg(
        long,
        env = "RG_WEBHOOK_RETRY_SECONDS",
        default_value_t = 60,
        global = true
    )]
    pub webhook_retry_seconds: u64,
}

/// The validated configuration the server runs with.
#[derive(Clone, Debug)]
pub struct Config {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub site_dir: PathBuf,
    pub demo: bool,
    pub jwt_secret: Vec<u8>,
    pub session_minutes: i64,
    pub public_url: String,
    pub inbound_token: Option<String>,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub auto_close_days: i64,
    pub reopen_days: i64,
    pub job_interval_seconds: u64,
    /// The reverse proxies trusted to name the client in `X-Forwarded-For`.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Serve the app built into the binary rather than `site_dir`.
    pub embedded_app: bool,
    pub trusted_authserv_id: Option<String>,
    /// The attachment storage each organisation may use, in bytes.
    pub storage_quota_bytes: u64,
    /// The delay before a failed webhook delivery's first retry.
    pub webhook_retry: std::time::Duration,
}

impl Config {
    /// Applies the [`Operations`] options that shape the served application.
    ///
    /// # Errors
    /// A malformed CIDR in `--trusted-proxy`, named.
    pub fn with_operations(mut self, operations: &Operations) -> anyhow::Result<Config> {
        self.trusted_proxies = operations
            .trusted_proxy
            .iter()
            .map(|text| text.trim())
            .filter(|text| !text.is_empty())
            .map(|text| {
                text.parse::<ipnet::IpNet>()
                    .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .with_context(|| {
                        format!("--trusted-proxy / RG_TRUSTED_PROXY: {text:?} is not a CIDR such as 10.0.0.0/8")
                    })
            })
            .collect::<anyhow::Result<_>>()?;
        self.embedded_app = crate::site::EMBEDDED && !operations.site_dir_given;
        Ok(self)
    }

    /// Validates the options, creates the data folder and loads or creates the JWT secret.
    ///
    /// # Errors
    /// A malformed address, an unwritable data folder or a too short secret, each named.
    pub fn load(options: &Options) -> anyhow::Result<Config> {
        let bind: SocketAddr = options.bind.parse().with_context(|| {
            format!(
                "--bind / RG_BIND: {:?} is not an address such as 127.0.0.1:8080",
                options.bind
            )
        })?;
        std::fs::create_dir_all(&options.data_dir).with_context(|| {
            format!(
                "--data-dir / RG_DATA_DIR: cannot create {}",
                options.data_dir.display()
            )
        })?;
        crate::security::restrict_folder(&options.data_dir).with_context(|| {
            format!(
                "--data-dir / RG_DATA_DIR: cannot make {} private",
                options.data_dir.display()
            )
        })?;
        check_writable(&options.data_dir)?;
        let database_url = match &options.database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                url.clone()
            }
            Some(url) if url.starts_with("sqlite:") => url.clone(),
            Some(url) => bail!("DATABASE_URL: {url:?} is neither sqlite:… nor postgres://…"),
            None => format!(
                "sqlite://{}?mode=rwc",
                options.data_dir.join("reglament.sqlite3").display()
            ),
        };
        crate::security::private_sqlite_file(&database_url)
            .with_context(|| format!("DATABASE_URL: cannot make {database_url} private"))?;
        let jwt_secret = match &options.jwt_secret {
            Some(secret) if secret.len() < 32 => {
                bail!("RG_JWT_SECRET: the secret must be at least 32 characters long")
            }
            Some(secret) => secret.as_bytes().to_vec(),
            None => load_or_create_secret(&options.data_dir.join("jwt-secret"))?,
        };
        if options.session_minutes <= 0 {
            bail!("RG_SESSION_MINUTES: must be a positive number of minutes");
        }
        if options.webhook_retry_seconds == 0 {
            bail!("RG_WEBHOOK_RETRY_SECONDS: must be at least 1");
        }
        if options.job_interval_seconds == 0 {
            bail!("RG_JOB_INTERVAL_SECONDS: must be at least 1");
        }
        let public_url = options
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_owned();
        Ok(Config {
            bind,
            data_dir: options.data_dir.clone(),
            database_url,
            site_dir: options.site_dir.clone(),
            demo: options.demo,
            jwt_secret,
            session_minutes: options.session_minutes,
            public_url,
            inbound_token: options.inbound_token.clone(),
            smtp_url: options.smtp_url.clone(),
            mail_from: options.mail_from.clone(),
            auto_close_days: options.auto_close_days,
            reopen_days: options.reopen_days,
            job_interval_seconds: options.job_interval_seconds,
            trusted_proxies: Vec::new(),
            embedded_app: false,
            trusted_authserv_id: options
                .trusted_authserv_id
                .as_deref()
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(str::to_lowercase),
            storage_quota_bytes: options.storage_quota_mb.saturating_mul(1024 * 1024),
            webhook_retry: std::time::Duration::from_secs(options.webhook_retry_seconds),
        })
    }

    /// Whether the database is PostgreSQL (several instances may share it).
    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }
}

fn check_writable(dir: &Path) -> anyhow::Result<()> {
    let probe = dir.join(".write-test");
    std::fs::write(&probe, b"ok").with_context(|| {
        format!(
            "--data-dir / RG_DATA_DIR: {} is not writable",
            dir.display()
        )
    })?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

fn load_or_create_secret(path: &Path) -> anyhow::Result<Vec<u8>> {
    if let Ok(secret) = std::fs::read_to_string(path) {
        let secret = secret.trim();
        if secret.len() >= 32 {
            return Ok(secret.as_bytes().to_vec());
        }
    }
    let bytes: [u8; 32] = rand::random();
    let secret = hex::encode(bytes);
    write_private(path, secret.as_bytes())
        .with_context(|| format!("cannot keep the JWT secret in {}", path.display()))?;
    Ok(secret.into_bytes())
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents)
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, contents)
}
