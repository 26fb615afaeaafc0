use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::json;

use crate::support::TestApp;

crate::both!(
    breaches_are_alerted_once_per_clock,
    unrated_resolved_tickets_close_after_the_configured_days,
    waiting_tickets_get_a_reminder_then_close_as_no_response,
);

async fn create(app: &TestApp, category: &str) -> String {
    let anna = app.token("customer@demo.example").await;
    let severity = if category == "C" {
        json!(2)
    } else {
        json!(null)
    };
    let reply = app
        .post(
            Some(&anna),
            "/api/tickets",
            json!({"subject": "Job", "description": "d", "category": category, "severity": severity, "product_version": "1"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["reference"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn breaches_are_alerted_once_per_clock(app: TestApp) {
    let reference = create(&app, "C").await;
    let later = Utc::now() + Duration::days(30);
    let first = server::jobs::tick(&app.state.db, &app.state.composer, later, 7)
        .await
        .expect("tick");
    assert!(first.alerts >= 1, "{first:?}");
    let second = server::jobs::tick(&app.state.db, &app.state.composer, later, 7)
        .await
        .expect("tick");
    assert_eq!(second.alerts, 0, "once per clock");
    let lead = app.token("lead@demo.example").await;
    let breached = app.get(Some(&lead), "/api/tickets?view=breached").await;
    let references: Vec<&str> = breached.body["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .filter_map(|t| t["reference"].as_str())
        .collect();
    assert!(references.contains(&reference.as_str()), "{references:?}");
    let notifications = app.get(Some(&lead), "/api/notifications").await;
    assert!(
        notifications.body.to_string().contains("breach"),
        "{}",
        notifications.body
    );
}

async fn unrated_resolved_tickets_close_after_the_configured_days(app: TestApp) {
    let reference = create(&app, "D").await;
    let agent = app.token("agent@demo.example").await;
    let resolved = app
        .post(
            Some(&agent),
            &format!("/api/tickets/{reference}/actions"),
            json!({"action": "resolve"}),
        )
        .await;
    assert_eq!(resolved.status, StatusCode::OK);
    let early = server::jobs::tick(
        &app.state.db,
        &app.state.composer,
        Utc::now() + Duration::days(6),
        7,
    )
    .await
    .expect("tick");
    assert_eq!(early.closed_unrated, 0);
    let late = server::jobs::tick(
        &app.state.db,
        &app.state.composer,
        Utc::now() + Duration::days(8),
        7,
    )
    .await
    .expect("tick");
    assert_eq!(late.closed_unrated, 1);
    let detail = app
        .get(Some(&agent), &format!("/api/tickets/{reference}"))
        .await;
    assert_eq!(detail.body["ticket"]["status"], "closed");
    assert_eq!(detail.body["ticket"]["close_reason"], "unrated");
}

async fn waiting_tickets_get_a_reminder_then_close_as_no_response(app: TestApp) {
    let reference = create(&app, "D").await;
    let agent = app.token("agent@demo.example").await;
    let asked = app
        .post(
            Some(&agent),
            &format!("/api/tickets/{reference}/actions"),
            json!({"action": "request_info", "comment": "Logs please"}),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    // Two working days later (at most four calendar days plus a weekend and holidays).
    let mut reminded = false;
    for days in 2..=6 {
        let report = server::jobs::tick(
            &app.state.db,
            &app.state.composer,
            Utc::now() + Duration::days(days),
            7,
        )
        .await
        .expect("tick");
        if report.reminders == 1 {
            reminded = true;
            break;
        }
    }
    assert!(reminded, "a reminder within six calendar days");
    let report = server::jobs::tick(
        &app.state.db,
        &app.state.composer,
        Utc::now() + Duration::days(20),
        7,
    )
    .await
    .expect("tick");
    assert_eq!(report.closed_no_response, 1);
    let detail = app
        .get(Some(&agent), &format!("/api/tickets/{reference}"))
        .await;
    assert_eq!(detail.body["ticket"]["close_reason"], "no_response");
}
