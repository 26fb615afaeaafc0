use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

crate::both!(
    unknown_email_and_wrong_password_get_the_same_401,
    me_needs_a_session,
    login_with_the_right_password_works,
    malformed_login_json_is_400,
    login_without_json_content_type_is_415,
);

async fn unknown_email_and_wrong_password_get_the_same_401(app: TestApp) {
    let unknown = app
        .post(
            None,
            "/api/auth/login",
            json!({"email": "nobody@demo.example", "password": "demo"}),
        )
        .await;
    let wrong = app
        .post(
            None,
            "/api/auth/login",
            json!({"email": "customer@demo.example", "password": "nope"}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.body, wrong.body);
}

async fn me_needs_a_session(app: TestApp) {
    let reply = app.get(None, "/api/me").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.body["error"], "unauthorized");
    let forged = app.get(Some("not-a-token"), "/api/me").await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
}

async fn login_with_the_right_password_works(app: TestApp) {
    let reply = app
        .post(
            None,
            "/api/auth/login",
            json!({"email": "Agent@Demo.Example", "password": "demo"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["user"]["role"], "agent_l1");
    let token = reply.body["token"].as_str().expect("token").to_owned();
    let me = app.get(Some(&token), "/api/me").await;
    assert_eq!(me.body["email"], "agent@demo.example");
}

async fn malformed_login_json_is_400(app: TestApp) {
    let reply = app
        .post_raw(
            None,
            "/api/auth/login",
            "application/json",
            b"{\"email\":".to_vec(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["error"], "bad_request");
}

async fn login_without_json_content_type_is_415(app: TestApp) {
    let reply = app
        .post_raw(None, "/api/auth/login", "text/plain", b"{}".to_vec())
        .await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}
