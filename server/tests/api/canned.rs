use axum::http::{Request, StatusCode};
use serde_json::json;

use crate::support::TestApp;

crate::both!(
    staff_keep_personal_and_shared_canned_responses,
    canned_responses_are_refused_to_customers_and_checked
);

async fn delete(app: &TestApp, token: &str, id: i64) -> StatusCode {
    let request = Request::delete(format!("/api/canned-responses/{id}"))
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .expect("request");
    app.send(request).await.status
}

async fn staff_keep_personal_and_shared_canned_responses(app: TestApp) {
    let agent = app.token("agent@demo.example").await;
    let engineer = app.token("engineer@demo.example").await;
    let lead = app.token("lead@demo.example").await;
    let shared_text = json!({"title": "Team greeting", "body": "Hello {{customer_name}}, about {{reference}}:", "shared": true});
    let refused = app
        .post(Some(&agent), "/api/canned-responses", shared_text.clone())
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let team = app
        .post(Some(&lead), "/api/canned-responses", shared_text)
        .await;
    assert_eq!(team.status, StatusCode::CREATED, "{}", team.body);
    assert!(team.body["owner_id"].is_null());
    let mine = app
        .post(
            Some(&agent),
            "/api/canned-responses",
            json!({"title": "My sign-off", "body": "Regards, {{agent_name}}"}),
        )
        .await;
    assert_eq!(mine.status, StatusCode::CREATED, "{}", mine.body);
    let mine_id = mine.body["id"].as_i64().expect("id");

    let titles = |body: &serde_json::Value| -> Vec<String> {
        body["canned_responses"]
            .as_array()
            .expect("list")
            .iter()
            .map(|c| c["title"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let for_agent = app.get(Some(&agent), "/api/canned-responses").await;
    let agent_titles = titles(&for_agent.body);
    assert!(
        agent_titles.contains(&"Team greeting".to_owned()),
        "{agent_titles:?}"
    );
    assert!(
        agent_titles.contains(&"My sign-off".to_owned()),
        "{agent_titles:?}"
    );
    // Another agent sees the team's texts, never someone's personal ones, and cannot delete them.
    let for_engineer = app.get(Some(&engineer), "/api/canned-responses").await;
    let engineer_titles = titles(&for_engineer.body);
    assert!(engineer_titles.contains(&"Team greeting".to_owned()));
    assert!(
        !engineer_titles.contains(&"My sign-off".to_owned()),
        "{engineer_titles:?}"
    );
    assert_eq!(
        delete(&app, &engineer, mine_id).await,
        StatusCode::NOT_FOUND
    );
    let team_id = team.body["id"].as_i64().expect("id");
    assert_eq!(delete(&app, &agent, team_id).await, StatusCode::FORBIDDEN);
    assert_eq!(delete(&app, &agent, mine_id).await, StatusCode::NO_CONTENT);
    assert_eq!(delete(&app, &agent, mine_id).await, StatusCode::NOT_FOUND);
    assert_eq!(delete(&app, &lead, team_id).await, StatusCode::NO_CONTENT);
    let after = app.get(Some(&agent), "/api/canned-responses").await;
    let left = titles(&after.body);
    assert!(
        !left.contains(&"Team greeting".to_owned()) && !left.contains(&"My sign-off".to_owned()),
        "{left:?}"
    );
}

async fn canned_responses_are_refused_to_customers_and_checked(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let listed = app.get(Some(&anna), "/api/canned-responses").await;
    assert_eq!(listed.status, StatusCode::FORBIDDEN);
    let agent = app.token("agent@demo.example").await;
    let empty = app
        .post(
            Some(&agent),
            "/api/canned-responses",
            json!({"title": " ", "body": "x"}),
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.body["field"], "title");
    let unknown = app
        .post(
            Some(&agent),
            "/api/canned-responses",
            json!({"title": "t", "body": "b", "colour": "red"}),
        )
        .await;
    assert!(unknown.status.is_client_error(), "{}", unknown.status);
}
