use axum::http::StatusCode;

use crate::support::TestApp;

crate::both!(
    health_reports_the_database,
    unknown_api_route_is_a_json_404,
    openapi_lists_every_path,
    the_app_is_sent_compressed_to_a_browser_that_accepts_it,
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
        ("/api/customers", "get"),
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
        ("/api/admin/plan-templates", "get"),
        ("/api/admin/plan-templates/{key}", "post"),
        ("/api/admin/contracts/{id}", "patch"),
        ("/api/admin/organisations/{id}", "patch"),
        ("/api/admin/organisations/{id}/watchers", "get"),
        ("/api/admin/organisations/{id}/watchers", "put"),
        ("/api/products", "get"),
        ("/api/admin/products", "get"),
        ("/api/admin/products", "post"),
        ("/api/admin/products/{id}", "put"),
        ("/api/admin/plans/{id}/password-reminder", "get"),
        ("/api/admin/plans/{id}/password-reminder", "put"),
        ("/api/admin/organisations/{id}/password-reminder", "get"),
        ("/api/admin/organisations/{id}/password-reminder", "put"),
        ("/api/admin/organisations/{id}/balance", "get"),
        ("/api/admin/organisations/{id}/balance", "post"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing"
        );
    }
}

async fn the_app_is_sent_compressed_to_a_browser_that_accepts_it(app: TestApp) {
    use axum::body::Body;
    use axum::http::{Request, header};

    let site = app.data_dir().join("site");
    std::fs::create_dir_all(&site).expect("site folder");
    for (name, content) in [
        ("app.js", "plain script"),
        ("app.js.br", "brotli script"),
        ("app.js.gz", "gzip script"),
        ("index.html", "plain page"),
        ("index.html.gz", "gzip page"),
    ] {
        std::fs::write(site.join(name), content).expect("site file");
    }
    let fetch = |path: &str, accept: Option<&str>| {
        let mut request = Request::get(path);
        if let Some(accept) = accept {
            request = request.header(header::ACCEPT_ENCODING, accept);
        }
        app.send(request.body(Body::empty()).expect("request"))
    };
    let encoding = |reply: &crate::support::Reply| {
        reply
            .headers
            .get(header::CONTENT_ENCODING)
            .map(|value| value.to_str().expect("ascii").to_owned())
    };

    let reply = fetch("/app.js", Some("gzip, deflate, br")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(encoding(&reply).as_deref(), Some("br"));
    assert_eq!(reply.body, "brotli script");

    let reply = fetch("/app.js", Some("gzip")).await;
    assert_eq!(encoding(&reply).as_deref(), Some("gzip"));
    assert_eq!(reply.body, "gzip script");

    let reply = fetch("/app.js", None).await;
    assert_eq!(encoding(&reply), None);
    assert_eq!(reply.body, "plain script");

    // A client route gets the page, compressed too; a file without a compressed sibling goes
    // as it is.
    let reply = fetch("/tickets/R-1", Some("gzip, br")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(encoding(&reply).as_deref(), Some("gzip"));
    assert_eq!(reply.body, "gzip page");
    let reply = fetch("/index.html", Some("br")).await;
    assert_eq!(encoding(&reply), None);
    assert_eq!(reply.body, "plain page");
}
