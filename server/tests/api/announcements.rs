use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

crate::both!(
    supervisors_publish_and_everyone_reads,
    public_announcements_need_no_session
);

async fn supervisors_publish_and_everyone_reads(app: TestApp) {
    let lead = app.token("lead@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let body =
        json!({"kind": "outage", "title": "Mail delays", "body": "Mail arrives late today."});
    let refused = app
        .post(Some(&agent), "/api/announcements", body.clone())
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let created = app.post(Some(&lead), "/api/announcements", body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let bad = app
        .post(
            Some(&lead),
            "/api/announcements",
            json!({"kind": "party", "title": "x", "body": "y"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["field"], "kind");
    let anna = app.token("customer@demo.example").await;
    let list = app.get(Some(&anna), "/api/announcements").await;
    let titles: Vec<&str> = list.body["announcements"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert!(titles.contains(&"Mail delays"), "{titles:?}");
    let id = created.body["id"].as_i64().expect("id");
    let delete = axum::http::Request::delete(format!("/api/announcements/{id}"))
        .header("authorization", format!("Bearer {lead}"))
        .body(axum::body::Body::empty())
        .expect("request");
    assert_eq!(app.send(delete).await.status, StatusCode::NO_CONTENT);
    let after = app.get(Some(&anna), "/api/announcements").await;
    assert!(!after.body.to_string().contains("Mail delays"));
}

async fn public_announcements_need_no_session(app: TestApp) {
    let public = app.get(None, "/api/announcements/public").await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.body["announcements"][0]["title"], "Holiday hours");
    assert_eq!(
        app.get(None, "/api/announcements").await.status,
        StatusCode::UNAUTHORIZED
    );
}
