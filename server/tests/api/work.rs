//! Issue 24, item 9 [004]: scheduled off-hours work agreed at least two working days ahead in
//! the plan's calendar, and paid work allowed only while the organisation's prepaid balance
//! covers it, with the time staff record on replies drawn from it. Also item 3: the plan
//! decides which clocks a hold pauses.

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use shared::calendar::{Calendar, CalendarSpec};
use shared::ticket::scheduled;

use crate::admin::northwind;
use crate::mail::{act, write};
use crate::plans::organisation_on;
use crate::support::TestApp;

crate::both!(
    scheduled_work_needs_two_working_days_of_notice_in_the_plans_calendar,
    scheduled_work_waits_on_hold_until_its_window_starts,
    paid_work_draws_the_prepaid_balance_and_stops_when_it_is_used_up,
    only_staff_record_minutes_and_only_admins_change_balances,
    the_plan_decides_which_clocks_pause_on_hold,
);

const ANNA: &str = "customer@demo.example";
const AGENT: &str = "agent@demo.example";

/// A customer of a new organisation on the HiveTaxi standard plan [004] (11-18 Omsk).
async fn hivetaxi_customer(app: &TestApp, name: &str) -> String {
    let admin = app.token("admin@demo.example").await;
    let plan = app
        .post(
            Some(&admin),
            "/api/admin/plan-templates/hivetaxi_standard",
            json!({}),
        )
        .await;
    assert!(plan.status.is_success(), "{}", plan.body);
    let key = plan.body["key"].as_str().expect("a plan key").to_owned();
    organisation_on(app, &admin, name, &key, json!({})).await.0
}

/// The calendar of the plan `token`'s new tickets run on.
async fn plan_calendar(app: &TestApp, token: &str) -> Calendar {
    let plan = app.get(Some(token), "/api/sla/plan").await;
    assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
    let spec: CalendarSpec =
        serde_json::from_value(plan.body["spec"]["calendar"].clone()).expect("a calendar");
    Calendar::new(&spec).expect("a valid calendar")
}

async fn file_scheduled(
    app: &TestApp,
    token: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> crate::support::Reply {
    app.post(
        Some(token),
        "/api/tickets",
        json!({"subject": "Reload the address catalogue", "description": "At night, please.",
            "category": "D", "product_version": "5.2",
            "scheduled_work": {"start": start, "end": end}}),
    )
    .await
}

async fn scheduled_work_needs_two_working_days_of_notice_in_the_plans_calendar(app: TestApp) {
    let customer = hivetaxi_customer(&app, "Omsk Taxi").await;
    let calendar = plan_calendar(&app, &customer).await;
    assert_eq!(calendar.timezone().name(), "Asia/Omsk");
    let now = app.state.clock.now();
    let earliest = scheduled::earliest_start(&calendar, now);
    // Two whole working days lie between now and the earliest start.
    let working_days = (1..=14)
        .map(|day| {
            (now + Duration::days(day))
                .with_timezone(&calendar.timezone())
                .date_naive()
        })
        .filter(|date| *date < earliest.with_timezone(&calendar.timezone()).date_naive())
        .filter(|date| calendar.is_working_day(*date))
        .count();
    assert!(working_days >= 1, "earliest {earliest} from {now}");

    let early = file_scheduled(
        &app,
        &customer,
        earliest - Duration::hours(1),
        earliest + Duration::hours(2),
    )
    .await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.body
    );
    let message = early.body["fields"]["scheduled_work.start"]
        .as_str()
        .unwrap_or_else(|| panic!("the start is named: {}", early.body));
    let earliest_text = scheduled::local_text(earliest, calendar.timezone());
    assert!(
        message.contains(&earliest_text) && message.contains("Asia/Omsk"),
        "{message} names {earliest_text}"
    );
    // The end comes after the start.
    let backwards = file_scheduled(&app, &customer, earliest, earliest - Duration::hours(1)).await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        backwards.body["fields"]["scheduled_work.end"].is_string(),
        "{}",
        backwards.body
    );
    // At the earliest start exactly, it is taken.
    let taken = file_scheduled(&app, &customer, earliest, earliest + Duration::hours(3)).await;
    assert_eq!(taken.status, StatusCode::CREATED, "{}", taken.body);
}

async fn scheduled_work_waits_on_hold_until_its_window_starts(app: TestApp) {
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    let calendar = plan_calendar(&app, &anna).await;
    let start = scheduled::earliest_start(&calendar, app.state.clock.now()) + Duration::hours(4);
    let end = start + Duration::hours(2);
    let created = file_scheduled(&app, &anna, start, end).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let reference = created.body["reference"].as_str().expect("ref").to_owned();
    assert_eq!(created.body["status"], "on_hold", "{}", created.body);
    assert_eq!(created.body["hold"]["kind"], "scheduled_work");
    assert_eq!(created.body["hold"]["reason"], "scheduled work");
    let until: DateTime<Utc> =
        serde_json::from_value(created.body["hold"]["until"].clone()).expect("until");
    assert_eq!(until, start);
    let window: DateTime<Utc> =
        serde_json::from_value(created.body["scheduled_work"]["start"].clone()).expect("start");
    assert_eq!(window, start);
    // Resolution waits while on hold (the plan's default `on_hold_pauses`).
    let resolution = &created.body["clocks"]["resolution"]["state"];
    assert!(
        resolution != "running" && resolution != "at_risk",
        "{}",
        created.body
    );

    // Staff see the window in the queue, and the ticket counts as paused.
    let queue = app
        .get(Some(&agent), "/api/tickets?q=address%20catalogue")
        .await;
    let row = queue.body["tickets"]
        .as_array()
        .and_then(|list| list.iter().find(|t| t["reference"] == reference.as_str()))
        .unwrap_or_else(|| panic!("{reference} in the queue: {}", queue.body))
        .clone();
    assert_eq!(row["status"], "on_hold");
    assert!(row["scheduled_work"]["end"].is_string(), "{row}");
    let counts = app
        .get(Some(&agent), "/api/tickets/counts?q=address%20catalogue")
        .await;
    assert_eq!(counts.body["paused"], 1, "{}", counts.body);
    assert_eq!(counts.body["total"], 1, "{}", counts.body);

    // The customer is told why it waits.
    let told = app
        .outbox_for(&reference)
        .await
        .into_iter()
        .any(|row| row.to_address == ANNA && row.subject.contains("On hold"));
    assert!(told, "the requester hears of the hold");

    // When the window starts, the ticket is back in work.
    let before = server::jobs::tick(
        &app.state.db,
        &app.state.composer,
        start - Duration::minutes(1),
        7,
    )
    .await
    .expect("tick");
    assert_eq!(before.resumed, 0);
    let after = server::jobs::tick(
        &app.state.db,
        &app.state.composer,
        start + Duration::minutes(1),
        7,
    )
    .await
    .expect("tick");
    assert_eq!(after.resumed, 1);
    let resumed = app
        .get(Some(&agent), &format!("/api/tickets/{reference}"))
        .await;
    assert_ne!(resumed.body["ticket"]["status"], "on_hold");
    assert_eq!(resumed.body["ticket"]["hold"], Value::Null);
}

async fn balance(app: &TestApp, token: &str, organisation_id: i64) -> Value {
    let reply = app
        .get(
            Some(token),
            &format!("/api/admin/organisations/{organisation_id}/balance"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

async fn file_paid(app: &TestApp, token: &str, subject: &str) -> crate::support::Reply {
    app.post(
        Some(token),
        "/api/tickets",
        json!({"subject": subject, "description": "Set up the voice gateway.",
            "category": "D", "product_version": "5.2", "paid": true}),
    )
    .await
}

async fn paid_work_draws_the_prepaid_balance_and_stops_when_it_is_used_up(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    let northwind = northwind(&app, &admin).await;
    assert_eq!(balance(&app, &admin, northwind).await["minutes"], 0);

    // Nothing prepaid: refused, naming the field.
    let refused = file_paid(&app, &anna, "Gateway").await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body["fields"]["paid"].is_string(),
        "{}",
        refused.body
    );

    // An admin tops it up: audited.
    let path = format!("/api/admin/organisations/{northwind}/balance");
    let topped = app
        .post(
            Some(&admin),
            &path,
            json!({"kind": "top_up", "minutes": 60, "comment": "Invoice 17"}),
        )
        .await;
    assert_eq!(topped.status, StatusCode::CREATED, "{}", topped.body);
    assert_eq!(topped.body["minutes"], 60);
    let audit = app
        .get(
            Some(&admin),
            &format!("/api/admin/audit?entity=organisation&entity_id={northwind}"),
        )
        .await;
    assert!(
        audit.body.to_string().contains("balance.change"),
        "{}",
        audit.body
    );

    // Now paid work is taken; the time staff record on it draws the balance.
    let created = file_paid(&app, &anna, "Gateway").await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["paid"], true);
    let reference = created.body["reference"].as_str().expect("ref").to_owned();
    write(
        &app,
        &agent,
        &reference,
        json!({"body": "The gateway is configured.", "minutes": 45}),
    )
    .await;
    write(
        &app,
        &agent,
        &reference,
        json!({"body": "Checked the dial plan too.", "internal": true, "minutes": 20}),
    )
    .await;
    let after = balance(&app, &admin, northwind).await;
    assert_eq!(after["minutes"], -5, "{after}");
    let entries = after["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 3, "{after}");
    assert_eq!(entries[0]["kind"], "work");
    assert_eq!(entries[0]["minutes"], -20);
    assert_eq!(entries[0]["ticket"], reference.as_str());
    assert_eq!(entries[0]["actor_name"], "Vera Agent");
    assert_eq!(entries[2]["kind"], "top_up");
    assert_eq!(entries[2]["comment"], "Invoice 17");

    // The thread shows the time on each message.
    let seen = app
        .get(Some(&agent), &format!("/api/tickets/{reference}"))
        .await;
    let reply = seen.body["messages"]
        .as_array()
        .and_then(|list| {
            list.iter()
                .find(|m| m["body"] == "The gateway is configured.")
        })
        .expect("the reply");
    assert_eq!(reply["minutes"], 45);
    assert_eq!(seen.body["internal_notes"][0]["minutes"], 20);

    // Time on an ordinary ticket is recorded but draws nothing.
    let ordinary = app
        .create_ticket(&anna, json!({"subject": "Question"}))
        .await;
    write(
        &app,
        &agent,
        &ordinary,
        json!({"body": "Answered.", "minutes": 15}),
    )
    .await;
    assert_eq!(balance(&app, &admin, northwind).await["minutes"], -5);

    // Used up: the next paid request is refused again.
    let again = file_paid(&app, &anna, "Gateway 2").await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );
    assert!(
        again.body["fields"]["paid"]
            .as_str()
            .is_some_and(|message| message.contains("-5")),
        "{}",
        again.body
    );
}

async fn only_staff_record_minutes_and_only_admins_change_balances(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let lead = app.token("lead@demo.example").await;
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    let northwind = northwind(&app, &admin).await;
    let reference = app
        .create_ticket(&anna, json!({"subject": "Minutes"}))
        .await;
    let messages = format!("/api/tickets/{reference}/messages");
    for (token, body) in [
        (&anna, json!({"body": "I spent an hour.", "minutes": 60})),
        (&agent, json!({"body": "Zero.", "minutes": 0})),
        (&agent, json!({"body": "Too long.", "minutes": 1441})),
    ] {
        let reply = app.post(Some(token), &messages, body.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            reply.body
        );
        assert!(
            reply.body["fields"]["minutes"].is_string(),
            "{}",
            reply.body
        );
    }
    let path = format!("/api/admin/organisations/{northwind}/balance");
    // Supervisors read the balance; agents do not; only admins change it.
    assert_eq!(balance(&app, &lead, northwind).await["minutes"], 0);
    assert_eq!(
        app.get(Some(&agent), &path).await.status,
        StatusCode::FORBIDDEN
    );
    let top_up = json!({"kind": "top_up", "minutes": 30, "comment": "Prepaid"});
    for token in [&lead, &agent, &anna] {
        let reply = app.post(Some(token), &path, top_up.clone()).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    }
    for (body, field) in [
        (
            json!({"kind": "top_up", "minutes": -30, "comment": "x"}),
            "minutes",
        ),
        (
            json!({"kind": "correction", "minutes": 0, "comment": "x"}),
            "minutes",
        ),
        (
            json!({"kind": "top_up", "minutes": 30, "comment": "  "}),
            "comment",
        ),
        (
            json!({"kind": "work", "minutes": -30, "comment": "x"}),
            "kind",
        ),
    ] {
        let reply = app.post(Some(&admin), &path, body.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            reply.body
        );
        assert!(
            reply.body["fields"][field].is_string(),
            "{body}: {}",
            reply.body
        );
    }
    let correction = app
        .post(
            Some(&admin),
            &path,
            json!({"kind": "correction", "minutes": -10, "comment": "Billing error"}),
        )
        .await;
    assert_eq!(
        correction.status,
        StatusCode::CREATED,
        "{}",
        correction.body
    );
    assert_eq!(correction.body["minutes"], -10);
    let unknown = app
        .post(
            Some(&admin),
            "/api/admin/organisations/999999/balance",
            top_up.clone(),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

async fn the_plan_decides_which_clocks_pause_on_hold(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let agent = app.token(AGENT).await;
    let plans = app.get(Some(&admin), "/api/admin/plans").await;
    let standard = plans
        .body
        .as_array()
        .and_then(|list| list.iter().find(|p| p["key"] == "standard"))
        .expect("the standard plan")
        .clone();
    let mut spec = standard["spec"].clone();
    spec["on_hold_pauses"] = json!(["first_response", "resolution"]);
    let edited = app
        .send_json(
            "PUT",
            Some(&admin),
            &format!("/api/admin/plans/{}", standard["id"]),
            json!({ "spec": spec, "calendar_id": standard["calendar_id"] }),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    let found = app
        .get(
            Some(&admin),
            &format!("/api/admin/plans/{}", standard["id"]),
        )
        .await;
    assert_eq!(
        found.body["spec"]["on_hold_pauses"],
        json!(["first_response", "resolution"]),
        "{}",
        found.body
    );
    // A contract on the new version: its hold pauses the first response too.
    let (customer, _) = organisation_on(&app, &admin, "Paused Ltd", "standard", json!({})).await;
    let reference = app
        .create_ticket(&customer, json!({"subject": "Hold me"}))
        .await;
    let held = app
        .post(
            Some(&agent),
            &format!("/api/tickets/{reference}/actions"),
            json!({"action": "hold", "reason": "Vendor fix", "reason_kind": "vendor_fix"}),
        )
        .await;
    assert_eq!(held.status, StatusCode::OK, "{}", held.body);
    assert_eq!(held.body["clocks"]["first_response"]["state"], "paused");
    // Resolution waits for "reproduced" under this plan's C rule, so only its state can tell.
    assert_ne!(held.body["clocks"]["resolution"]["state"], "running");
    // Under the demo contract, still on the version before, the first response runs on.
    let anna = app.token(ANNA).await;
    let older = app
        .create_ticket(&anna, json!({"subject": "Hold me too"}))
        .await;
    act(
        &app,
        &agent,
        &older,
        json!({"action": "hold", "reason": "Vendor fix", "reason_kind": "vendor_fix"}),
    )
    .await;
    let seen = app
        .get(Some(&agent), &format!("/api/tickets/{older}"))
        .await;
    assert_eq!(
        seen.body["ticket"]["clocks"]["first_response"]["state"],
        "running"
    );
}
