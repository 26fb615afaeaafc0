use axum::http::StatusCode;

use crate::support::TestApp;

crate::both!(
    health_reports_the_database,
    unknown_api_route_is_a_json_404,
    openapi_operations_all_reach_a_handler,
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

/// The served document against the running app: every documented operation reaches a handler
/// (whatever it answers, never the API's "no such path" 404 or a 405), its schemas are concrete,
/// and the endpoints that need no sign-in say so. (`routes::tests` compares the router's own
/// route table with the document; this checks what is served.)
async fn openapi_operations_all_reach_a_handler(app: TestApp) {
    use axum::body::Body;
    use axum::http::{Method, Request, header};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let reply = app.get(None, "/api/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["openapi"], "3.1.0");
    let document = reply.body;
    let token = app.token("admin@demo.example").await;
    let paths = document["paths"].as_object().expect("paths");
    let mut operations = 0;
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("a path item") {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            operations += 1;
            assert!(
                operation["responses"]["default"]["content"]["application/json"]["schema"]["$ref"]
                    == "#/components/schemas/ErrorBody",
                "{method} {path}: errors are not the envelope"
            );
            let uri: String = path
                .split('/')
                .map(|part| if part.starts_with('{') { "1" } else { part })
                .collect::<Vec<_>>()
                .join("/");
            let request = Request::builder()
                .method(method.clone())
                .uri(&uri)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .expect("request");
            let response = app.router.clone().oneshot(request).await.expect("answer");
            let status = response.status();
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
            if status == StatusCode::NOT_FOUND {
                let bytes = response
                    .into_body()
                    .collect()
                    .await
                    .expect("body")
                    .to_bytes();
                let body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
                assert_ne!(
                    body["message"], "no such path in the API",
                    "{method} {uri} is documented but not routed"
                );
            }
        }
    }
    assert!(operations > 80, "{operations} operations");
    let schemas = document["components"]["schemas"]
        .as_object()
        .expect("schemas");
    let ticket = &schemas["Ticket"];
    assert_eq!(ticket["type"], "object");
    assert!(ticket["properties"]["reference"].is_object(), "{ticket}");
    assert!(schemas.contains_key("TicketDetail") && schemas.contains_key("NewTicket"));
    assert_eq!(
        document["paths"]["/api/health"]["get"]["security"],
        serde_json::json!([{}])
    );
    assert!(
        document["paths"]["/api/tickets"]["get"]
            .get("security")
            .is_none()
    );
    let schemes = &document["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["cookie"]["in"], "cookie");
    let no_content = &document["paths"]["/api/notifications/read-all"]["post"]["responses"]["204"];
    assert!(
        no_content.is_object() && no_content.get("content").is_none(),
        "{no_content}"
    );
    let action = &document["paths"]["/api/tickets/{reference}/actions"]["post"];
    let parameters = action["parameters"].as_array().expect("parameters");
    assert!(
        parameters
            .iter()
            .any(|p| p["name"] == "If-Match" && p["in"] == "header")
    );
    assert!(
        parameters
            .iter()
            .any(|p| p["name"] == "reference" && p["in"] == "path")
    );
    let events = &document["paths"]["/api/events"]["get"]["parameters"];
    assert!(
        events
            .as_array()
            .expect("parameters")
            .iter()
            .any(|p| p["name"] == "Last-Event-ID")
    );
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
