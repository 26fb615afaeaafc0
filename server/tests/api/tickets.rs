use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::support::TestApp;

const ANNA: &str = "customer@demo.example";
const BORIS: &str = "customer2@demo.example";
const AGENT: &str = "agent@demo.example";
const ENGINEER: &str = "engineer@demo.example";

crate::both!(
    a_customer_registers_a_ticket_with_plan_clocks_and_acknowledgement,
    registrations_at_once_each_get_their_own_ticket,
    bad_classifications_are_422_with_the_field,
    staff_cannot_register_tickets_for_themselves,
    another_organisations_ticket_is_404_and_absent_from_lists,
    internal_notes_never_reach_customers,
    a_stale_if_match_is_409_with_the_current_ticket,
    two_actions_with_the_same_version_one_gets_409,
    customers_cannot_take_staff_actions,
    waiting_for_customer_reopens_on_a_customer_message,
    staff_views_and_keyset_paging,
    an_expired_contract_follows_its_on_expiry_setting,
    resolve_then_reopen_is_counted,
    oversized_bodies_are_413,
    writes_are_rate_limited_with_retry_after,
    user_text_is_stored_as_written,
    unknown_reference_is_404_and_bad_if_match_is_400,
);

fn new_ticket(subject: &str) -> Value {
    json!({
        "subject": subject,
        "description": "The export hangs.",
        "category": "C",
        "severity": 2,
        "special": false,
        "product_version": "5.2.1",
    })
}

/// The kinds of a ticket detail's events, in order.
fn event_kinds(detail: &Value) -> Vec<&str> {
    detail["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|event| event["kind"].as_str())
        .collect()
}

async fn create(app: &TestApp, token: &str, subject: &str) -> Value {
    let reply = app
        .post(Some(token), "/api/tickets", new_ticket(subject))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body
}

async fn a_customer_registers_a_ticket_with_plan_clocks_and_acknowledgement(app: TestApp) {
    let anna = app.token(ANNA).await;
    let ticket = create(&app, &anna, "Export hangs").await;
    let reference = ticket["reference"].as_str().expect("reference");
    assert!(
        reference.starts_with("RG-") && reference.len() == 9,
        "{reference}"
    );
    assert_eq!(ticket["status"], "new");
    assert_eq!(ticket["version"], 1);
    assert_eq!(ticket["sla_level"], "standard");
    assert_eq!(ticket["classification"]["category"], "C");
    assert_eq!(ticket["classification"]["severity"], 2);
    assert_eq!(ticket["clocks"]["first_response"]["state"], "running");
    assert!(ticket["next_deadline"].is_string(), "{ticket}");
    let detail = app
        .get(Some(&anna), &format!("/api/tickets/{reference}"))
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    let messages = detail.body["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["automatic"], true);
    // The acknowledgement is not a response: the first-response clock still runs.
    assert_eq!(
        detail.body["ticket"]["clocks"]["first_response"]["state"],
        "running"
    );
    assert_eq!(
        event_kinds(&detail.body),
        ["registered", "auto_acknowledgement"]
    );
}

/// Registrations that arrive together are written together: each still gets its own
/// reference, acknowledgement, events and clocks.
async fn registrations_at_once_each_get_their_own_ticket(app: TestApp) {
    let anna = app.token(ANNA).await;
    let subjects: Vec<String> = (0..24).map(|n| format!("Burst {n}")).collect();
    let created =
        futures::future::join_all(subjects.iter().map(|subject| create(&app, &anna, subject)))
            .await;
    let mut references = std::collections::HashSet::new();
    for (ticket, subject) in created.iter().zip(&subjects) {
        assert_eq!(ticket["subject"], subject.as_str());
        assert_eq!(ticket["clocks"]["first_response"]["state"], "running");
        let reference = ticket["reference"].as_str().expect("reference");
        assert!(references.insert(reference.to_owned()), "{reference} twice");
        let detail = app
            .get(Some(&anna), &format!("/api/tickets/{reference}"))
            .await;
        assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
        assert_eq!(detail.body["ticket"]["subject"], subject.as_str());
        assert_eq!(detail.body["ticket"]["reference"], reference);
        let messages = detail.body["messages"].as_array().expect("messages");
        assert_eq!(messages.len(), 1, "{reference}");
        assert!(
            messages[0]["body"]
                .as_str()
                .is_some_and(|body| body.contains(reference)),
            "{}",
            messages[0]
        );
        assert_eq!(
            event_kinds(&detail.body),
            ["registered", "auto_acknowledgement"],
            "{reference}"
        );
    }
}

async fn bad_classifications_are_422_with_the_field(app: TestApp) {
    let anna = app.token(ANNA).await;
    let mut body = new_ticket("x");
    body["severity"] = Value::Null;
    let reply = app.post(Some(&anna), "/api/tickets", body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["field"], "severity");

    let mut body = new_ticket("x");
    body["category"] = json!("Z");
    let reply = app.post(Some(&anna), "/api/tickets", body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["field"], "category");

    let mut body = new_ticket("   ");
    body["category"] = json!("D");
    body["severity"] = json!(1);
    let reply = app.post(Some(&anna), "/api/tickets", body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = reply.body["fields"].as_object().expect("fields");
    assert!(
        fields.contains_key("subject") && fields.contains_key("severity"),
        "{fields:?}"
    );
}

async fn staff_cannot_register_tickets_for_themselves(app: TestApp) {
    let agent = app.token(AGENT).await;
    let reply = app
        .post(Some(&agent), "/api/tickets", new_ticket("x"))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let anonymous = app.post(None, "/api/tickets", new_ticket("x")).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

async fn another_organisations_ticket_is_404_and_absent_from_lists(app: TestApp) {
    let anna = app.token(ANNA).await;
    let boris = app.token(BORIS).await;
    let ticket = create(&app, &anna, "Anna's secret").await;
    let path = format!(
        "/api/tickets/{}",
        ticket["reference"].as_str().unwrap_or_default()
    );
    assert_eq!(
        app.get(Some(&boris), &path).await.status,
        StatusCode::NOT_FOUND
    );
    let message = app
        .post(
            Some(&boris),
            &format!("{path}/messages"),
            json!({"body": "hi"}),
        )
        .await;
    assert_eq!(message.status, StatusCode::NOT_FOUND);
    let list = app.get(Some(&boris), "/api/tickets").await;
    assert_eq!(list.status, StatusCode::OK);
    let subjects: Vec<&str> = list.body["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .filter_map(|t| t["subject"].as_str())
        .collect();
    assert!(!subjects.contains(&"Anna's secret"), "{subjects:?}");
    assert!(
        !subjects.is_empty(),
        "Boris sees his own organisation's demo tickets"
    );
    // The owner and staff do see it.
    assert_eq!(app.get(Some(&anna), &path).await.status, StatusCode::OK);
    assert_eq!(
        app.get(Some(&app.token(AGENT).await), &path).await.status,
        StatusCode::OK
    );
}

async fn internal_notes_never_reach_customers(app: TestApp) {
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    let ticket = create(&app, &anna, "Notes").await;
    let path = format!(
        "/api/tickets/{}",
        ticket["reference"].as_str().unwrap_or_default()
    );
    let note = app
        .post(
            Some(&agent),
            &format!("{path}/messages"),
            json!({"body": "customer is grumpy", "internal": true}),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.body);
    let staff_view = app.get(Some(&agent), &path).await;
    assert_eq!(
        staff_view.body["internal_notes"][0]["body"],
        "customer is grumpy"
    );
    let customer_view = app.get(Some(&anna), &path).await;
    let text = customer_view.body.to_string();
    assert!(!text.contains("grumpy"), "{text}");
    assert!(
        !text.contains("internal_note\""),
        "no internal event kinds: {text}"
    );
    let forbidden = app
        .post(
            Some(&anna),
            &format!("{path}/messages"),
            json!({"body": "x", "internal": true}),
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
}

async fn a_stale_if_match_is_409_with_the_current_ticket(app: TestApp) {
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    let ticket = create(&app, &anna, "Stale").await;
    let actions = format!(
        "/api/tickets/{}/actions",
        ticket["reference"].as_str().unwrap_or_default()
    );
    let taken = app
        .post_with(Some(&agent), &actions, json!({"action": "take"}), Some(1))
        .await;
    assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
    assert_eq!(taken.body["status"], "open");
    assert_eq!(taken.body["version"], 2);
    assert_eq!(taken.body["assignee_id"], app.user_id(AGENT).await);
    let stale = app
        .post_with(
            Some(&agent),
            &actions,
            json!({"action": "mark_reproduced"}),
            Some(1),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.body["error"], "conflict");
    assert_eq!(stale.body["current"]["version"], 2);
}

async fn two_actions_with_the_same_version_one_gets_409(app: TestApp) {
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    let engineer = app.token(ENGINEER).await;
    let ticket = create(&app, &anna, "Race").await;
    let actions = format!(
        "/api/tickets/{}/actions",
        ticket["reference"].as_str().unwrap_or_default()
    );
    let (first, second) = tokio::join!(
        app.post_with(Some(&agent), &actions, json!({"action": "take"}), Some(1)),
        app.post_with(
            Some(&engineer),
            &actions,
            json!({"action": "take"}),
            Some(1)
        ),
    );
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let detail = app
        .get(
            Some(&agent),
            &format!(
                "/api/tickets/{}",
                ticket["reference"].as_str().unwrap_or_default()
            ),
        )
        .await;
    assert_eq!(detail.body["ticket"]["version"], 2);
    let takes = detail.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|event| event["kind"] == "take")
        .count();
    assert_eq!(takes, 1);
}

async fn customers_cannot_take_staff_actions(app: TestApp) {
    let anna = app.token(ANNA).await;
    let ticket = create(&app, &anna, "Self-service").await;
    let actions = format!(
        "/api/tickets/{}/actions",
        ticket["reference"].as_str().unwrap_or_default()
    );
    for action in ["take", "resolve", "escalate", "mark_reproduced"] {
        let reply = app
            .post(Some(&anna), &actions, json!({"action": action}))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{action}: {}",
            reply.body
        );
    }
    let agent = app.token(AGENT).await;
    let expedite = app
        .post(Some(&agent), &actions, json!({"action": "expedite"}))
        .await;
    assert_eq!(expedite.status, StatusCode::FORBIDDEN);
    let bogus = app
        .post(Some(&agent), &actions, json!({"action": "fly"}))
        .await;
    assert_eq!(bogus.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bogus.body["field"], "action");
}

async fn waiting_for_customer_reopens_on_a_customer_message(app: TestApp) {
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    let ticket = create(&app, &anna, "Waiting").await;
    let path = format!(
        "/api/tickets/{}",
        ticket["reference"].as_str().unwrap_or_default()
    );
    let missing = app
        .post(
            Some(&agent),
            &format!("{path}/actions"),
            json!({"action": "request_info"}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let waiting = app
        .post(
            Some(&agent),
            &format!("{path}/actions"),
            json!({"action": "request_info", "comment": "Which OS?"}),
        )
        .await;
    assert_eq!(waiting.status, StatusCode::OK, "{}", waiting.body);
    assert_eq!(waiting.body["status"], "waiting_for_customer");
    assert_eq!(waiting.body["clocks"]["first_response"]["state"], "met");
    let answer = app
        .post(
            Some(&anna),
            &format!("{path}/messages"),
            json!({"body": "Debian 12"}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    assert_eq!(answer.body["status"], "open");
    // The requester is told about the agent's question; the actor is not told about their own.
    use server::db::entity::notification;
    let anna_id = app.user_id(ANNA).await;
    let agent_id = app.user_id(AGENT).await;
    let for_anna = notification::Entity::find()
        .filter(notification::Column::UserId.eq(anna_id))
        .filter(notification::Column::Kind.eq("request_info"))
        .all(&app.state.db)
        .await
        .expect("query");
    assert_eq!(for_anna.len(), 1);
    let for_agent = notification::Entity::find()
        .filter(notification::Column::UserId.eq(agent_id))
        .filter(notification::Column::Kind.eq("request_info"))
        .all(&app.state.db)
        .await
        .expect("query");
    assert!(for_agent.is_empty());
}

async fn staff_views_and_keyset_paging(app: TestApp) {
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    for index in 0..4 {
        create(&app, &anna, &format!("Paging {index}")).await;
    }
    let mut seen = Vec::new();
    let mut path = "/api/tickets?limit=3".to_owned();
    loop {
        let page = app.get(Some(&agent), &path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        for ticket in page.body["tickets"].as_array().expect("tickets") {
            seen.push(ticket["reference"].as_str().unwrap_or_default().to_owned());
        }
        match page.body["meta"]["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/tickets?limit=3&cursor={cursor}"),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no ticket twice: {seen:?}");
    assert_eq!(seen.len(), 9, "5 demo tickets and 4 new: {seen:?}");
    // The special demo request comes first.
    let first = app.get(Some(&agent), "/api/tickets?limit=1").await;
    assert_eq!(first.body["tickets"][0]["classification"]["special"], true);
    let special = app.get(Some(&agent), "/api/tickets?view=special").await;
    assert_eq!(special.body["tickets"].as_array().map(Vec::len), Some(1));
    let mine = app.get(Some(&agent), "/api/tickets?view=mine").await;
    assert_eq!(mine.body["tickets"].as_array().map(Vec::len), Some(0));
    let search = app.get(Some(&agent), "/api/tickets?q=Paging%202").await;
    assert_eq!(search.body["tickets"].as_array().map(Vec::len), Some(1));
    let bad = app.get(Some(&agent), "/api/tickets?view=everything").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["field"], "view");
    let bad_cursor = app.get(Some(&agent), "/api/tickets?cursor=zzz").await;
    assert_eq!(bad_cursor.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn an_expired_contract_follows_its_on_expiry_setting(app: TestApp) {
    use server::db::entity::contract;
    contract::Entity::delete_many()
        .exec(&app.state.db)
        .await
        .expect("delete contracts");
    let anna = app.token(ANNA).await;
    let unqualified = create(&app, &anna, "No contract").await;
    assert_eq!(unqualified["sla_level"], "unqualified");
    let boris = app.token(BORIS).await;
    let blocked = app
        .post(Some(&boris), "/api/tickets", new_ticket("Blocked"))
        .await;
    assert_eq!(blocked.status, StatusCode::FORBIDDEN);
    assert_eq!(blocked.body["error"], "forbidden");
}

async fn resolve_then_reopen_is_counted(app: TestApp) {
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    let mut body = new_ticket("Reopen me");
    body["category"] = json!("D");
    body["severity"] = Value::Null;
    let reply = app.post(Some(&anna), "/api/tickets", body).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let actions = format!(
        "/api/tickets/{}/actions",
        reply.body["reference"].as_str().unwrap_or_default()
    );
    let resolved = app
        .post(
            Some(&agent),
            &actions,
            json!({"action": "resolve", "comment": "Use the LDAP page."}),
        )
        .await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.body);
    assert_eq!(resolved.body["status"], "resolved");
    let again = app
        .post(Some(&agent), &actions, json!({"action": "resolve"}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let reopened = app
        .post(
            Some(&anna),
            &actions,
            json!({"action": "reopen", "comment": "Still broken"}),
        )
        .await;
    assert_eq!(reopened.status, StatusCode::OK, "{}", reopened.body);
    assert_eq!(reopened.body["status"], "reopened");
    assert_eq!(reopened.body["reopen_count"], 1);
}

async fn oversized_bodies_are_413(app: TestApp) {
    let anna = app.token(ANNA).await;
    let huge = format!("{{\"body\": \"{}\"}}", "x".repeat(server::BODY_LIMIT + 10));
    let reply = app
        .post_raw(
            Some(&anna),
            "/api/tickets/RG-000001/messages",
            "application/json",
            huge.into_bytes(),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.body
    );
}

async fn writes_are_rate_limited_with_retry_after(app: TestApp) {
    let anna = app.token(ANNA).await;
    let mut limited = None;
    for _ in 0..200 {
        let reply = app
            .post(
                Some(&anna),
                "/api/tickets/RG-000001/messages",
                json!({"body": ""}),
            )
            .await;
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(reply);
            break;
        }
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let reply = limited.expect("a 429 within 200 writes");
    assert_eq!(reply.body["error"], "rate_limited");
    assert!(reply.headers.contains_key("retry-after"));
}

async fn user_text_is_stored_as_written(app: TestApp) {
    let anna = app.token(ANNA).await;
    let text = "<script>alert('x')</script> & «ёлки» \n  two spaces";
    let mut body = new_ticket(text);
    body["description"] = json!(text);
    let reply = app.post(Some(&anna), "/api/tickets", body).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["subject"], text);
    assert_eq!(reply.body["description"], text);
}

async fn unknown_reference_is_404_and_bad_if_match_is_400(app: TestApp) {
    let agent = app.token(AGENT).await;
    let missing = app.get(Some(&agent), "/api/tickets/RG-999999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let anna = app.token(ANNA).await;
    let ticket = create(&app, &anna, "If-Match").await;
    let actions = format!(
        "/api/tickets/{}/actions",
        ticket["reference"].as_str().unwrap_or_default()
    );
    let request = axum::http::Request::post(&actions)
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {agent}"))
        .header("if-match", "banana")
        .body(axum::body::Body::from(
            json!({"action": "take"}).to_string(),
        ))
        .expect("request");
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}
