use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

crate::both!(
    staff_see_the_active_staff_by_name,
    the_staff_directory_is_refused_to_customers
);

fn names(body: &serde_json::Value) -> Vec<String> {
    body["staff"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|member| member["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn staff_see_the_active_staff_by_name(app: TestApp) {
    let agent = app.token("agent@demo.example").await;
    let admin = app.token("admin@demo.example").await;
    let listed = app.get(Some(&agent), "/api/staff").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let before = names(&listed.body);
    assert!(before.contains(&"Gleb Engineer".to_owned()), "{before:?}");
    let customer_id = app.user_id("customer@demo.example").await;
    let ids: Vec<i64> = listed.body["staff"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|member| member["id"].as_i64())
        .collect();
    assert!(!ids.contains(&customer_id), "no customer in the directory");
    let mut sorted = before.clone();
    sorted.sort();
    assert_eq!(before, sorted, "by name");
    let engineer = listed.body["staff"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|member| member["name"] == "Gleb Engineer")
        .expect("the engineer");
    assert_eq!(engineer["role"], "agent_l2");

    let created = app
        .post(
            Some(&admin),
            "/api/admin/users",
            json!({"email": "aaron@vendor.example", "name": "Aaron Newcomer", "role": "agent_l1"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["user"]["id"]
        .as_i64()
        .expect("the new account's id");
    let with_newcomer = names(&app.get(Some(&agent), "/api/staff").await.body);
    assert_eq!(
        with_newcomer.first().map(String::as_str),
        Some("Aaron Newcomer")
    );

    let deactivated = app.deactivate(&admin, id).await;
    assert_eq!(deactivated.status, StatusCode::OK, "{}", deactivated.body);
    let after = names(&app.get(Some(&agent), "/api/staff").await.body);
    assert!(!after.contains(&"Aaron Newcomer".to_owned()), "{after:?}");
}

async fn the_staff_directory_is_refused_to_customers(app: TestApp) {
    let customer = app.token("customer@demo.example").await;
    assert_eq!(
        app.get(Some(&customer), "/api/staff").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(None, "/api/staff").await.status,
        StatusCode::UNAUTHORIZED
    );
}
