use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

crate::both!(preview_gives_deadlines_and_refuses_bad_input);

async fn preview_gives_deadlines_and_refuses_bad_input(app: TestApp) {
    let agent = app.token("agent@demo.example").await;
    let reply = app
        .post(
            Some(&agent),
            "/api/sla/preview",
            json!({"plan": "assistance", "classification": {"category": "D"}, "registered_at": "2026-11-24T10:00:00Z"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // Assistance levels: 20 minutes, 24x7.
    assert_eq!(
        reply.body["first_response_deadline"],
        "2026-11-24T10:20:00Z"
    );
    let unknown = app
        .post(
            Some(&agent),
            "/api/sla/preview",
            json!({"plan": "gold", "classification": {"category": "D"}, "registered_at": "2026-11-24T10:00:00Z"}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.body["field"], "plan");
    let anna = app.token("customer@demo.example").await;
    let customer = app
        .post(
            Some(&anna),
            "/api/sla/preview",
            json!({"plan": "standard", "classification": {"category": "D"}, "registered_at": "2026-11-24T10:00:00Z"}),
        )
        .await;
    assert_eq!(customer.status, StatusCode::FORBIDDEN);
}
