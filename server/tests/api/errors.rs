//! Every error answer of the API is the JSON envelope `{error, message, field?}` with the
//! right status, axum's own rejections and an over-long URI included.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::support::TestApp;

const ADMIN: &str = "admin@demo.example";

crate::both!(
    a_path_parameter_that_does_not_parse_is_a_json_400,
    a_query_parameter_that_does_not_parse_names_its_field,
    a_method_the_route_does_not_take_is_a_json_405,
    an_over_long_uri_is_a_json_414,
    bad_json_is_a_json_400,
    an_unknown_api_path_is_a_json_404_for_every_method,
    a_body_over_the_limit_is_a_json_413,
    a_bad_path_parameter_of_a_write_is_a_json_400,
);

fn assert_envelope(reply: &crate::support::Reply, status: StatusCode, error: &str) {
    assert_eq!(reply.status, status, "{:?}", reply.body);
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "application/json",
        "{:?}",
        reply.body
    );
    assert_eq!(reply.body["error"], error, "{:?}", reply.body);
    let message = reply.body["message"].as_str().expect("a message");
    assert!(!message.is_empty());
}

async fn a_path_parameter_that_does_not_parse_is_a_json_400(app: TestApp) {
    let token = app.token(ADMIN).await;
    let reply = app.get(Some(&token), "/api/attachments/not-a-number").await;
    assert_envelope(&reply, StatusCode::BAD_REQUEST, "bad_request");
}

async fn a_query_parameter_that_does_not_parse_names_its_field(app: TestApp) {
    let token = app.token(ADMIN).await;
    let reply = app.get(Some(&token), "/api/tickets?limit=many").await;
    assert_envelope(&reply, StatusCode::BAD_REQUEST, "bad_request");
    assert_eq!(reply.body["field"], "limit");
}

async fn a_method_the_route_does_not_take_is_a_json_405(app: TestApp) {
    let token = app.token(ADMIN).await;
    let request = Request::put("/api/tickets")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    let reply = app.send(request).await;
    assert_envelope(&reply, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    let allow = reply.headers[header::ALLOW]
        .to_str()
        .expect("an Allow header");
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
}

async fn an_over_long_uri_is_a_json_414(app: TestApp) {
    let path = format!("/api/tickets?q={}", "x".repeat(server::error::MAX_URI));
    let reply = app.get(None, &path).await;
    assert_envelope(&reply, StatusCode::URI_TOO_LONG, "uri_too_long");
}

async fn bad_json_is_a_json_400(app: TestApp) {
    let token = app.token(ADMIN).await;
    let reply = app
        .post_raw(
            Some(&token),
            "/api/tickets",
            "application/json",
            b"{not json".to_vec(),
        )
        .await;
    assert_envelope(&reply, StatusCode::BAD_REQUEST, "bad_request");
}

async fn an_unknown_api_path_is_a_json_404_for_every_method(app: TestApp) {
    let token = app.token(ADMIN).await;
    for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
        let request = Request::builder()
            .method(method)
            .uri("/api/no-such-resource/1")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request");
        let reply = app.send(request).await;
        assert_envelope(&reply, StatusCode::NOT_FOUND, "not_found");
        assert_eq!(reply.body["message"], "no such path in the API", "{method}");
    }
}

async fn a_body_over_the_limit_is_a_json_413(app: TestApp) {
    let token = app.token(ADMIN).await;
    let body = vec![b' '; server::BODY_LIMIT + 1];
    let reply = app
        .post_raw(Some(&token), "/api/tickets", "application/json", body)
        .await;
    assert_envelope(&reply, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
}

async fn a_bad_path_parameter_of_a_write_is_a_json_400(app: TestApp) {
    let token = app.token(ADMIN).await;
    let reply = app
        .post(
            Some(&token),
            "/api/reclassifications/not-a-number/accept",
            serde_json::json!({}),
        )
        .await;
    assert_envelope(&reply, StatusCode::BAD_REQUEST, "bad_request");
}
