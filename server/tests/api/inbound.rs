//! Incoming mail through `POST /api/inbound/email`, with the real-world fixtures.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use crate::support::{Reply, TestApp};

crate::both!(
    the_gateway_must_present_its_token,
    the_endpoint_is_off_without_a_token,
    a_reply_threads_into_its_ticket_and_ends_the_wait,
    references_thread_a_reply_without_the_tag,
    a_new_message_registers_an_acknowledged_ticket,
    the_same_message_is_stored_once,
    an_unknown_sender_gets_one_refusal_and_nothing_else,
    auto_replies_and_our_own_mail_never_create_tickets,
    a_bmp_is_refused_and_named_in_a_reply,
    attachments_and_legacy_charsets_are_kept,
    another_organisations_reference_registers_a_new_ticket,
    a_bare_reference_in_the_subject_threads_like_a_bracketed_one,
);

pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

async fn ingest_with(app: &TestApp, token: Option<&str>, raw: Vec<u8>) -> Reply {
    app.post_raw(token, "/api/inbound/email", "message/rfc822", raw)
        .await
}

async fn ingest(app: &TestApp, raw: Vec<u8>) -> Reply {
    ingest_with(app, Some("inbound-token"), raw).await
}

async fn ticket_count(app: &TestApp) -> usize {
    let lead = app.token("lead@demo.example").await;
    let anna = app.token("customer@demo.example").await;
    let staff = app.get(Some(&lead), "/api/tickets?limit=200").await;
    let customer = app.get(Some(&anna), "/api/tickets?limit=200").await;
    let count = |reply: &Reply| reply.body["tickets"].as_array().map_or(0, Vec::len);
    count(&staff) + count(&customer)
}

async fn detail(app: &TestApp, reference: &str) -> serde_json::Value {
    let lead = app.token("lead@demo.example").await;
    let reply = app
        .get(Some(&lead), &format!("/api/tickets/{reference}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

fn message_from(sender: &str, subject: &str, message_id: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Someone <{sender}>\r\nTo: support@reglament.test\r\nSubject: {subject}\r\n\
         Message-ID: <{message_id}>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0300\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

async fn the_gateway_must_present_its_token(app: TestApp) {
    let raw = fixture("html_only.eml");
    let missing = ingest_with(&app, None, raw.clone()).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.body["error"], "unauthorized");
    let wrong = ingest_with(&app, Some("guess"), raw.clone()).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    // A user's session is not the gateway's token.
    let anna = app.token("customer@demo.example").await;
    let session = ingest_with(&app, Some(&anna), raw).await;
    assert_eq!(session.status, StatusCode::UNAUTHORIZED);
    let empty = ingest(&app, Vec::new()).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.body["field"], "message");
    let huge = ingest(&app, vec![b'x'; server::BODY_LIMIT + 10]).await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(huge.body["error"], "payload_too_large");
    let garbage = ingest(&app, b"Subject: x\r\n\r\nno sender".to_vec()).await;
    assert_eq!(
        garbage.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        garbage.body
    );
    assert_eq!(garbage.body["error"], "validation");
    assert!(
        garbage.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("sender")
    );
}

async fn the_endpoint_is_off_without_a_token(app: TestApp) {
    let mut config = (*app.state.config).clone();
    config.inbound_token = None;
    let mut state = app.state.clone();
    state.config = Arc::new(config);
    let router = server::app(state);
    use tower::ServiceExt;
    let response = router
        .oneshot(
            Request::post("/api/inbound/email")
                .header(header::AUTHORIZATION, "Bearer inbound-token")
                .body(Body::from(fixture("html_only.eml")))
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

async fn a_reply_threads_into_its_ticket_and_ends_the_wait(app: TestApp) {
    let agent = app.token("agent@demo.example").await;
    for body in [
        json!({"action": "take"}),
        json!({"action": "request_info", "comment": "Which queue?"}),
    ] {
        let reply = app
            .post(Some(&agent), "/api/tickets/RG-000001/actions", body)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    assert_eq!(
        detail(&app, "RG-000001").await["ticket"]["status"],
        "waiting_for_customer"
    );
    let before = app.outbox().await.len();
    let reply = ingest(&app, fixture("multipart_alternative.eml")).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        reply.body,
        json!({"outcome": "threaded", "reference": "RG-000001"})
    );
    let ticket = detail(&app, "RG-000001").await;
    assert_eq!(
        ticket["ticket"]["status"], "open",
        "the customer's answer ends the wait"
    );
    let messages = ticket["messages"].as_array().expect("messages");
    let last = messages.last().expect("a message");
    assert!(
        last["body"]
            .as_str()
            .unwrap_or_default()
            .contains("The queue still stalls")
    );
    assert!(
        !last["body"]
            .as_str()
            .unwrap_or_default()
            .contains("restart the spooler")
    );
    assert_eq!(last["from_staff"], false);
    // The next-response clock runs again, as after a portal message.
    let next = &ticket["ticket"]["clocks"]["next_response"];
    assert_eq!(next["state"], "running", "{next}");
    // The assignee hears of it by mail.
    let mail: Vec<_> = app.outbox().await.into_iter().skip(before).collect();
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0].to_address, "agent@demo.example");
    let events = ticket["events"].to_string();
    assert!(events.contains("customer_reply"), "{events}");
}

async fn references_thread_a_reply_without_the_tag(app: TestApp) {
    let reply = ingest(&app, fixture("threaded_by_references.eml")).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["outcome"], "threaded");
    assert_eq!(reply.body["reference"], "RG-000002");
    assert!(
        detail(&app, "RG-000002").await["messages"]
            .to_string()
            .contains("Answering without the tag in the subject.")
    );
}

async fn a_new_message_registers_an_acknowledged_ticket(app: TestApp) {
    let reply = ingest(&app, fixture("html_only.eml")).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["outcome"], "created");
    let reference = reply.body["reference"]
        .as_str()
        .expect("reference")
        .to_owned();
    let ticket = detail(&app, &reference).await;
    assert_eq!(ticket["ticket"]["subject"], "Export fails");
    assert_eq!(ticket["ticket"]["classification"]["category"], "D");
    assert_eq!(ticket["ticket"]["status"], "new");
    assert!(
        ticket["ticket"]["description"]
            .as_str()
            .unwrap_or_default()
            .contains("Report export fails with error 500.")
    );
    let outbox = app.outbox_for(&reference).await;
    let ack = outbox
        .iter()
        .find(|row| row.to_address == "customer@demo.example")
        .expect("acknowledgement");
    assert!(
        ack.subject
            .starts_with(&format!("[{reference}] Request registered"))
    );
    assert!(
        ack.body.contains("Service level (SLA): Standard"),
        "{}",
        ack.body
    );
    // It is the customer's ticket like any other.
    let anna = app.token("customer@demo.example").await;
    let mine = app
        .get(Some(&anna), &format!("/api/tickets/{reference}"))
        .await;
    assert_eq!(mine.status, StatusCode::OK);
}

async fn the_same_message_is_stored_once(app: TestApp) {
    let first = ingest(&app, fixture("base64_body.eml")).await;
    assert_eq!(first.body["outcome"], "created", "{}", first.body);
    let tickets = ticket_count(&app).await;
    let mail = app.outbox().await.len();
    let second = ingest(&app, fixture("base64_body.eml")).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    assert_eq!(second.body["outcome"], "duplicate");
    assert_eq!(second.body["reference"], first.body["reference"]);
    assert_eq!(ticket_count(&app).await, tickets);
    assert_eq!(app.outbox().await.len(), mail, "no second acknowledgement");
    // A threaded message likewise.
    let threaded = ingest(&app, fixture("threaded_by_references.eml")).await;
    assert_eq!(threaded.body["outcome"], "threaded");
    let count = detail(&app, "RG-000002").await["messages"]
        .as_array()
        .map_or(0, Vec::len);
    let again = ingest(&app, fixture("threaded_by_references.eml")).await;
    assert_eq!(
        again.body,
        json!({"outcome": "duplicate", "reference": "RG-000002"})
    );
    assert_eq!(
        detail(&app, "RG-000002").await["messages"]
            .as_array()
            .map_or(0, Vec::len),
        count
    );
}

async fn an_unknown_sender_gets_one_refusal_and_nothing_else(app: TestApp) {
    let tickets = ticket_count(&app).await;
    let reply = ingest(&app, fixture("unknown_sender.eml")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body, json!({"outcome": "refused", "reference": null}));
    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert_eq!(outbox[0].to_address, "stranger@elsewhere.example");
    assert_eq!(outbox[0].subject, "Not accepted: Help");
    assert_eq!(ticket_count(&app).await, tickets);
    let again = ingest(&app, fixture("unknown_sender.eml")).await;
    assert_eq!(again.body["outcome"], "duplicate");
    assert_eq!(app.outbox().await.len(), 1, "one refusal only");
    // Another message from the same address the same day is refused without a second mail.
    let second = message_from(
        "stranger@elsewhere.example",
        "Help!",
        "unknown-2@x.example",
        "?",
    );
    assert_eq!(ingest(&app, second).await.body["outcome"], "refused");
    assert_eq!(app.outbox().await.len(), 1, "no backscatter");
    // A deactivated account is not a registered sender any more.
    let admin = app.token("admin@demo.example").await;
    let boris = app.user_id("customer2@demo.example").await;
    let off = app.deactivate(&admin, boris).await;
    assert!(off.status.is_success(), "{}", off.body);
    let from_boris = message_from(
        "customer2@demo.example",
        "Help",
        "boris-1@x.example",
        "Hello",
    );
    let refused = ingest(&app, from_boris).await;
    assert_eq!(refused.body["outcome"], "refused");
    assert_eq!(ticket_count(&app).await, tickets);
}

async fn auto_replies_and_our_own_mail_never_create_tickets(app: TestApp) {
    let tickets = ticket_count(&app).await;
    let messages = detail(&app, "RG-000001").await["messages"]
        .as_array()
        .map_or(0, Vec::len);
    let reply = ingest(&app, fixture("auto_reply.eml")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["outcome"], "ignored");
    let ours = message_from(
        "support@reglament.test",
        "Loop",
        "loop-1@reglament.test",
        "Echo",
    );
    let echo = ingest(&app, ours).await;
    assert_eq!(echo.body["outcome"], "ignored");
    assert_eq!(ticket_count(&app).await, tickets);
    assert_eq!(
        detail(&app, "RG-000001").await["messages"]
            .as_array()
            .map_or(0, Vec::len),
        messages,
        "an out-of-office reply is not added to the ticket"
    );
    assert!(
        app.outbox().await.is_empty(),
        "nobody answers an automatic reply"
    );
}

async fn a_bmp_is_refused_and_named_in_a_reply(app: TestApp) {
    let reply = ingest(&app, fixture("bmp_attachment.eml")).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["outcome"], "created");
    let reference = reply.body["reference"]
        .as_str()
        .expect("reference")
        .to_owned();
    let ticket = detail(&app, &reference).await;
    assert_eq!(ticket["attachments"], json!([]), "the BMP is not stored");
    let refusal = app
        .outbox_for(&reference)
        .await
        .into_iter()
        .find(|row| row.subject.contains("Attachments refused"))
        .expect("a reply naming the refused file");
    assert_eq!(refusal.to_address, "customer@demo.example");
    assert!(refusal.body.contains("screen.bmp"), "{}", refusal.body);
    assert!(refusal.body.contains("zip"), "{}", refusal.body);
}

async fn attachments_and_legacy_charsets_are_kept(app: TestApp) {
    let reply = ingest(&app, fixture("inline_image.eml")).await;
    assert_eq!(reply.body["outcome"], "created", "{}", reply.body);
    let reference = reply.body["reference"]
        .as_str()
        .expect("reference")
        .to_owned();
    let ticket = detail(&app, &reference).await;
    let attachments = ticket["attachments"].as_array().expect("attachments");
    assert_eq!(attachments.len(), 1, "{attachments:?}");
    assert_eq!(attachments[0]["file_name"], "screenshot.png");
    assert_eq!(attachments[0]["content_type"], "image/png");
    let anna = app.token("customer@demo.example").await;
    let id = attachments[0]["id"].as_i64().expect("id");
    let download = app
        .get(Some(&anna), &format!("/api/attachments/{id}"))
        .await;
    assert_eq!(download.status, StatusCode::OK);
    for (file, subject) in [
        ("windows1251.eml", "Не работает обмен"),
        ("koi8r.eml", "Сбой"),
        ("rfc2047_cyrillic.eml", "Ошибка при печати накладной"),
    ] {
        let reply = ingest(&app, fixture(file)).await;
        assert_eq!(reply.body["outcome"], "created", "{file}: {}", reply.body);
        let reference = reply.body["reference"]
            .as_str()
            .expect("reference")
            .to_owned();
        assert_eq!(
            detail(&app, &reference).await["ticket"]["subject"],
            subject,
            "{file}"
        );
    }
}

async fn another_organisations_reference_registers_a_new_ticket(app: TestApp) {
    // RG-000001 belongs to Anna's organisation; Boris may not see it.
    let raw = message_from(
        "customer2@demo.example",
        "[RG-000001] Re: Printer queue stalls",
        "boris-2@x.example",
        "We have the same problem.",
    );
    let messages = detail(&app, "RG-000001").await["messages"]
        .as_array()
        .map_or(0, Vec::len);
    let reply = ingest(&app, raw).await;
    assert_eq!(reply.body["outcome"], "created", "{}", reply.body);
    assert_ne!(reply.body["reference"], "RG-000001");
    assert_eq!(
        detail(&app, "RG-000001").await["messages"]
            .as_array()
            .map_or(0, Vec::len),
        messages
    );
}

async fn a_bare_reference_in_the_subject_threads_like_a_bracketed_one(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let reference = app
        .create_ticket(&anna, json!({"subject": "Scanner offline"}))
        .await;
    let bare = message_from(
        "customer@demo.example",
        &format!("Re: {reference} scanner offline"),
        "bare-reference@northwind.example",
        "Still offline after the restart.",
    );
    let reply = ingest(&app, bare).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        reply.body,
        json!({"outcome": "threaded", "reference": reference})
    );
    let ticket = detail(&app, &reference).await;
    assert!(
        ticket["messages"]
            .to_string()
            .contains("Still offline after the restart."),
        "{ticket}"
    );
    // A longer code that merely contains the letters is no reference: a new ticket.
    let code = message_from(
        "customer@demo.example",
        &format!("X{reference} part number"),
        "not-a-reference@northwind.example",
        "Which part is this?",
    );
    let created = ingest(&app, code).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["outcome"], "created");
    assert_ne!(created.body["reference"], json!(reference));
}
