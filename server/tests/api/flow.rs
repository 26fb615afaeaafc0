//! The ticket flow of issue 24: on hold with a reason, the L2 hand-off, phone and on-behalf
//! tickets, the requester's details for staff, and expedite reaching the account manager.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::admin::northwind;
use crate::mail::{act, create, last_id, sent_to};
use crate::support::TestApp;

crate::both!(
    hold_pauses_the_plans_clocks_and_tells_the_customer_why,
    hold_is_refused_without_a_reason_and_for_customers,
    a_hold_with_until_resumes_by_itself,
    the_escalation_comment_is_internal_and_l2_is_told,
    linked_known_errors_show_their_numbers_and_mark_their_mail,
    known_errors_are_found_by_number,
    staff_register_a_phone_ticket_for_a_customer,
    customers_cannot_register_for_others,
    staff_see_the_requesters_details_and_other_open_tickets,
    expedite_reaches_the_organisations_account_manager,
);

const ANNA: &str = "customer@demo.example";
const AGENT: &str = "agent@demo.example";
const ENGINEER: &str = "engineer@demo.example";

fn actions(reference: &str) -> String {
    format!("/api/tickets/{reference}/actions")
}

async fn detail(app: &TestApp, token: &str, reference: &str) -> Value {
    let reply = app
        .get(Some(token), &format!("/api/tickets/{reference}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

/// A category B ticket of Anna's (60 working days to resolve) whose resolution clock runs.
async fn running_b_ticket(app: &TestApp) -> String {
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    let reference = app
        .create_ticket(&anna, json!({"subject": "Driver", "category": "B"}))
        .await;
    act(app, &agent, &reference, json!({"action": "take"})).await;
    act(
        app,
        &agent,
        &reference,
        json!({"action": "mark_reproduced"}),
    )
    .await;
    reference
}

async fn hold_pauses_the_plans_clocks_and_tells_the_customer_why(app: TestApp) {
    let reference = running_b_ticket(&app).await;
    let agent = app.token(AGENT).await;
    let anna = app.token(ANNA).await;
    let before = detail(&app, &agent, &reference).await;
    assert_eq!(
        before["ticket"]["clocks"]["resolution"]["state"], "running",
        "{before}"
    );
    let mark = last_id(&app).await;
    let held = app
        .post(
            Some(&agent),
            &actions(&reference),
            json!({"action": "hold", "reason": "Waiting for the 5.3 driver.", "reason_kind": "vendor_fix"}),
        )
        .await;
    assert_eq!(held.status, StatusCode::OK, "{}", held.body);
    assert_eq!(held.body["status"], "on_hold");
    // The default plan setting pauses resolution only, as waiting for the customer does.
    assert_eq!(held.body["clocks"]["resolution"]["state"], "paused");
    assert_eq!(held.body["clocks"]["first_response"]["state"], "running");
    assert!(
        held.body["allowed_actions"]
            .as_array()
            .expect("actions")
            .contains(&json!("resume"))
    );

    // The customer reads the reason on the ticket and by mail.
    let seen = detail(&app, &anna, &reference).await;
    assert_eq!(seen["ticket"]["status"], "on_hold");
    assert_eq!(seen["ticket"]["hold"]["kind"], "vendor_fix");
    assert_eq!(
        seen["ticket"]["hold"]["reason"],
        "Waiting for the 5.3 driver."
    );
    let mail = app
        .outbox_for(&reference)
        .await
        .into_iter()
        .find(|row| row.id > mark && row.to_address == ANNA)
        .expect("mail to the customer");
    assert_eq!(mail.subject, format!("[{reference}] On hold: Driver"));
    assert!(
        mail.body.contains("Waiting for the 5.3 driver.")
            && mail.body.contains("Waiting for a vendor fix"),
        "{}",
        mail.body
    );

    // Asking for information waits for the resume; the resume runs the clock again.
    let refused = app
        .post(
            Some(&agent),
            &actions(&reference),
            json!({"action": "request_info", "comment": "Logs?"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    let resumed = app
        .post(
            Some(&agent),
            &actions(&reference),
            json!({"action": "resume"}),
        )
        .await;
    assert_eq!(resumed.status, StatusCode::OK, "{}", resumed.body);
    assert_eq!(resumed.body["status"], "open");
    assert_eq!(resumed.body["hold"], Value::Null);
    assert_eq!(resumed.body["clocks"]["resolution"]["state"], "running");
    let again = app
        .post(
            Some(&agent),
            &actions(&reference),
            json!({"action": "resume"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
}

async fn hold_is_refused_without_a_reason_and_for_customers(app: TestApp) {
    let reference = running_b_ticket(&app).await;
    let agent = app.token(AGENT).await;
    let anna = app.token(ANNA).await;
    let missing = app
        .post(
            Some(&agent),
            &actions(&reference),
            json!({"action": "hold"}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.body["field"], "reason");
    let long = app
        .post(
            Some(&agent),
            &actions(&reference),
            json!({"action": "hold", "reason": "x".repeat(2001)}),
        )
        .await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(long.body["field"], "reason");
    let past = app
        .post(
            Some(&agent),
            &actions(&reference),
            json!({"action": "hold", "reason": "Later", "until": Utc::now() - Duration::hours(1)}),
        )
        .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(past.body["field"], "until");
    let kind = app
        .post(
            Some(&agent),
            &actions(&reference),
            json!({"action": "hold", "reason": "Later", "reason_kind": "lunch"}),
        )
        .await;
    assert_eq!(
        kind.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        kind.body
    );
    let customer = app
        .post(
            Some(&anna),
            &actions(&reference),
            json!({"action": "hold", "reason": "Not now"}),
        )
        .await;
    assert_eq!(customer.status, StatusCode::FORBIDDEN);
    assert_eq!(
        detail(&app, &agent, &reference).await["ticket"]["status"],
        "open"
    );
}

async fn a_hold_with_until_resumes_by_itself(app: TestApp) {
    let reference = running_b_ticket(&app).await;
    let agent = app.token(AGENT).await;
    let until = Utc::now() + Duration::days(2);
    act(
        &app,
        &agent,
        &reference,
        json!({"action": "hold", "reason": "Update window on Wednesday.", "reason_kind": "scheduled_work", "until": until}),
    )
    .await;
    let early = server::jobs::tick(&app.state.db, &app.state.composer, Utc::now(), 7)
        .await
        .expect("tick");
    assert_eq!(early.resumed, 0);
    let late = server::jobs::tick(
        &app.state.db,
        &app.state.composer,
        until + Duration::minutes(1),
        7,
    )
    .await
    .expect("tick");
    assert_eq!(late.resumed, 1);
    let after = detail(&app, &agent, &reference).await;
    assert_eq!(after["ticket"]["status"], "open");
    assert_eq!(after["ticket"]["hold"], Value::Null);
    let kinds: Vec<&str> = after["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|event| event["kind"].as_str())
        .collect();
    // The first-response breach is recorded on the way; the resume comes last.
    assert_eq!(kinds.last(), Some(&"resume"), "{kinds:?}");
    assert!(kinds.contains(&"hold"), "{kinds:?}");
}

async fn the_escalation_comment_is_internal_and_l2_is_told(app: TestApp) {
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    let engineer = app.token(ENGINEER).await;
    let reference = create(&app, &anna, "Export crash").await;
    act(&app, &agent, &reference, json!({"action": "take"})).await;
    let mark = last_id(&app).await;
    act(
        &app,
        &agent,
        &reference,
        json!({"action": "escalate", "comment": "Core dump in /tmp/export.core"}),
    )
    .await;

    // Staff read the comment as an internal note; the customer never does.
    let staff = detail(&app, &agent, &reference).await;
    assert!(
        staff["internal_notes"]
            .to_string()
            .contains("Core dump in /tmp/export.core")
    );
    let customer = detail(&app, &anna, &reference).await;
    assert!(!customer.to_string().contains("Core dump"), "{customer}");
    assert_eq!(customer["ticket"]["status"], "escalated");
    // The comment is no answer to the customer: first response still runs.
    assert_eq!(
        staff["ticket"]["clocks"]["first_response"]["state"],
        "running"
    );

    let rows: Vec<_> = app
        .outbox_for(&reference)
        .await
        .into_iter()
        .filter(|row| row.id > mark)
        .collect();
    let to_anna = rows
        .iter()
        .find(|row| row.to_address == ANNA)
        .expect("the customer hears of the escalation");
    assert!(!to_anna.body.contains("Core dump"), "{}", to_anna.body);
    let to_engineer = rows
        .iter()
        .find(|row| row.to_address == ENGINEER)
        .expect("L2 is told by mail");
    assert_eq!(
        to_engineer.subject,
        format!("[{reference}] L2: Northwind Logistics — Export crash")
    );
    assert!(to_engineer.body.contains("Core dump in /tmp/export.core"));
    let notifications = app.get(Some(&engineer), "/api/notifications").await;
    assert!(
        notifications.body["notifications"]
            .as_array()
            .expect("notifications")
            .iter()
            .any(|n| n["reference"] == reference.as_str() && n["kind"] == "escalate"),
        "{}",
        notifications.body
    );
}

/// The id of the demo known error `number`.
async fn known_error_id(app: &TestApp, number: &str) -> i64 {
    let engineer = app.token(ENGINEER).await;
    let list = app.get(Some(&engineer), "/api/known-errors").await;
    list.body["known_errors"]
        .as_array()
        .and_then(|list| list.iter().find(|k| k["number"] == number))
        .and_then(|k| k["id"].as_i64())
        .expect("demo known error")
}

async fn linked_known_errors_show_their_numbers_and_mark_their_mail(app: TestApp) {
    let anna = app.token(ANNA).await;
    let engineer = app.token(ENGINEER).await;
    let reference = create(&app, &anna, "Linked").await;
    let published = known_error_id(&app, "KE-0001").await;
    let unpublished = known_error_id(&app, "KE-0002").await;
    let mark = last_id(&app).await;
    act(
        &app,
        &engineer,
        &reference,
        json!({"action": "link_known_error", "known_error_id": published}),
    )
    .await;
    let to_anna = app
        .outbox_for(&reference)
        .await
        .into_iter()
        .find(|row| row.id > mark && row.to_address == ANNA)
        .expect("mail to the customer");
    assert!(
        to_anna.subject.starts_with("[KE-0001] ["),
        "{}",
        to_anna.subject
    );
    let mark = last_id(&app).await;
    act(
        &app,
        &engineer,
        &reference,
        json!({"action": "link_known_error", "known_error_id": unpublished}),
    )
    .await;
    let rows: Vec<_> = app
        .outbox_for(&reference)
        .await
        .into_iter()
        .filter(|row| row.id > mark)
        .collect();
    let to_anna = rows
        .iter()
        .find(|row| row.to_address == ANNA)
        .expect("mail");
    assert!(!to_anna.subject.contains("KE-0002"), "{}", to_anna.subject);
    let to_lead = rows
        .iter()
        .find(|row| row.to_address == "lead@demo.example")
        .or_else(|| rows.iter().find(|row| row.to_address != ANNA));
    if let Some(row) = to_lead {
        assert!(row.subject.starts_with("[KE-0002] "), "{}", row.subject);
    }

    let numbers = |detail: &Value| -> Vec<String> {
        detail["known_errors"]
            .as_array()
            .expect("known errors")
            .iter()
            .map(|k| k["number"].as_str().expect("number").to_owned())
            .collect()
    };
    assert_eq!(
        numbers(&detail(&app, &engineer, &reference).await),
        ["KE-0001", "KE-0002"]
    );
    assert_eq!(numbers(&detail(&app, &anna, &reference).await), ["KE-0001"]);
}

async fn known_errors_are_found_by_number(app: TestApp) {
    let engineer = app.token(ENGINEER).await;
    let anna = app.token(ANNA).await;
    for query in ["KE-0002", "0002", "ke-0002"] {
        let found = app
            .get(Some(&engineer), &format!("/api/known-errors?q={query}"))
            .await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.body);
        let numbers: Vec<&str> = found.body["known_errors"]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|k| k["number"].as_str())
            .collect();
        assert_eq!(numbers, ["KE-0002"], "{query}");
    }
    // Customers find only the published ones, by number too.
    let hidden = app.get(Some(&anna), "/api/known-errors?q=0002").await;
    assert_eq!(hidden.body["known_errors"], json!([]));
    let shown = app.get(Some(&anna), "/api/known-errors?q=KE-0001").await;
    assert_eq!(shown.body["known_errors"][0]["number"], "KE-0001");
}

fn phone_ticket(requester_id: i64) -> Value {
    json!({
        "subject": "Called: printing stopped",
        "description": "Anna phoned: nothing prints since the morning.",
        "category": "C",
        "severity": 2,
        "product_version": "5.2.1",
        "requester_id": requester_id,
        "channel": "phone",
    })
}

async fn staff_register_a_phone_ticket_for_a_customer(app: TestApp) {
    let agent = app.token(AGENT).await;
    let anna = app.token(ANNA).await;
    let anna_id = app.user_id(ANNA).await;
    let agent_id = app.user_id(AGENT).await;
    let created = app
        .post(Some(&agent), "/api/tickets", phone_ticket(anna_id))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let reference = created.body["reference"].as_str().expect("reference");
    assert_eq!(created.body["requester_id"], anna_id);
    assert_eq!(created.body["channel"], "phone");
    // Anna's organisation's contract applies, as if she had filed it.
    assert_eq!(created.body["sla_level"], "standard");
    assert_eq!(created.body["organisation_name"], "Northwind Logistics");

    // The customer sees it among her tickets, with its channel; the acknowledgement is hers.
    let hers = detail(&app, &anna, reference).await;
    assert_eq!(hers["ticket"]["channel"], "phone");
    let acknowledgement = app
        .outbox_for(reference)
        .await
        .into_iter()
        .find(|row| row.to_address == ANNA)
        .expect("the acknowledgement goes to the requester");
    assert!(
        acknowledgement.subject.contains("Request registered"),
        "{}",
        acknowledgement.subject
    );
    assert!(
        !app.outbox_for(reference)
            .await
            .iter()
            .any(|row| row.to_address == AGENT),
        "the agent who registered it is not told of it"
    );
    // The queue shows the channel; the audit log names who registered it.
    let queue = app.get(Some(&agent), "/api/tickets?limit=200").await;
    let row = queue.body["tickets"]
        .as_array()
        .and_then(|list| list.iter().find(|t| t["reference"] == reference))
        .expect("in the queue");
    assert_eq!(row["channel"], "phone");
    let admin = app.token("admin@demo.example").await;
    let audit = app
        .get(
            Some(&admin),
            &format!("/api/admin/audit?entity=ticket&entity_id={reference}&action=ticket.create"),
        )
        .await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.body);
    assert_eq!(
        audit.body["entries"][0]["actor_id"], agent_id,
        "{}",
        audit.body
    );
    assert_eq!(audit.body["entries"][0]["details"]["requester_id"], anna_id);
    assert_eq!(audit.body["entries"][0]["details"]["channel"], "phone");
    let portal = app
        .create_ticket(&anna, json!({"subject": "Own", "category": "D"}))
        .await;
    assert_eq!(
        detail(&app, &agent, &portal).await["ticket"]["channel"],
        "portal"
    );
}

async fn customers_cannot_register_for_others(app: TestApp) {
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    let boris_id = app.user_id("customer2@demo.example").await;
    let engineer_id = app.user_id(ENGINEER).await;
    let refused = app
        .post(Some(&anna), "/api/tickets", phone_ticket(boris_id))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.body["field"], "requester_id");
    let staff_requester = app
        .post(Some(&agent), "/api/tickets", phone_ticket(engineer_id))
        .await;
    assert_eq!(staff_requester.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(staff_requester.body["field"], "requester_id");
    let mut without_channel = phone_ticket(boris_id);
    without_channel
        .as_object_mut()
        .expect("object")
        .remove("channel");
    let no_channel = app
        .post(Some(&agent), "/api/tickets", without_channel)
        .await;
    assert_eq!(no_channel.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_channel.body["field"], "channel");
    let mut fax = phone_ticket(boris_id);
    fax["channel"] = json!("fax");
    let unknown = app.post(Some(&agent), "/api/tickets", fax).await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.body
    );
}

async fn staff_see_the_requesters_details_and_other_open_tickets(app: TestApp) {
    let anna = app.token(ANNA).await;
    let agent = app.token(AGENT).await;
    let first = create(&app, &anna, "First").await;
    let second = create(&app, &anna, "Second").await;
    let closed = create(&app, &anna, "Done").await;
    act(&app, &agent, &closed, json!({"action": "close"})).await;

    let staff = detail(&app, &agent, &second).await;
    let requester = &staff["ticket"]["requester"];
    assert_eq!(requester["email"], ANNA);
    assert!(
        requester["contract"]
            .as_str()
            .is_some_and(|contract| contract.starts_with('#')),
        "{requester}"
    );
    assert_eq!(staff["ticket"]["requester_name"], "Anna Customer");
    assert_eq!(staff["ticket"]["organisation_name"], "Northwind Logistics");
    assert_eq!(staff["ticket"]["plan"], "Standard");
    let others: Vec<&str> = staff["requester_open_tickets"]
        .as_array()
        .expect("other tickets")
        .iter()
        .filter_map(|t| t["reference"].as_str())
        .collect();
    assert!(others.contains(&first.as_str()), "{others:?}");
    assert!(!others.contains(&second.as_str()) && !others.contains(&closed.as_str()));

    // The queue's rows carry the same details.
    let queue = app.get(Some(&agent), "/api/tickets?limit=200").await;
    let row = queue.body["tickets"]
        .as_array()
        .and_then(|list| list.iter().find(|t| t["reference"] == first.as_str()))
        .expect("in the queue");
    assert_eq!(row["requester"]["email"], ANNA);

    // Customers get none of it.
    let hers = detail(&app, &anna, &second).await;
    assert_eq!(hers["ticket"]["requester"], Value::Null);
    assert_eq!(hers["requester_open_tickets"], json!([]));
}

async fn expedite_reaches_the_organisations_account_manager(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let organisation_id = northwind(&app, &admin).await;
    // The engineer manages Northwind's account: its staff watcher.
    let manager_id = app.user_id(ENGINEER).await;
    let saved = app
        .send_json(
            "PUT",
            Some(&admin),
            &format!("/api/admin/organisations/{organisation_id}/watchers"),
            json!({ "user_ids": [manager_id] }),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let anna = app.token(ANNA).await;
    let reference = create(&app, &anna, "Hurry").await;
    let mark = last_id(&app).await;
    act(
        &app,
        &anna,
        &reference,
        json!({"action": "expedite", "comment": "Our shipping is stuck."}),
    )
    .await;
    let to = sent_to(&app, &reference, mark).await;
    assert!(to.contains(&ENGINEER.to_owned()), "{to:?}");
    assert!(to.contains(&"lead@demo.example".to_owned()), "{to:?}");
    let manager = app.token(ENGINEER).await;
    let notifications = app.get(Some(&manager), "/api/notifications").await;
    assert!(
        notifications.body["notifications"]
            .as_array()
            .expect("notifications")
            .iter()
            .any(|n| n["reference"] == reference.as_str() && n["kind"] == "expedite"),
        "{}",
        notifications.body
    );
}
