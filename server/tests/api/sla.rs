use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

crate::both!(
    preview_gives_deadlines_and_refuses_bad_input,
    the_plan_in_force_is_the_plan_a_new_ticket_gets
);

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

async fn the_plan_in_force_is_the_plan_a_new_ticket_gets(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let plan = app.get(Some(&anna), "/api/sla/plan").await;
    assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
    let created = app
        .post(
            Some(&anna),
            "/api/tickets",
            json!({"subject": "Plan check", "description": "x", "category": "D", "product_version": "5.2", "special": false}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(plan.body["key"], created.body["sla_level"]);
    assert_eq!(plan.body["name"], created.body["plan"]);
    assert!(plan.body["spec"]["rules"].is_array(), "{}", plan.body);
    // The calendar the clocks run on travels with the ticket, for the browser's countdown.
    assert!(created.body["calendar"].is_object(), "{}", created.body);
    let agent = app.token("agent@demo.example").await;
    let staff = app.get(Some(&agent), "/api/sla/plan").await;
    assert_eq!(staff.status, StatusCode::FORBIDDEN);
    let detail = app
        .get(
            Some(&agent),
            &format!(
                "/api/tickets/{}",
                created.body["reference"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(
        detail.body["plan_spec"], plan.body["spec"],
        "{}",
        detail.body
    );
}
