//! Server-side sessions: signing out, a password change or reset, a deactivation and "sign out
//! everywhere" end them, and an open event stream closes with them.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use crate::support::{Reply, TestApp};

crate::both!(
    signing_out_ends_the_session,
    a_password_reset_or_deactivation_ends_every_session,
    sessions_are_listed_and_each_can_be_ended,
    changing_the_password_ends_the_other_sessions,
    an_event_stream_closes_when_its_session_ends,
    an_event_stream_closes_when_its_account_is_deactivated,
);

async fn sign_in(app: &TestApp, email: &str, password: &str) -> String {
    let reply = app
        .post(
            None,
            "/api/auth/login",
            json!({"email": email, "password": password}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body["token"].as_str().expect("token").to_owned()
}

async fn me(app: &TestApp, token: &str) -> StatusCode {
    app.get(Some(token), "/api/me").await.status
}

async fn delete(app: &TestApp, token: &str, path: &str) -> Reply {
    app.send(
        Request::delete(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

async fn signing_out_ends_the_session(app: TestApp) {
    let token = sign_in(&app, "customer@demo.example", "demo").await;
    let other = sign_in(&app, "customer@demo.example", "demo").await;
    assert_eq!(me(&app, &token).await, StatusCode::OK);
    let out = app.post(Some(&token), "/api/auth/logout", json!({})).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(me(&app, &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &other).await, StatusCode::OK, "only that session");
}

async fn a_password_reset_or_deactivation_ends_every_session(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let anna = app.user_id("customer@demo.example").await;
    let first = sign_in(&app, "customer@demo.example", "demo").await;
    let second = app.token("customer@demo.example").await;
    let reset = app
        .post(
            Some(&admin),
            &format!("/api/admin/users/{anna}/reset-password"),
            json!({}),
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    assert_eq!(me(&app, &first).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &second).await, StatusCode::UNAUTHORIZED);
    let password = reset.body["password"]
        .as_str()
        .expect("password")
        .to_owned();
    let third = sign_in(&app, "customer@demo.example", &password).await;
    assert_eq!(me(&app, &third).await, StatusCode::OK);

    let vera = app.user_id("agent@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let deactivated = app.deactivate(&admin, vera).await;
    assert_eq!(deactivated.status, StatusCode::OK, "{}", deactivated.body);
    assert_eq!(me(&app, &agent).await, StatusCode::UNAUTHORIZED);
    let sessions = server::db::sessions::list_active(&app.state.db, vera, chrono::Utc::now())
        .await
        .expect("query");
    assert!(sessions.is_empty(), "{sessions:?}");
}

async fn sessions_are_listed_and_each_can_be_ended(app: TestApp) {
    let first = sign_in(&app, "customer@demo.example", "demo").await;
    let second = sign_in(&app, "customer@demo.example", "demo").await;
    let list = app.get(Some(&first), "/api/me/sessions").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let sessions = list.body["sessions"].as_array().expect("sessions").clone();
    assert_eq!(sessions.len(), 2, "{}", list.body);
    assert_eq!(
        sessions.iter().filter(|s| s["current"] == true).count(),
        1,
        "{}",
        list.body
    );
    let other = sessions
        .iter()
        .find(|s| s["current"] == false)
        .expect("the other session")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    // Nobody else's session can be ended.
    let boris = app.token("customer2@demo.example").await;
    let foreign = delete(&app, &boris, &format!("/api/me/sessions/{other}")).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(me(&app, &second).await, StatusCode::OK);
    let ended = delete(&app, &first, &format!("/api/me/sessions/{other}")).await;
    assert_eq!(ended.status, StatusCode::NO_CONTENT, "{}", ended.body);
    assert_eq!(me(&app, &second).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &first).await, StatusCode::OK);
    let third = sign_in(&app, "customer@demo.example", "demo").await;
    let everywhere = app
        .post(Some(&first), "/api/me/sessions/end-all", json!({}))
        .await;
    assert_eq!(everywhere.status, StatusCode::NO_CONTENT);
    assert_eq!(me(&app, &first).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &third).await, StatusCode::UNAUTHORIZED);
}

async fn changing_the_password_ends_the_other_sessions(app: TestApp) {
    let first = sign_in(&app, "customer@demo.example", "demo").await;
    let second = sign_in(&app, "customer@demo.example", "demo").await;
    let wrong = app
        .post(
            Some(&first),
            "/api/me/password",
            json!({"current_password": "guess", "new_password": "a new password"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.body["field"], "current_password");
    let short = app
        .post(
            Some(&first),
            "/api/me/password",
            json!({"current_password": "demo", "new_password": "short"}),
        )
        .await;
    assert_eq!(short.body["field"], "new_password", "{}", short.body);
    let changed = app
        .post(
            Some(&first),
            "/api/me/password",
            json!({"current_password": "demo", "new_password": "a new password"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.body);
    assert_eq!(me(&app, &first).await, StatusCode::OK);
    assert_eq!(me(&app, &second).await, StatusCode::UNAUTHORIZED);
    sign_in(&app, "customer@demo.example", "a new password").await;
    let old = app
        .post(
            None,
            "/api/auth/login",
            json!({"email": "customer@demo.example", "password": "demo"}),
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
}

/// Opens `GET /api/events` as `token` and returns how long the stream stayed open after
/// `end` ran (at most `limit`).
async fn open_after<F>(app: &TestApp, token: &str, end: F, limit: Duration) -> Duration
where
    F: std::future::Future<Output = ()>,
{
    let response = app
        .router
        .clone()
        .oneshot(
            Request::get("/api/events")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    // The stream is live once its first comment arrives.
    let first = tokio::time::timeout(Duration::from_secs(5), body.frame()).await;
    assert!(matches!(first, Ok(Some(Ok(_)))), "the stream starts");
    end.await;
    let ended = Instant::now();
    loop {
        match tokio::time::timeout_at((ended + limit).into(), body.frame()).await {
            Ok(Some(Ok(_))) => continue,
            Ok(_) => return ended.elapsed(),
            Err(_) => return limit,
        }
    }
}

async fn an_event_stream_closes_when_its_session_ends(app: TestApp) {
    let token = sign_in(&app, "lead@demo.example", "demo").await;
    let open = open_after(
        &app,
        &token,
        async {
            let out = app.post(Some(&token), "/api/auth/logout", json!({})).await;
            assert_eq!(out.status, StatusCode::NO_CONTENT);
        },
        Duration::from_secs(5),
    )
    .await;
    assert!(open <= Duration::from_secs(1), "{open:?}");
}

async fn an_event_stream_closes_when_its_account_is_deactivated(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let vera = app.user_id("agent@demo.example").await;
    let token = app.token("agent@demo.example").await;
    let open = open_after(
        &app,
        &token,
        async {
            let reply = app.deactivate(&admin, vera).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        },
        Duration::from_secs(5),
    )
    .await;
    assert!(open <= Duration::from_secs(1), "{open:?}");
}
