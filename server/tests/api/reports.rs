use axum::http::{StatusCode, header};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};
use server::db::entity::ticket;

use crate::support::TestApp;

crate::both!(
    sla_report_counts_met_and_breached_clocks_by_group,
    sla_report_downloads_as_csv,
    reports_are_for_supervisors_and_admins_only,
    report_parameters_are_validated_with_the_field,
    csat_report_averages_the_ratings,
    reopen_report_divides_reopens_by_resolutions,
    backlog_report_buckets_open_tickets_by_age,
    expedite_requests_list_newest_first_for_supervisors,
);

/// A plan on a 24x7 calendar with short targets, so met and breached are independent of the
/// hour the test runs at.
fn tiny_plan() -> Value {
    json!({
        "name": "Tiny",
        "calendar": {"always_open": true},
        "rules": [{"first_response": {"kind": "working", "minutes": 30},
                   "resolution": {"kind": "working", "minutes": 60}}]
    })
}

/// An organisation on the tiny plan with one customer; returns the customer's token.
async fn tiny_customer(app: &TestApp) -> String {
    let admin = app.token("admin@demo.example").await;
    let plan = app
        .post(
            Some(&admin),
            "/api/admin/plans",
            json!({"key": "tiny", "spec": tiny_plan()}),
        )
        .await;
    assert_eq!(plan.status, StatusCode::CREATED, "{}", plan.body);
    let organisation = app
        .post(
            Some(&admin),
            "/api/admin/organisations",
            json!({"name": "Kama Foods"}),
        )
        .await;
    assert_eq!(organisation.status, StatusCode::CREATED);
    let organisation_id = organisation.body["id"].as_i64().expect("id");
    let today = Utc::now().date_naive();
    let contract = app
        .post(
            Some(&admin),
            "/api/admin/contracts",
            json!({"organisation_id": organisation_id, "plan": "tiny",
                   "valid_from": today - Duration::days(1), "valid_to": today + Duration::days(30),
                   "account_limit": 2}),
        )
        .await;
    assert_eq!(contract.status, StatusCode::CREATED, "{}", contract.body);
    let customer = app
        .post(
            Some(&admin),
            "/api/admin/users",
            json!({"email": "olga@kama.example", "name": "Olga Kama", "role": "customer",
                   "organisation_id": organisation_id}),
        )
        .await;
    assert_eq!(customer.status, StatusCode::CREATED, "{}", customer.body);
    let token = app.token("olga@kama.example").await;
    // The admin's one-time password is changed before anything else.
    let given = customer.body["password"].as_str().expect("password");
    let changed = app
        .post(
            Some(&token),
            "/api/me/password",
            json!({"current_password": given, "new_password": "olga's own password"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.body);
    token
}

async fn file(app: &TestApp, token: &str, subject: &str) -> String {
    let reply = app
        .post(
            Some(token),
            "/api/tickets",
            json!({"subject": subject, "description": "d", "category": "D", "product_version": "1"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["reference"]
        .as_str()
        .expect("reference")
        .to_owned()
}

async fn act(app: &TestApp, token: &str, reference: &str, body: Value) {
    let reply = app
        .post(
            Some(token),
            &format!("/api/tickets/{reference}/actions"),
            body,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

/// Two tickets of Kama Foods: the first answered and resolved at once (both clocks met), the
/// second left alone until the jobs run two days later (both clocks breached).
async fn met_and_breached(app: &TestApp) -> (String, String) {
    let olga = tiny_customer(app).await;
    let agent = app.token("agent@demo.example").await;
    let answered = file(app, &olga, "Answered").await;
    let ignored = file(app, &olga, "Ignored").await;
    let reply = app
        .post(
            Some(&agent),
            &format!("/api/tickets/{answered}/messages"),
            json!({"body": "Here is the answer"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    act(app, &agent, &answered, json!({"action": "resolve"})).await;
    server::jobs::tick(
        &app.state.db,
        &app.state.composer,
        Utc::now() + Duration::days(2),
        7,
    )
    .await
    .expect("tick");
    (answered, ignored)
}

fn group<'a>(report: &'a Value, label: &str) -> &'a Value {
    report["groups"]
        .as_array()
        .and_then(|groups| groups.iter().find(|g| g["label"] == label))
        .unwrap_or_else(|| panic!("no group {label} in {report}"))
}

async fn sla_report_counts_met_and_breached_clocks_by_group(app: TestApp) {
    let (answered, ignored) = met_and_breached(&app).await;
    let lead = app.token("lead@demo.example").await;
    let report = app
        .get(Some(&lead), "/api/reports/sla?group_by=organisation")
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let kama = group(&report.body, "Kama Foods");
    assert_eq!(kama["tickets"], 2);
    assert_eq!(
        kama["first_response"],
        json!({"met": 1, "breached": 1, "percent": 50.0})
    );
    assert_eq!(
        kama["resolution"],
        json!({"met": 1, "breached": 1, "percent": 50.0})
    );
    // The demo tickets are in the total too.
    assert!(report.body["total"]["tickets"].as_u64() >= Some(7));
    let breaches: Vec<&Value> = report.body["breaches"]
        .as_array()
        .expect("breaches")
        .iter()
        .filter(|b| b["reference"] == ignored.as_str())
        .collect();
    assert_eq!(breaches.len(), 2, "{}", report.body["breaches"]);
    let clocks: Vec<&str> = breaches
        .iter()
        .filter_map(|b| b["clock"].as_str())
        .collect();
    assert!(clocks.contains(&"first_response") && clocks.contains(&"resolution"));
    for breach in &breaches {
        assert!(breach["deadline"].is_string(), "{breach}");
        assert!(breach["stopped_at"].is_null(), "still running: {breach}");
        assert_eq!(breach["organisation"], "Kama Foods");
    }
    assert!(
        !report.body["breaches"]
            .to_string()
            .contains(answered.as_str()),
        "the answered ticket met both clocks"
    );

    let by_plan = app.get(Some(&lead), "/api/reports/sla?group_by=plan").await;
    assert_eq!(by_plan.status, StatusCode::OK);
    let tiny = group(&by_plan.body, "Tiny");
    assert_eq!(tiny["tickets"], 2);
    assert_eq!(tiny["first_response"]["percent"], 50.0);

    let by_category = app
        .get(Some(&lead), "/api/reports/sla?group_by=category")
        .await;
    assert_eq!(by_category.status, StatusCode::OK);
    assert_eq!(group(&by_category.body, "D")["key"], "D");

    let by_agent = app
        .get(Some(&lead), "/api/reports/sla?group_by=agent")
        .await;
    assert_eq!(by_agent.status, StatusCode::OK, "{}", by_agent.body);
    assert_eq!(
        by_agent.body["total"]["tickets"],
        report.body["total"]["tickets"]
    );

    // A period without the tickets has none of them.
    let old = app
        .get(
            Some(&lead),
            "/api/reports/sla?from=2020-01-01&to=2020-01-31",
        )
        .await;
    assert_eq!(old.status, StatusCode::OK);
    assert_eq!(old.body["total"]["tickets"], 0);
    assert_eq!(old.body["total"]["first_response"]["percent"], Value::Null);
    assert_eq!(
        old.body["period"],
        json!({"from": "2020-01-01", "to": "2020-01-31"})
    );
}

async fn sla_report_downloads_as_csv(app: TestApp) {
    met_and_breached(&app).await;
    let lead = app.token("lead@demo.example").await;
    let csv = app
        .get(
            Some(&lead),
            "/api/reports/sla?group_by=organisation&format=csv",
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let disposition = csv.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii");
    assert!(
        disposition.starts_with("attachment; filename=\"sla-organisation-"),
        "{disposition}"
    );
    let text = csv.body.as_str().expect("text");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "organisation,key,tickets,first_response_met,first_response_breached,\
         first_response_percent,resolution_met,resolution_breached,resolution_percent"
    );
    let kama = lines
        .iter()
        .find(|line| line.starts_with("Kama Foods,"))
        .expect("a Kama Foods row");
    assert!(kama.ends_with(",2,1,1,50.0,1,1,50.0"), "{kama}");
    assert!(lines.last().is_some_and(|line| line.starts_with("Total,,")));
    for line in &lines {
        assert_eq!(line.split(',').count(), 9, "{line}");
    }
    for path in [
        "/api/reports/csat?format=csv",
        "/api/reports/reopens?format=csv",
        "/api/reports/backlog?format=csv",
    ] {
        let reply = app.get(Some(&lead), path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(
            reply.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .is_ok_and(|d| d.starts_with("attachment;")),
            "{path}"
        );
        let body = reply.body.as_str().expect("csv text");
        assert!(body.contains("\r\n"), "{path}: {body}");
    }
}

async fn reports_are_for_supervisors_and_admins_only(app: TestApp) {
    let paths = [
        "/api/reports/sla",
        "/api/reports/csat",
        "/api/reports/reopens",
        "/api/reports/backlog",
        "/api/reports/sla?format=csv",
        "/api/expedite-requests",
    ];
    for email in [
        "agent@demo.example",
        "engineer@demo.example",
        "customer@demo.example",
    ] {
        let token = app.token(email).await;
        for path in paths {
            let reply = app.get(Some(&token), path).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{email} {path}");
            assert_eq!(reply.body["error"], "forbidden");
        }
    }
    for email in ["lead@demo.example", "admin@demo.example"] {
        let token = app.token(email).await;
        for path in paths {
            let reply = app.get(Some(&token), path).await;
            assert_eq!(
                reply.status,
                StatusCode::OK,
                "{email} {path}: {}",
                reply.body
            );
        }
    }
    assert_eq!(
        app.get(None, "/api/reports/sla").await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn report_parameters_are_validated_with_the_field(app: TestApp) {
    let lead = app.token("lead@demo.example").await;
    for (path, field) in [
        ("/api/reports/sla?group_by=team", "group_by"),
        ("/api/reports/sla?from=01.12.2026", "from"),
        ("/api/reports/sla?to=2026-02-30", "to"),
        ("/api/reports/csat?from=2026-02-01&to=2026-01-01", "to"),
        ("/api/reports/reopens?from=1990-01-01&to=2026-01-01", "to"),
        ("/api/reports/backlog?format=xlsx", "format"),
        ("/api/expedite-requests?cursor=abc", "cursor"),
    ] {
        let reply = app.get(Some(&lead), path).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert_eq!(reply.body["error"], "validation", "{path}");
        assert_eq!(reply.body["field"], field, "{path}");
        assert!(reply.body["message"].is_string(), "{path}");
    }
    let bad_limit = app
        .get(Some(&lead), "/api/expedite-requests?limit=many")
        .await;
    assert_eq!(bad_limit.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_limit.body["error"], "bad_request");
}

async fn csat_report_averages_the_ratings(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    for score in [5, 3] {
        let reference = file(&app, &anna, "Rate me").await;
        act(&app, &agent, &reference, json!({"action": "resolve"})).await;
        let rated = app
            .post(
                Some(&anna),
                &format!("/api/tickets/{reference}/rating"),
                json!({"score": score}),
            )
            .await;
        assert_eq!(rated.status, StatusCode::CREATED, "{}", rated.body);
    }
    let lead = app.token("lead@demo.example").await;
    let report = app.get(Some(&lead), "/api/reports/csat").await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    assert_eq!(report.body["count"], 2);
    assert_eq!(report.body["average"], 4.0);
    let counts: Vec<u64> = report.body["distribution"]
        .as_array()
        .expect("distribution")
        .iter()
        .filter_map(|d| d["count"].as_u64())
        .collect();
    assert_eq!(counts, [0, 0, 1, 0, 1]);
    let csv = app.get(Some(&lead), "/api/reports/csat?format=csv").await;
    assert_eq!(
        csv.body.as_str(),
        Some("score,count\r\n1,0\r\n2,0\r\n3,1\r\n4,0\r\n5,1\r\n")
    );
    let none = app
        .get(
            Some(&lead),
            "/api/reports/csat?from=2020-01-01&to=2020-12-31",
        )
        .await;
    assert_eq!(none.body["count"], 0);
    assert_eq!(none.body["average"], Value::Null);
}

async fn reopen_report_divides_reopens_by_resolutions(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let reopened = file(&app, &anna, "Comes back").await;
    let once = file(&app, &anna, "Stays fixed").await;
    act(&app, &agent, &reopened, json!({"action": "resolve"})).await;
    act(
        &app,
        &anna,
        &reopened,
        json!({"action": "reopen", "comment": "still broken"}),
    )
    .await;
    act(&app, &agent, &reopened, json!({"action": "resolve"})).await;
    act(&app, &agent, &once, json!({"action": "resolve"})).await;
    let lead = app.token("lead@demo.example").await;
    let report = app.get(Some(&lead), "/api/reports/reopens").await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    assert_eq!(report.body["resolved"], 3);
    assert_eq!(report.body["reopened"], 1);
    assert_eq!(report.body["rate"], 33.3);
    let csv = app
        .get(Some(&lead), "/api/reports/reopens?format=csv")
        .await;
    let text = csv.body.as_str().expect("csv");
    assert!(text.starts_with("from,to,resolved,reopened,rate_percent\r\n"));
    assert!(text.ends_with(",3,1,33.3\r\n"), "{text}");
}

async fn backlog_report_buckets_open_tickets_by_age(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let ten_days = file(&app, &anna, "Ten days old").await;
    let forty_days = file(&app, &anna, "Forty days old").await;
    let agent = app.token("agent@demo.example").await;
    let resolved = file(&app, &anna, "Not in the backlog").await;
    act(&app, &agent, &resolved, json!({"action": "resolve"})).await;
    // Age two tickets by moving their registration time back.
    for (reference, days) in [(&ten_days, 10), (&forty_days, 40)] {
        ticket::Entity::update_many()
            .set(ticket::ActiveModel {
                registered_at: Set(Utc::now() - Duration::days(days)),
                ..Default::default()
            })
            .filter(ticket::Column::Reference.eq(reference.as_str()))
            .exec(&app.state.db)
            .await
            .expect("age the ticket");
    }
    let lead = app.token("lead@demo.example").await;
    let report = app.get(Some(&lead), "/api/reports/backlog").await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let buckets = report.body["buckets"].as_array().expect("buckets");
    let keys: Vec<&str> = buckets.iter().filter_map(|b| b["key"].as_str()).collect();
    assert_eq!(keys, ["lt_1d", "1_3d", "3_7d", "7_30d", "gt_30d"]);
    let counts: Vec<u64> = buckets.iter().filter_map(|b| b["count"].as_u64()).collect();
    // The five open demo tickets are new; the resolved one is not counted.
    assert_eq!(counts, [5, 0, 0, 1, 1]);
    assert_eq!(report.body["total"], 7);
}

async fn expedite_requests_list_newest_first_for_supervisors(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let first = file(&app, &anna, "Slow").await;
    let second = file(&app, &anna, "Slower").await;
    act(&app, &anna, &first, json!({"action": "expedite"})).await;
    act(
        &app,
        &anna,
        &second,
        json!({"action": "expedite", "comment": "our plant is waiting"}),
    )
    .await;
    let lead = app.token("lead@demo.example").await;
    let list = app.get(Some(&lead), "/api/expedite-requests").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let requests = list.body["requests"].as_array().expect("requests");
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0]["reference"], second.as_str());
    assert_eq!(requests[0]["comment"], "our plant is waiting");
    assert_eq!(requests[0]["requested_by"], "Anna Customer");
    assert_eq!(requests[0]["organisation"], "Northwind Logistics");
    assert_eq!(requests[1]["reference"], first.as_str());
    assert_eq!(requests[1]["comment"], Value::Null);
    let page = app.get(Some(&lead), "/api/expedite-requests?limit=1").await;
    assert_eq!(page.body["requests"].as_array().map(Vec::len), Some(1));
    let cursor = page.body["meta"]["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let next = app
        .get(
            Some(&lead),
            &format!("/api/expedite-requests?limit=1&cursor={cursor}"),
        )
        .await;
    assert_eq!(next.body["requests"][0]["reference"], first.as_str());
    assert!(next.body["meta"]["next_cursor"].is_null());
}
