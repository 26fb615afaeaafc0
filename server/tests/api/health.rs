use axum::http::StatusCode;

use crate::support::TestApp;

crate::both!(
    health_reports_the_database,
    unknown_api_route_is_a_json_404,
    openapi_lists_every_path,
);

async fn health_reports_the_database(app: TestApp) {
    let reply = app.get(None, "/api/health").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["status"], "ok");
    let expected = match app.state.db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => "postgres",
        _ => "sqlite",
    };
    assert_eq!(reply.body["database"], expected);
}

async fn unknown_api_route_is_a_json_404(app: TestApp) {
    let reply = app.get(None, "/api/no-such-thing").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.body["error"], "not_found");
}

async fn openapi_lists_every_path(app: TestApp) {
    let reply = app.get(None, "/api/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let paths = reply.body["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/api/health", "get"),
        ("/api/auth/login", "post"),
        ("/api/tickets", "get"),
        ("/api/tickets/counts", "get"),
        ("/api/tickets", "post"),
        ("/api/tickets/{reference}", "get"),
        ("/api/tickets/{reference}/messages", "post"),
        ("/api/tickets/{reference}/actions", "post"),
        ("/api/known-errors", "get"),
        ("/api/known-errors/{id}", "patch"),
        ("/api/announcements", "post"),
        ("/api/announcements/public", "get"),
        ("/api/sla/preview", "post"),
        ("/api/notifications", "get"),
        ("/api/events", "get"),
        ("/api/rating-links/{token}", "get"),
        ("/api/rating-links/{token}", "post"),
        ("/api/inbound/email", "post"),
        ("/api/known-errors/{id}/tickets", "get"),
        ("/api/sla/plan", "get"),
        ("/api/canned-responses", "get"),
        ("/api/canned-responses", "post"),
        ("/api/canned-responses/{id}", "delete"),
        ("/api/reports/sla", "get"),
        ("/api/reports/csat", "get"),
        ("/api/reports/reopens", "get"),
        ("/api/reports/backlog", "get"),
        ("/api/expedite-requests", "get"),
        ("/api/admin/calendars", "get"),
        ("/api/admin/calendars", "post"),
        ("/api/admin/calendars/{id}", "get"),
        ("/api/admin/calendars/{id}", "put"),
        ("/api/admin/plans", "get"),
        ("/api/admin/plans", "post"),
        ("/api/admin/plans/{id}", "get"),
        ("/api/admin/plans/{id}", "put"),
        ("/api/admin/contracts/{id}", "patch"),
        ("/api/admin/organisations/{id}", "patch"),
        ("/api/admin/organisations/{id}/watchers", "get"),
        ("/api/admin/organisations/{id}/watchers", "put"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing"
        );
    }
}
