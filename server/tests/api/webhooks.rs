//! Webhooks: admins register endpoints; actions queue signed deliveries in their transaction;
//! the worker posts them to a real HTTP receiver, in order per ticket, and catches up after the
//! receiver was down.

use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;
use serde_json::{Value, json};

use crate::support::TestApp;

crate::both!(
    admins_register_endpoints_with_checked_fields,
    signed_events_arrive_once_in_order_and_after_the_receiver_was_down,
);

const SECRET: &str = "a-webhook-secret-of-some-length";

/// What the receiver heard: per path, the bodies in arrival order; and refused signatures.
#[derive(Default)]
struct Heard {
    bodies: BTreeMap<String, Vec<Value>>,
    bad_signatures: usize,
}

type Shared = Arc<Mutex<Heard>>;

async fn receive(
    State(heard): State<Shared>,
    Path(path): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, [(header::HeaderName, &'static str); 1]) {
    // No kept-alive connection outlives the receiver going down.
    let close = [(header::CONNECTION, "close")];
    let signature = headers
        .get(server::webhooks::SIGNATURE_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let now = chrono::Utc::now().timestamp();
    let mut heard = heard.lock().expect("lock");
    if !server::webhooks::verify(SECRET, signature, &body, now, 300) {
        heard.bad_signatures += 1;
        return (StatusCode::UNAUTHORIZED, close);
    }
    let value: Value = serde_json::from_slice(&body).expect("a JSON body");
    heard.bodies.entry(path).or_default().push(value);
    (StatusCode::NO_CONTENT, close)
}

/// Serves the receiver on `address` until the returned task is aborted.
async fn serve(address: SocketAddr, heard: Shared) -> tokio::task::JoinHandle<()> {
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .expect("bind the receiver");
    let app = Router::new()
        .route("/{path}", post(receive))
        .with_state(heard);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    })
}

fn free_address() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("address")
}

async fn create_hook(app: &TestApp, admin: &str, url: String, internal: bool) -> i64 {
    let reply = app
        .post(
            Some(admin),
            "/api/admin/webhooks",
            json!({
                "url": url,
                "secret": SECRET,
                "events": ["ticket_created", "status_changed", "message_added",
                           "clock_at_risk", "clock_breached", "rated"],
                "internal": internal,
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert!(
        reply.body.get("secret").is_none(),
        "the secret is never sent back"
    );
    reply.body["id"].as_i64().expect("id")
}

async fn admins_register_endpoints_with_checked_fields(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let refused = app
        .post(
            Some(&agent),
            "/api/admin/webhooks",
            json!({"url": "https://x.example/hook", "secret": SECRET, "events": ["rated"]}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let bad = app
        .post(
            Some(&admin),
            "/api/admin/webhooks",
            json!({"url": "ftp://x", "secret": "short", "events": []}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let unknown = app
        .post(
            Some(&admin),
            "/api/admin/webhooks",
            json!({"url": "https://x.example/hook", "secret": SECRET, "events": ["exploded"]}),
        )
        .await;
    assert!(unknown.status.is_client_error(), "{}", unknown.body);
    let id = create_hook(&app, &admin, "https://hooks.example/in".into(), false).await;
    let path = format!("/api/admin/webhooks/{id}");
    let edited = app
        .send_json(
            "PUT",
            Some(&admin),
            &path,
            json!({"url": "https://hooks.example/other", "events": ["rated"], "enabled": false}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.body["events"], json!(["rated"]));
    assert_eq!(edited.body["enabled"], false);
    let listed = app.get(Some(&admin), "/api/admin/webhooks").await;
    assert_eq!(
        listed.body["webhooks"][0]["url"],
        "https://hooks.example/other"
    );
    let missing = app
        .get(Some(&admin), "/api/admin/webhooks/999999/deliveries")
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let deleted = app
        .send_json("DELETE", Some(&admin), &path, json!(null))
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = app.get(Some(&admin), &path).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

async fn act(app: &TestApp, token: &str, reference: &str, path: &str, body: Value) {
    let reply = app
        .post(
            Some(token),
            &format!("/api/tickets/{reference}/{path}"),
            body,
        )
        .await;
    assert!(reply.status.is_success(), "{path}: {}", reply.body);
}

/// A ticket's life: registered, taken, a reply, an internal note, resolved, rated.
async fn lifecycle(app: &TestApp, customer: &str, agent: &str, subject: &str) -> String {
    let reference = app
        .create_ticket(customer, json!({"subject": subject}))
        .await;
    act(app, agent, &reference, "actions", json!({"action": "take"})).await;
    act(
        app,
        agent,
        &reference,
        "messages",
        json!({"body": "On it."}),
    )
    .await;
    let note = json!({"body": "Looks like the cache.", "internal": true});
    act(app, agent, &reference, "messages", note).await;
    act(
        app,
        agent,
        &reference,
        "actions",
        json!({"action": "resolve"}),
    )
    .await;
    act(app, customer, &reference, "rating", json!({"score": 5})).await;
    reference
}

const LIFE: [&str; 5] = [
    "ticket_created",
    "status_changed",
    "message_added",
    "status_changed",
    "rated",
];
const LIFE_WITH_NOTE: [&str; 6] = [
    "ticket_created",
    "status_changed",
    "message_added",
    "message_added",
    "status_changed",
    "rated",
];

/// Waits until `path` has heard `count` bodies (or 20 s pass).
async fn wait_for(heard: &Shared, path: &str, count: usize) -> Vec<Value> {
    for _ in 0..200 {
        let bodies = heard
            .lock()
            .expect("lock")
            .bodies
            .get(path)
            .cloned()
            .unwrap_or_default();
        if bodies.len() >= count {
            return bodies;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{path} heard fewer than {count} deliveries");
}

/// How many deliveries endpoint `id` has, after checking every one was delivered with a 2xx.
async fn delivered(app: &TestApp, admin: &str, id: i64) -> Vec<Value> {
    let log = app
        .get(Some(admin), &format!("/api/admin/webhooks/{id}/deliveries"))
        .await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    let deliveries = log.body["deliveries"]
        .as_array()
        .expect("deliveries")
        .clone();
    for delivery in &deliveries {
        assert_eq!(delivery["status"], "delivered", "{delivery}");
        assert_eq!(delivery["response_code"], 204, "{delivery}");
    }
    deliveries
}

/// Each event once, and each ticket's events in the order of the log.
fn once_and_in_order(bodies: &[Value]) {
    let mut seen = HashSet::new();
    let mut last: BTreeMap<String, i64> = BTreeMap::new();
    for body in bodies {
        let event_id = body["event_id"].as_i64().expect("event_id");
        assert!(seen.insert(event_id), "event {event_id} arrived twice");
        let reference = body["ticket"]["reference"].as_str().expect("reference");
        let before = last.insert(reference.to_owned(), event_id).unwrap_or(0);
        assert!(before < event_id, "{reference}: {event_id} after {before}");
    }
}

fn events_of(bodies: &[Value], reference: &str) -> Vec<String> {
    bodies
        .iter()
        .filter(|body| body["ticket"]["reference"] == reference)
        .map(|body| body["event"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn signed_events_arrive_once_in_order_and_after_the_receiver_was_down(app: TestApp) {
    let heard: Shared = Arc::default();
    let address = free_address();
    let receiver = serve(address, heard.clone()).await;
    let admin = app.token("admin@demo.example").await;
    let public = create_hook(&app, &admin, format!("http://{address}/public"), false).await;
    let internal = create_hook(&app, &admin, format!("http://{address}/internal"), true).await;
    let stop = tokio_util::sync::CancellationToken::new();
    let sender = server::webhooks::Sender::new(Duration::from_millis(250)).expect("sender");
    let worker = tokio::spawn(server::webhooks::run(
        app.state.db.clone(),
        sender,
        Duration::from_millis(100),
        stop.clone(),
    ));
    let anna = app.token("customer@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let first = lifecycle(&app, &anna, &agent, "Webhooks one").await;
    // Per ticket: created, taken, a reply, resolved, rated (+ the note for the internal one).
    let heard_public = wait_for(&heard, "public", 5).await;
    let heard_internal = wait_for(&heard, "internal", 6).await;
    assert_eq!(events_of(&heard_public, &first), LIFE);
    assert_eq!(events_of(&heard_internal, &first), LIFE_WITH_NOTE);
    assert!(
        heard_public.iter().all(|body| body["internal"] == false),
        "no internal note reaches a public endpoint: {heard_public:?}"
    );
    assert_eq!(heard_internal[0]["ticket"]["reference"], first);
    assert_eq!(heard_internal[4]["data"]["status"], "resolved");

    // The receiver goes down; work goes on, including an SLA breach found by the jobs.
    receiver.abort();
    let _ = receiver.await;
    let mut references = Vec::new();
    for index in 0..3 {
        references.push(lifecycle(&app, &anna, &agent, &format!("Down {index}")).await);
    }
    let open = app
        .create_ticket(&anna, json!({"subject": "Breached"}))
        .await;
    let later = chrono::Utc::now() + chrono::Duration::days(30);
    server::jobs::tick(&app.state.db, &app.state.composer, later, 7)
        .await
        .expect("tick");
    // Long enough for several failed attempts with the short test backoff.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let pending = app.get(Some(&admin), "/api/admin/webhooks").await;
    assert!(
        pending.body["webhooks"][0]["pending"].as_u64().unwrap_or(0) >= 15,
        "{}",
        pending.body
    );
    let log = app
        .get(
            Some(&admin),
            &format!("/api/admin/webhooks/{public}/deliveries"),
        )
        .await;
    let failing = log.body["deliveries"]
        .as_array()
        .expect("deliveries")
        .iter()
        .find(|delivery| {
            delivery["attempts"].as_i64().unwrap_or(0) > 0 && delivery["status"] == "pending"
        })
        .cloned()
        .expect("a delivery that failed and waits");
    assert!(
        failing["last_error"]
            .as_str()
            .unwrap_or_default()
            .contains("connect"),
        "{failing}"
    );

    // Back up: everything arrives, once, in order per ticket.
    let receiver = serve(address, heard.clone()).await;
    let public_log = wait_for_log(&app, &admin, public).await;
    let internal_log = wait_for_log(&app, &admin, internal).await;
    let heard_public = wait_for(&heard, "public", public_log).await;
    let heard_internal = wait_for(&heard, "internal", internal_log).await;
    assert_eq!(heard_public.len(), public_log);
    assert_eq!(heard_internal.len(), internal_log);
    once_and_in_order(&heard_public);
    once_and_in_order(&heard_internal);
    // The jobs may have added to each ticket's story since (closing it, say).
    for reference in &references {
        let public_events = events_of(&heard_public, reference);
        assert_eq!(
            public_events[..5],
            LIFE[..],
            "{reference}: {public_events:?}"
        );
        let internal_events = events_of(&heard_internal, reference);
        assert_eq!(internal_events[..6], LIFE_WITH_NOTE[..], "{reference}");
    }
    let breached = events_of(&heard_public, &open);
    assert_eq!(breached.first().map(String::as_str), Some("ticket_created"));
    assert!(
        breached.iter().any(|event| event == "clock_breached"),
        "{breached:?}"
    );
    assert_eq!(heard.lock().expect("lock").bad_signatures, 0);
    let retried = delivered(&app, &admin, public).await;
    assert!(
        retried
            .iter()
            .any(|delivery| delivery["attempts"].as_i64().unwrap_or(0) > 1),
        "some deliveries needed retries"
    );
    delivered(&app, &admin, internal).await;
    stop.cancel();
    let _ = worker.await;
    receiver.abort();
}

/// Waits until every delivery of endpoint `id` is made; returns how many there are.
async fn wait_for_log(app: &TestApp, admin: &str, id: i64) -> usize {
    for _ in 0..300 {
        let listed = app
            .get(Some(admin), &format!("/api/admin/webhooks/{id}"))
            .await;
        if listed.body["pending"] == 0 {
            return delivered(app, admin, id).await.len();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("endpoint {id} still has pending deliveries");
}
