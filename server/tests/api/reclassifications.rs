use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

crate::both!(
    targets_change_only_when_the_customer_accepts,
    the_customers_comment_on_a_decision_is_kept_in_the_thread,
);

async fn targets_change_only_when_the_customer_accepts(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let boris = app.token("customer2@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let created = app
        .post(
            Some(&anna),
            "/api/tickets",
            json!({"subject": "Feature?", "description": "d", "category": "C", "severity": 4, "product_version": "1"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let reference = created.body["reference"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let path = format!("/api/tickets/{reference}/reclassifications");
    let by_customer = app
        .post(Some(&anna), &path, json!({"category": "D", "reason": "x"}))
        .await;
    assert_eq!(by_customer.status, StatusCode::FORBIDDEN);
    let bad = app
        .post(
            Some(&agent),
            &path,
            json!({"category": "D", "severity": 2, "reason": "x"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["field"], "severity");
    let proposed = app
        .post(
            Some(&agent),
            &path,
            json!({"category": "D", "reason": "A usage question"}),
        )
        .await;
    assert_eq!(proposed.status, StatusCode::CREATED, "{}", proposed.body);
    assert_eq!(
        proposed.body["classification"]["category"], "C",
        "unchanged until accepted"
    );
    let detail = app
        .get(Some(&anna), &format!("/api/tickets/{reference}"))
        .await;
    let id = detail.body["reclassifications"][0]["id"]
        .as_i64()
        .expect("proposal id");
    assert_eq!(detail.body["reclassifications"][0]["status"], "pending");
    let stranger = app
        .post(
            Some(&boris),
            &format!("/api/reclassifications/{id}/accept"),
            json!({}),
        )
        .await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    let staff = app
        .post(
            Some(&agent),
            &format!("/api/reclassifications/{id}/accept"),
            json!({}),
        )
        .await;
    assert_eq!(staff.status, StatusCode::FORBIDDEN);
    let accepted = app
        .post(
            Some(&anna),
            &format!("/api/reclassifications/{id}/accept"),
            json!({}),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert_eq!(accepted.body["classification"]["category"], "D");
    assert_eq!(
        accepted.body["clocks"]["classification"]["category"],
        "D",
        "{}",
        app.get(Some(&agent), &format!("/api/tickets/{reference}"))
            .await
            .body["events"]
    );
    let again = app
        .post(
            Some(&anna),
            &format!("/api/reclassifications/{id}/reject"),
            json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

async fn the_customers_comment_on_a_decision_is_kept_in_the_thread(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let fields = json!({"subject": "Slow export", "category": "C", "severity": 3});
    let reference = app.create_ticket(&anna, fields).await;
    let proposed = app
        .post(
            Some(&agent),
            &format!("/api/tickets/{reference}/reclassifications"),
            json!({"category": "D", "reason": "A usage question"}),
        )
        .await;
    assert_eq!(proposed.status, StatusCode::CREATED, "{}", proposed.body);
    let detail = app
        .get(Some(&anna), &format!("/api/tickets/{reference}"))
        .await;
    let id = detail.body["reclassifications"][0]["id"]
        .as_i64()
        .expect("proposal id");
    let rejected = app
        .post(
            Some(&anna),
            &format!("/api/reclassifications/{id}/reject"),
            json!({"comment": "It is a defect: the export never finishes."}),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.body);
    assert_eq!(rejected.body["classification"]["category"], "C");
    let detail = app
        .get(Some(&agent), &format!("/api/tickets/{reference}"))
        .await;
    let messages = detail.body["messages"].as_array().expect("messages");
    assert!(
        messages.iter().any(|message| message["body"]
            == "It is a defect: the export never finishes."
            && message["from_staff"] == false),
        "{messages:?}"
    );
    let decision = detail.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|event| event["kind"] == "reclassification_rejected")
        .cloned()
        .expect("the decision's event");
    assert!(decision["payload"]["message_id"].is_i64(), "{decision}");
    assert_eq!(detail.body["reclassifications"][0]["status"], "rejected");
}
