//! The customer's side of a ticket: the support's own steps (taking, escalating, linking a known
//! error) and the escalation clock stay with the staff, on the ticket page and on the live stream.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::TestApp;

const ANNA: &str = "customer@demo.example";
const AGENT: &str = "agent@demo.example";

crate::both!(
    customers_see_neither_support_steps_nor_the_escalation_clock,
    the_live_stream_keeps_support_steps_from_customers,
);

/// Files a ticket as Anna, then the agent takes it, answers and escalates it: its reference.
async fn worked_ticket(app: &TestApp) -> String {
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    let reference = app
        .create_ticket(
            &anna,
            json!({
                "subject": "Export hangs",
                "description": "The export hangs at 90%.",
                "category": "C",
                "severity": 2,
                "product_version": "5.2.1",
            }),
        )
        .await;
    let actions = format!("/api/tickets/{reference}/actions");
    let taken = app
        .post(Some(&agent), &actions, json!({"action": "take"}))
        .await;
    assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
    let answered = app
        .post(
            Some(&agent),
            &format!("/api/tickets/{reference}/messages"),
            json!({"body": "Looking into it.", "internal": false}),
        )
        .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.body);
    let escalated = app
        .post(
            Some(&agent),
            &actions,
            json!({"action": "escalate", "comment": "Needs the second line."}),
        )
        .await;
    assert_eq!(escalated.status, StatusCode::OK, "{}", escalated.body);
    reference
}

fn kinds(detail: &Value) -> Vec<String> {
    detail["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|event| event["kind"].as_str().map(str::to_owned))
        .collect()
}

async fn customers_see_neither_support_steps_nor_the_escalation_clock(app: TestApp) {
    let reference = worked_ticket(&app).await;
    let path = format!("/api/tickets/{reference}");
    let agent = app.token(AGENT).await;
    let staff = app.get(Some(&agent), &path).await;
    assert_eq!(staff.status, StatusCode::OK, "{}", staff.body);
    let staff_kinds = kinds(&staff.body);
    for kind in ["take", "escalate"] {
        assert!(staff_kinds.iter().any(|k| k == kind), "{staff_kinds:?}");
    }
    assert!(
        staff.body["ticket"]["clocks"]["escalation"].is_object(),
        "{}",
        staff.body["ticket"]["clocks"]
    );

    let anna = app.token(ANNA).await;
    let customer = app.get(Some(&anna), &path).await;
    assert_eq!(customer.status, StatusCode::OK, "{}", customer.body);
    assert_eq!(customer.body["ticket"]["status"], "escalated");
    let customer_kinds = kinds(&customer.body);
    for kind in ["take", "escalate", "assign", "link_known_error"] {
        assert!(
            !customer_kinds.iter().any(|k| k == kind),
            "{kind} in {customer_kinds:?}"
        );
    }
    // What the customer does see of the work: the reply, and the registration.
    assert!(
        customer_kinds.iter().any(|k| k == "agent_reply"),
        "{customer_kinds:?}"
    );
    let clocks = &customer.body["ticket"]["clocks"];
    assert!(clocks["escalation"].is_null(), "{clocks}");
    assert!(clocks["resolution"].is_object(), "{clocks}");
    // The ticket row the action answers with follows the same rule.
    let reply = app
        .post(
            Some(&anna),
            &format!("{path}/actions"),
            json!({"action": "expedite", "comment": "Our month end is tomorrow."}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply.body["clocks"]["escalation"].is_null(),
        "{}",
        reply.body
    );
}

/// Everything the event stream replays to `token` from the start of the log, as text.
async fn replayed(app: &TestApp, token: &str) -> String {
    let response = app
        .router
        .clone()
        .oneshot(
            Request::get("/api/events")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header("last-event-id", "0")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    let mut text = String::new();
    while let Ok(Some(Ok(frame))) =
        tokio::time::timeout(Duration::from_millis(700), body.frame()).await
    {
        if let Ok(data) = frame.into_data() {
            text.push_str(&String::from_utf8_lossy(&data));
        }
    }
    text
}

async fn the_live_stream_keeps_support_steps_from_customers(app: TestApp) {
    let reference = worked_ticket(&app).await;
    let agent = app.token(AGENT).await;
    let staff = replayed(&app, &agent).await;
    assert!(staff.contains(&reference), "{staff}");
    assert!(staff.contains("\"event\":\"take\""), "{staff}");
    assert!(staff.contains("\"event\":\"escalate\""), "{staff}");

    let anna = app.token(ANNA).await;
    let customer = replayed(&app, &anna).await;
    assert!(customer.contains(&reference), "{customer}");
    assert!(customer.contains("\"event\":\"agent_reply\""), "{customer}");
    assert!(!customer.contains("\"event\":\"take\""), "{customer}");
    assert!(!customer.contains("\"event\":\"escalate\""), "{customer}");
}
