//! `GET /api/tickets/counts`: the queue's counters per state over a whole staff view.
//!
//! Every ticket these tests file has a subject starting with a word no demo ticket uses, so a
//! search for it counts exactly the tickets a test made; the states a running system reaches by
//! the passing of time (a warning threshold, a deadline) are stored in the derived columns
//! directly, as the background job or an action would store them.

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use server::db::entity::ticket;

use crate::mail::act;
use crate::support::TestApp;

const ANNA: &str = "customer@demo.example";
const BORIS: &str = "customer2@demo.example";
const AGENT: &str = "agent@demo.example";
const ENGINEER: &str = "engineer@demo.example";

crate::both!(
    counters_put_each_ticket_of_a_view_in_the_state_its_badge_shows,
    counters_count_the_whole_view_not_one_page,
    counters_agree_with_the_list_in_every_view,
    counters_are_for_staff_only,
    counters_count_tickets_on_hold_as_paused,
);

/// Files a ticket as `token` and returns its reference.
async fn file(app: &TestApp, token: &str, subject: &str, category: &str, special: bool) -> String {
    let severity = if category == "C" {
        json!(2)
    } else {
        Value::Null
    };
    let fields = json!({
        "subject": subject,
        "description": "The export hangs.",
        "category": category,
        "severity": severity,
        "special": special,
        "product_version": "5.2.1",
    });
    app.create_ticket(token, fields).await
}

/// Stores the derived columns the passing of time would have stored.
async fn store(
    app: &TestApp,
    reference: &str,
    next_deadline: Option<DateTime<Utc>>,
    at_risk: bool,
    breached: bool,
) {
    use ticket::Column as C;
    let result = ticket::Entity::update_many()
        .col_expr(C::NextDeadline, Expr::value(next_deadline))
        .col_expr(C::AtRisk, Expr::value(at_risk))
        .col_expr(C::Breached, Expr::value(breached))
        .filter(C::Reference.eq(reference))
        .exec(&app.state.db)
        .await
        .expect("update");
    assert_eq!(result.rows_affected, 1, "{reference}");
}

/// The counters of `query` as `token` sees them: [total, running, at_risk, breached, paused].
async fn counts(app: &TestApp, token: &str, query: &str) -> [u64; 5] {
    let reply = app
        .get(Some(token), &format!("/api/tickets/counts{query}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    let body = reply.body.as_object().expect("an object");
    let mut keys: Vec<&str> = body.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["at_risk", "breached", "paused", "running", "total"],
        "{query}"
    );
    ["total", "running", "at_risk", "breached", "paused"].map(|key| {
        body[key]
            .as_u64()
            .unwrap_or_else(|| panic!("{query}: {key} is not a count: {}", reply.body))
    })
}

/// Every reference `GET /api/tickets{query}` lists, page by page.
async fn listed(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let separator = if query.is_empty() { "?" } else { "&" };
    let mut references = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app
            .get(
                Some(token),
                &format!("/api/tickets{query}{separator}limit=200{cursor}"),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.body);
        for ticket in page.body["tickets"].as_array().expect("tickets") {
            references.push(ticket["reference"].as_str().unwrap_or_default().to_owned());
        }
        match page.body["meta"]["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return references,
        }
    }
}

async fn counters_put_each_ticket_of_a_view_in_the_state_its_badge_shows(app: TestApp) {
    let anna = app.token(ANNA).await;
    let boris = app.token(BORIS).await;
    let agent = app.token(AGENT).await;
    let engineer = app.token(ENGINEER).await;
    let now = Utc::now();

    // Running: fresh, unassigned, from either organisation.
    let fresh = file(&app, &anna, "Zebrafish fresh", "C", false).await;
    file(&app, &boris, "Zebrafish fresh too", "C", false).await;
    // Paused: the agent took it and asked the customer.
    let waiting = file(&app, &anna, "Zebrafish waiting", "C", false).await;
    act(&app, &agent, &waiting, json!({"action": "take"})).await;
    act(
        &app,
        &agent,
        &waiting,
        json!({"action": "request_info", "comment": "Which OS?"}),
    )
    .await;
    // Paused even though its first response was late: the row reads "waiting for customer".
    let waiting_late = file(&app, &anna, "Zebrafish waiting late", "C", false).await;
    act(
        &app,
        &agent,
        &waiting_late,
        json!({"action": "request_info", "comment": "Which OS?"}),
    )
    .await;
    store(&app, &waiting_late, None, false, true).await;
    // At risk: a special request past its warning threshold.
    let warned = file(&app, &boris, "Zebrafish warned", "C", true).await;
    store(&app, &warned, Some(now + Duration::hours(1)), true, false).await;
    // Breached: the agent's ticket whose nearest running deadline has passed.
    let overdue = file(&app, &anna, "Zebrafish overdue", "C", false).await;
    act(&app, &agent, &overdue, json!({"action": "take"})).await;
    store(&app, &overdue, Some(now - Duration::hours(1)), false, true).await;
    // Breached already, before the background job has looked: the deadline is past.
    let unnoticed = file(&app, &anna, "Zebrafish unnoticed", "C", false).await;
    store(
        &app,
        &unnoticed,
        Some(now - Duration::minutes(1)),
        true,
        false,
    )
    .await;
    // Breached when its clock stopped, and no clock runs now.
    let stopped_late = file(&app, &anna, "Zebrafish stopped late", "C", false).await;
    store(&app, &stopped_late, None, false, true).await;
    // In the breached view but running: a late first response, a resolution clock on time.
    let answered_late = file(&app, &anna, "Zebrafish answered late", "C", false).await;
    store(
        &app,
        &answered_late,
        Some(now + Duration::days(2)),
        false,
        true,
    )
    .await;
    // At L2, running: the engineer's queue.
    let escalated = file(&app, &boris, "Zebrafish escalated", "C", false).await;
    act(&app, &agent, &escalated, json!({"action": "take"})).await;
    act(&app, &agent, &escalated, json!({"action": "escalate"})).await;
    // No commitment (a feature request): only in the total.
    let idea = file(&app, &anna, "Zebrafish idea", "E", false).await;
    // Resolved: out of the open queue and of every counter.
    let resolved = file(&app, &anna, "Zebrafish resolved", "C", false).await;
    act(&app, &agent, &resolved, json!({"action": "resolve"})).await;

    // [total, running, at_risk, breached, paused]
    let search = "q=Zebrafish";
    assert_eq!(
        counts(&app, &agent, &format!("?{search}")).await,
        [11, 4, 1, 3, 2],
        "the open queue"
    );
    assert_eq!(
        counts(&app, &agent, &format!("?view=queue&{search}")).await,
        [11, 4, 1, 3, 2],
        "view=queue is the open queue"
    );
    assert_eq!(
        counts(&app, &agent, &format!("?view=mine&{search}")).await,
        [2, 0, 0, 1, 1],
        "the agent's own: waiting and overdue (an escalation leaves the assignee)"
    );
    assert_eq!(
        counts(&app, &engineer, &format!("?view=mine&{search}")).await,
        [0, 0, 0, 0, 0],
        "mine is the caller's"
    );
    assert_eq!(
        counts(&app, &agent, &format!("?view=unassigned&{search}")).await,
        [9, 4, 1, 2, 1],
        "everything nobody took, and the escalated one"
    );
    assert_eq!(
        counts(&app, &engineer, &format!("?view=l2&{search}")).await,
        [1, 1, 0, 0, 0],
        "the escalated one"
    );
    assert_eq!(
        counts(&app, &agent, &format!("?view=special&{search}")).await,
        [1, 0, 1, 0, 0],
        "the special request"
    );
    assert_eq!(
        counts(&app, &agent, &format!("?view=at_risk&{search}")).await,
        [2, 0, 1, 1, 0],
        "the warned one, and the one whose deadline passed since"
    );
    assert_eq!(
        counts(&app, &agent, &format!("?view=breached&{search}")).await,
        [4, 1, 0, 2, 1],
        "any breach: overdue, stopped late, answered late, waiting late"
    );

    // The search narrows to a subject or a reference, as the list's does.
    assert_eq!(
        counts(&app, &agent, "?q=Zebrafish%20fresh").await,
        [2, 2, 0, 0, 0]
    );
    assert_eq!(
        counts(&app, &agent, &format!("?q={}", fresh.to_lowercase())).await,
        [1, 1, 0, 0, 0],
        "a reference, in any case"
    );
    assert_eq!(
        counts(&app, &agent, &format!("?view=breached&q={overdue}")).await,
        [1, 0, 0, 1, 0]
    );
    assert_eq!(
        counts(&app, &agent, &format!("?q={resolved}")).await,
        [0, 0, 0, 0, 0]
    );
    assert_eq!(
        counts(&app, &agent, &format!("?q={idea}")).await,
        [1, 0, 0, 0, 0]
    );
    assert_eq!(
        counts(&app, &agent, "?q=no%25such_ticket").await,
        [0, 0, 0, 0, 0],
        "wildcards are plain characters"
    );

    // Live: an answer moves a ticket from paused to running, a new one adds to the total.
    let answered = app
        .post(
            Some(&anna),
            &format!("/api/tickets/{waiting}/messages"),
            json!({"body": "Debian 12"}),
        )
        .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.body);
    file(&app, &boris, "Zebrafish latecomer", "C", false).await;
    assert_eq!(
        counts(&app, &agent, &format!("?{search}")).await,
        [12, 6, 1, 3, 1]
    );
}

async fn counters_count_the_whole_view_not_one_page(app: TestApp) {
    let anna = app.token(ANNA).await;
    let boris = app.token(BORIS).await;
    let agent = app.token(AGENT).await;
    for index in 0..56 {
        let customer = if index % 2 == 0 { &anna } else { &boris };
        file(&app, customer, &format!("Walrus {index}"), "C", false).await;
    }
    let page = app.get(Some(&agent), "/api/tickets?q=Walrus").await;
    assert_eq!(page.body["tickets"].as_array().map(Vec::len), Some(50));
    assert!(
        page.body["meta"]["next_cursor"].is_string(),
        "{}",
        page.body
    );
    assert_eq!(
        counts(&app, &agent, "?q=Walrus").await,
        [56, 56, 0, 0, 0],
        "every match, not the first page"
    );
    assert_eq!(
        counts(&app, &agent, "?view=unassigned&q=Walrus").await,
        [56, 56, 0, 0, 0]
    );
    // The cursor and limit of a page mean nothing to a count.
    assert_eq!(
        counts(&app, &agent, "?q=Walrus&limit=5&cursor=zzz").await,
        [56, 56, 0, 0, 0]
    );
}

async fn counters_agree_with_the_list_in_every_view(app: TestApp) {
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    let lead = app.token("lead@demo.example").await;
    let taken = file(&app, &anna, "Narwhal taken", "C", false).await;
    act(&app, &agent, &taken, json!({"action": "take"})).await;
    let escalated = file(&app, &anna, "Narwhal escalated", "C", true).await;
    act(&app, &agent, &escalated, json!({"action": "take"})).await;
    act(&app, &agent, &escalated, json!({"action": "escalate"})).await;
    let late = file(&app, &anna, "Narwhal late", "D", false).await;
    store(
        &app,
        &late,
        Some(Utc::now() - Duration::minutes(5)),
        true,
        true,
    )
    .await;
    for token in [&agent, &lead] {
        for view in [
            "",
            "queue",
            "mine",
            "unassigned",
            "l2",
            "special",
            "at_risk",
            "breached",
        ] {
            for search in ["", "Narwhal"] {
                let query = match (view, search) {
                    ("", "") => String::new(),
                    ("", search) => format!("?q={search}"),
                    (view, "") => format!("?view={view}"),
                    (view, search) => format!("?view={view}&q={search}"),
                };
                let [total, running, at_risk, breached, paused] = counts(&app, token, &query).await;
                let references = listed(&app, token, &query).await;
                assert_eq!(
                    total,
                    references.len() as u64,
                    "{query}: the total is what the list shows"
                );
                assert!(
                    running + at_risk + breached + paused <= total,
                    "{query}: each ticket in one counter at most"
                );
            }
        }
    }
}

async fn counters_are_for_staff_only(app: TestApp) {
    let anna = app.token(ANNA).await;
    file(&app, &anna, "Ocelot", "C", false).await;
    for query in ["", "?q=Ocelot", "?view=mine"] {
        let refused = app
            .get(Some(&anna), &format!("/api/tickets/counts{query}"))
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{query}");
        assert_eq!(refused.body["error"], "forbidden", "{}", refused.body);
        assert!(
            refused.body.get("total").is_none(),
            "no figure leaks: {}",
            refused.body
        );
    }
    assert_eq!(
        app.get(None, "/api/tickets/counts").await.status,
        StatusCode::UNAUTHORIZED
    );
    // The customer's own list is untouched by the new route.
    let list = app.get(Some(&anna), "/api/tickets").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    for staff in [AGENT, ENGINEER, "lead@demo.example", "admin@demo.example"] {
        let token = app.token(staff).await;
        let allowed = app.get(Some(&token), "/api/tickets/counts").await;
        assert_eq!(allowed.status, StatusCode::OK, "{staff}: {}", allowed.body);
    }
    let agent = app.token(AGENT).await;
    let bad = app
        .get(Some(&agent), "/api/tickets/counts?view=everything")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["field"], "view");
}

/// Issue 24, item 4: a ticket on hold is paused in the counters whatever its stored deadline
/// and flags say (its first response may still run, or have passed, under the plan).
async fn counters_count_tickets_on_hold_as_paused(app: TestApp) {
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    let now = Utc::now();
    let held = file(&app, &anna, "Quokka held", "C", false).await;
    let held_late = file(&app, &anna, "Quokka held late", "C", false).await;
    let running = file(&app, &anna, "Quokka running", "C", false).await;
    for reference in [&held, &held_late] {
        act(
            &app,
            &agent,
            reference,
            json!({"action": "hold", "reason": "Vendor fix", "reason_kind": "vendor_fix"}),
        )
        .await;
    }
    // The held tickets' stored state says at risk and breached; the counters say paused.
    store(&app, &held, Some(now + Duration::hours(1)), true, false).await;
    store(&app, &held_late, Some(now - Duration::hours(1)), true, true).await;
    store(&app, &running, Some(now + Duration::hours(5)), false, false).await;
    assert_eq!(
        counts(&app, &agent, "?q=Quokka").await,
        [3, 1, 0, 0, 2],
        "[total, running, at_risk, breached, paused]"
    );
    // Resumed, the ticket counts by its clocks again.
    act(&app, &agent, &held_late, json!({"action": "resume"})).await;
    store(&app, &held_late, Some(now - Duration::hours(1)), true, true).await;
    assert_eq!(counts(&app, &agent, "?q=Quokka").await, [3, 1, 0, 1, 1]);
}
