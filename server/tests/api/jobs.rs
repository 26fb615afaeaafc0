use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::json;

use crate::support::TestApp;

crate::both!(
    breaches_are_alerted_once_per_clock,
    unrated_resolved_tickets_close_after_the_configured_days,
    waiting_tickets_get_a_reminder_then_close_as_no_response,
    stale_tickets_are_recomputed_once_each_by_concurrent_runs,
);

async fn create(app: &TestApp, category: &str) -> String {
    let anna = app.token("customer@demo.example").await;
    let severity = if category == "C" {
        json!(2)
    } else {
        json!(null)
    };
    let fields = json!({"subject": "Job", "category": category, "severity": severity});
    app.create_ticket(&anna, fields).await
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
    let engineer = app.token("engineer@demo.example").await;
    let follow = app.follow(&engineer, &reference).await;
    assert_eq!(follow.status, StatusCode::NO_CONTENT, "{}", follow.body);
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
    // The ticket's follower hears of the closing, as the requester does.
    assert_eq!(
        app.notifications("engineer@demo.example", "closed").await,
        1,
        "the follower is told of the closing"
    );
    assert_eq!(
        app.notifications("customer@demo.example", "closed").await,
        1
    );
}

async fn stale_tickets_are_recomputed_once_each_by_concurrent_runs(app: TestApp) {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
    use server::db::entity::ticket;
    // More than one batch of tickets, every one stale with blanked derived columns.
    for _ in 0..3 {
        create(&app, "D").await;
    }
    let total = ticket::Entity::find()
        .count(&app.state.db)
        .await
        .expect("count");
    ticket::Entity::update_many()
        .set(ticket::ActiveModel {
            derived_stale: Set(true),
            next_deadline: Set(None),
            ..Default::default()
        })
        .exec(&app.state.db)
        .await
        .expect("mark stale");
    let now = Utc::now();
    let recomputed = match app.state.db.get_database_backend() {
        // Two instances at once: SKIP LOCKED hands each ticket to one of them.
        sea_orm::DatabaseBackend::Postgres => {
            let (a, b) = tokio::join!(
                server::jobs::recompute_stale(&app.state.db, now),
                server::jobs::recompute_stale(&app.state.db, now)
            );
            let (a, b) = (a.expect("first"), b.expect("second"));
            a.1 + b.1
        }
        // SQLite runs one instance.
        _ => {
            server::jobs::tick(&app.state.db, &app.state.composer, now, 7)
                .await
                .expect("tick")
                .recomputed
        }
    };
    assert_eq!(recomputed as u64, total);
    let stale = ticket::Entity::find()
        .filter(ticket::Column::DerivedStale.eq(true))
        .count(&app.state.db)
        .await
        .expect("count");
    assert_eq!(stale, 0);
    let without_deadline = ticket::Entity::find()
        .filter(ticket::Column::Open.eq(true))
        .filter(ticket::Column::Category.eq("D"))
        .filter(ticket::Column::NextDeadline.is_null())
        .count(&app.state.db)
        .await
        .expect("count");
    assert_eq!(without_deadline, 0, "the deadlines are back");
}
