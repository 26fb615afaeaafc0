//! `spawn_app()`: a fresh database with the demo data, the router, and request helpers.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use server::config::{Config, Options};
use server::state::AppState;
use tower::ServiceExt;

static COUNTER: AtomicU64 = AtomicU64::new(0);

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    dir: std::path::PathBuf,
    /// (server URL, database name) to drop after the test.
    postgres: Option<(String, String)>,
}

fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        nanos % 1_000_000_000
    )
}

/// Creates a fresh PostgreSQL database under `TEST_DATABASE_URL`: (its URL, the base URL, its
/// name). `None` outside CI without `TEST_DATABASE_URL`; with `CI` set and no URL, it panics, so
/// the PostgreSQL layer never skips itself green.
pub async fn create_postgres_database(name: &str) -> Option<(String, String, String)> {
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but TEST_DATABASE_URL is not: the PostgreSQL layer cannot run"
        );
        return None;
    };
    let database = format!("rg_test_{name}");
    let admin = sea_orm::Database::connect(&base)
        .await
        .expect("connect to TEST_DATABASE_URL");
    use sea_orm::ConnectionTrait;
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{database}\""))
        .await
        .expect("create the test database");
    let _ = admin.close().await;
    let url = match base.rfind('/') {
        Some(slash)
            if base[..slash].contains("://") && base[..slash].ends_with(|c: char| c != '/') =>
        {
            format!("{}/{database}", &base[..slash])
        }
        _ => format!("{}/{database}", base.trim_end_matches('/')),
    };
    Some((url, base, database))
}

/// Drops a database made by [`create_postgres_database`] (from synchronous code such as `Drop`).
pub fn drop_postgres_database(
    base: String,
    database: String,
    db: Option<sea_orm::DatabaseConnection>,
) {
    let _ = std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async move {
            if let Some(db) = db {
                let _ = db.close().await;
            }
            if let Ok(admin) = sea_orm::Database::connect(&base).await {
                use sea_orm::ConnectionTrait;
                let _ = admin
                    .execute_unprepared(&format!(
                        "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
                    ))
                    .await;
                let _ = admin.close().await;
            }
        });
    })
    .join();
}

/// A fresh name for a test's database and folder.
pub fn unique_name() -> String {
    unique()
}

/// Starts the application over a fresh database of `backend`, seeded with the demo data.
/// Returns `None` only for PostgreSQL outside CI without `TEST_DATABASE_URL`.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("server=warn")
        .with_test_writer()
        .try_init();
    let name = unique();
    let dir = std::env::temp_dir().join(format!("reglament-test-{name}"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (database_url, postgres) = match backend {
        Backend::Sqlite => (
            format!("sqlite://{}?mode=rwc", dir.join("db.sqlite3").display()),
            None,
        ),
        Backend::Postgres => {
            let (url, base, database) = create_postgres_database(&name).await?;
            (url, Some((base, database)))
        }
    };
    let options = Options {
        bind: "127.0.0.1:0".into(),
        data_dir: dir.clone(),
        database_url: Some(database_url.clone()),
        site_dir: dir.join("site"),
        demo: true,
        jwt_secret: Some("test-secret-test-secret-test-secret!".into()),
        session_minutes: 60,
        public_url: Some("http://reglament.test".into()),
        inbound_token: Some("inbound-token".into()),
        smtp_url: None,
        mail_from: "support@reglament.test".into(),
        auto_close_days: 7,
        reopen_days: 30,
        job_interval_seconds: 15,
        trusted_authserv_id: None,
        storage_quota_mb: 5120,
        webhook_retry_seconds: 1,
    };
    let config = Config::load(&options).expect("config");
    let db = server::db::connect(&database_url).await.expect("connect");
    server::db::migrate(&db).await.expect("migrate");
    server::demo::seed_if_empty(&db).await.expect("demo data");
    let state = AppState::new(db, config).expect("state");
    Some(TestApp {
        router: server::app(state.clone()),
        state,
        dir,
        postgres,
    })
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((base, database)) = self.postgres.take() {
            drop_postgres_database(base, database, Some(self.state.db.clone()));
        }
    }
}

/// One row of the outbox, as tests read it.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct OutboxRow {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub ticket_id: Option<i64>,
    pub attempts: i32,
}

impl TestApp {
    /// Every outbox row, oldest first.
    pub async fn outbox(&self) -> Vec<OutboxRow> {
        use sea_orm::FromQueryResult;
        let backend = self.state.db.get_database_backend();
        OutboxRow::find_by_statement(sea_orm::Statement::from_string(
            backend,
            "SELECT id, to_address, subject, body, ticket_id, attempts FROM outbox ORDER BY id",
        ))
        .all(&self.state.db)
        .await
        .expect("outbox")
    }

    /// The outbox rows about the ticket `reference`.
    pub async fn outbox_for(&self, reference: &str) -> Vec<OutboxRow> {
        let ticket = server::db::tickets::find_ticket(&self.state.db, reference)
            .await
            .expect("query")
            .expect("ticket");
        self.outbox()
            .await
            .into_iter()
            .filter(|row| row.ticket_id == Some(ticket.id))
            .collect()
    }

    /// The same app (database, folder, state) answering through `router`; dropping it removes
    /// nothing.
    pub fn with_router(app: &TestApp, router: Router) -> TestApp {
        TestApp {
            router,
            state: app.state.clone(),
            dir: std::path::PathBuf::new(),
            postgres: None,
        }
    }

    /// The data folder of this app.
    pub fn data_dir(&self) -> &std::path::Path {
        &self.dir
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
}

impl TestApp {
    /// A session token for the demo account `email`.
    pub async fn token(&self, email: &str) -> String {
        let user = server::db::find_user_by_email(&self.state.db, email)
            .await
            .expect("query")
            .expect("demo user");
        server::sessions::start(&self.state, user.id, Some("api tests"), None)
            .await
            .expect("a session")
            .0
    }

    /// An account made by the admin through `POST /api/admin/users` with `fields`, which has
    /// then chosen its own password at first sign-in, as it must before anything else; its id.
    pub async fn create_account(&self, admin: &str, fields: Value) -> i64 {
        let created = self.post(Some(admin), "/api/admin/users", fields).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let email = created.body["user"]["email"].as_str().expect("email");
        let given = created.body["password"].as_str().expect("password");
        let token = self.token(email).await;
        let changed = self
            .post(
                Some(&token),
                "/api/me/password",
                json!({"current_password": given, "new_password": "a password of its own"}),
            )
            .await;
        assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.body);
        created.body["user"]["id"].as_i64().expect("id")
    }

    pub async fn user_id(&self, email: &str) -> i64 {
        server::db::find_user_by_email(&self.state.db, email)
            .await
            .expect("query")
            .expect("demo user")
            .id
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, token: Option<&str>, path: &str) -> Reply {
        let mut request = Request::get(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }

    pub async fn post(&self, token: Option<&str>, path: &str, body: Value) -> Reply {
        self.post_with(token, path, body, None).await
    }

    /// Files a ticket as `token` and returns its reference: a usage question ("D") unless
    /// `fields` say otherwise (any field of `NewTicket`).
    pub async fn create_ticket(&self, token: &str, fields: Value) -> String {
        let mut body = serde_json::json!({
            "subject": "A ticket",
            "description": "It fails.",
            "category": "D",
            "product_version": "1",
        });
        if let (Some(body), Value::Object(fields)) = (body.as_object_mut(), fields) {
            body.extend(fields);
        }
        let reply = self.post(Some(token), "/api/tickets", body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body["reference"]
            .as_str()
            .expect("a reference")
            .to_owned()
    }

    /// `POST /api/tickets/{reference}/followers` as `token`: the caller follows the ticket.
    pub async fn follow(&self, token: &str, reference: &str) -> Reply {
        self.post_raw(
            Some(token),
            &format!("/api/tickets/{reference}/followers"),
            "application/json",
            Vec::new(),
        )
        .await
    }

    /// How many notifications of `kind` the account `email` has.
    pub async fn notifications(&self, email: &str, kind: &str) -> usize {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        use server::db::entity::notification;
        let user_id = self.user_id(email).await;
        let count = notification::Entity::find()
            .filter(notification::Column::UserId.eq(user_id))
            .filter(notification::Column::Kind.eq(kind))
            .count(&self.state.db)
            .await
            .expect("query");
        usize::try_from(count).expect("a count")
    }

    /// `POST /api/admin/users/{id}/deactivate` as `token`.
    pub async fn deactivate(&self, token: &str, user_id: i64) -> Reply {
        self.post(
            Some(token),
            &format!("/api/admin/users/{user_id}/deactivate"),
            Value::Object(Default::default()),
        )
        .await
    }

    pub async fn post_with(
        &self,
        token: Option<&str>,
        path: &str,
        body: Value,
        if_match: Option<i64>,
    ) -> Reply {
        let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(version) = if_match {
            request = request.header(header::IF_MATCH, version.to_string());
        }
        self.send(request.body(Body::from(body.to_string())).expect("request"))
            .await
    }

    /// A JSON request with any method (`PUT`, `PATCH`).
    pub async fn send_json(
        &self,
        method: &str,
        token: Option<&str>,
        path: &str,
        body: Value,
    ) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::from(body.to_string())).expect("request"))
            .await
    }

    pub async fn post_raw(
        &self,
        token: Option<&str>,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let mut request = Request::post(path).header(header::CONTENT_TYPE, content_type);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::from(body)).expect("request"))
            .await
    }
}

/// Writes each test once for SQLite and once for PostgreSQL.
#[macro_export]
macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let app = $crate::support::spawn_app($crate::support::Backend::Sqlite)
                        .await
                        .expect("sqlite always runs");
                    super::$name(app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(not(postgres_tests), ignore = "TEST_DATABASE_URL is not set")]
                async fn $name() {
                    let app = $crate::support::spawn_app($crate::support::Backend::Postgres)
                        .await
                        .expect("TEST_DATABASE_URL names the PostgreSQL to test on");
                    super::$name(app).await;
                }
            )*
        }
    };
}
