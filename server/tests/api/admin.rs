use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

crate::both!(
    the_account_limit_is_enforced_with_422,
    only_admins_manage_and_the_audit_log_records
);

async fn the_account_limit_is_enforced_with_422(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let organisations = app.get(Some(&admin), "/api/admin/organisations").await;
    let northwind = organisations
        .body
        .as_array()
        .and_then(|list| list.iter().find(|o| o["name"] == "Northwind Logistics"))
        .and_then(|o| o["id"].as_i64())
        .expect("demo organisation");
    // The demo contract allows 5 accounts; Anna uses one.
    for index in 0..4 {
        let created = app
            .post(
                Some(&admin),
                "/api/admin/users",
                json!({"email": format!("extra{index}@northwind.example"), "name": "Extra", "role": "customer", "organisation_id": northwind}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert!(
            created.body["password"]
                .as_str()
                .is_some_and(|p| p.len() >= 12)
        );
    }
    let over = app
        .post(
            Some(&admin),
            "/api/admin/users",
            json!({"email": "sixth@northwind.example", "name": "Sixth", "role": "customer", "organisation_id": northwind}),
        )
        .await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(over.body["field"], "organisation_id");
    let duplicate = app
        .post(
            Some(&admin),
            "/api/admin/users",
            json!({"email": "agent@demo.example", "name": "Again", "role": "agent_l1"}),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(duplicate.body["field"], "email");
}

async fn only_admins_manage_and_the_audit_log_records(app: TestApp) {
    let agent = app.token("agent@demo.example").await;
    let refused = app
        .post(
            Some(&agent),
            "/api/admin/organisations",
            json!({"name": "Rogue"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let anna = app.token("customer@demo.example").await;
    assert_eq!(
        app.get(Some(&anna), "/api/admin/audit").await.status,
        StatusCode::FORBIDDEN
    );
    let admin = app.token("admin@demo.example").await;
    let created = app
        .post(
            Some(&admin),
            "/api/admin/organisations",
            json!({"name": "Ural Mining", "on_expiry": "block"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let bad = app
        .post(
            Some(&admin),
            "/api/admin/organisations",
            json!({"name": "X", "on_expiry": "maybe"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let lead = app.token("lead@demo.example").await;
    let audit = app
        .get(Some(&lead), "/api/admin/audit?entity=organisation")
        .await;
    assert_eq!(audit.status, StatusCode::OK);
    assert_eq!(audit.body["entries"][0]["action"], "organisation.create");
    assert_eq!(audit.body["entries"][0]["details"]["name"], "Ural Mining");
}
