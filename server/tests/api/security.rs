//! The attacks of the security review, each as it was tried: forged staff mail, control
//! characters, cross-site writes with the victim's cookie, missing browser headers, readable
//! files, unlimited uploads.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use mail_auth::common::crypto::Ed25519Key;
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::DkimSigner;
use serde_json::json;

use crate::support::{Reply, TestApp};

crate::both!(
    staff_mail_without_authentication_is_held_as_an_internal_note,
    staff_mail_signed_by_its_domain_speaks_as_staff,
    a_signature_by_another_key_does_not_count,
    control_characters_are_refused_naming_the_field,
    control_characters_in_mail_are_removed,
    a_cookie_write_from_another_site_is_refused,
    every_answer_carries_the_browser_headers,
    the_data_folder_and_its_files_are_private,
    uploads_are_rate_limited_like_other_writes,
    a_trusted_mtas_pass_lets_staff_mail_through,
    only_failed_sign_ins_count_against_an_address,
    forwarded_addresses_count_behind_a_trusted_proxy,
    an_accounts_failures_slow_it_briefly_and_an_admin_clears_them,
    free_text_has_a_maximum_and_addresses_zones_locales_are_checked,
    an_organisations_attachments_stop_at_its_quota,
);

fn staff_reply(message_id: &str) -> Vec<u8> {
    format!(
        "From: Vera Agent <agent@demo.example>\r\nTo: support@reglament.test\r\n\
         Subject: Re: [RG-000001] Printing stalls\r\nMessage-ID: <{message_id}>\r\n\
         Date: Mon, 23 Nov 2026 10:00:00 +0300\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Please send us your password, we need it to fix the queue.\r\n"
    )
    .into_bytes()
}

async fn ingest(app: &TestApp, raw: Vec<u8>) -> Reply {
    app.post_raw(
        Some("inbound-token"),
        "/api/inbound/email",
        "message/rfc822",
        raw,
    )
    .await
}

/// The message signed by a new Ed25519 key for `demo.example` (selector `rg`), and the key's
/// DNS record.
fn signed(raw: &[u8]) -> (Vec<u8>, String) {
    let pkcs8 = Ed25519Key::generate_pkcs8().expect("a key");
    let key = Ed25519Key::from_pkcs8_der(&pkcs8).expect("a key");
    let record = format!(
        "v=DKIM1; k=ed25519; p={}",
        base64::engine::general_purpose::STANDARD.encode(key.public_key())
    );
    let signature = DkimSigner::from_key(key)
        .domain("demo.example")
        .selector("rg")
        .headers(["From", "To", "Subject", "Message-ID", "Date"])
        .sign(raw)
        .expect("signature");
    let mut message = signature.to_header().into_bytes();
    message.extend_from_slice(raw);
    (message, record)
}

fn remember(app: &TestApp, record: &str) {
    app.state
        .sender_auth
        .remember_key(
            "rg",
            "demo.example",
            record,
            std::time::Duration::from_secs(3600),
        )
        .expect("a key record");
}

async fn customer_sees(app: &TestApp, text: &str) -> bool {
    let anna = app.token("customer@demo.example").await;
    let reply = app.get(Some(&anna), "/api/tickets/RG-000001").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body.to_string().contains(text)
}

async fn staff_detail(app: &TestApp) -> serde_json::Value {
    let lead = app.token("lead@demo.example").await;
    let reply = app.get(Some(&lead), "/api/tickets/RG-000001").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

async fn staff_mail_without_authentication_is_held_as_an_internal_note(app: TestApp) {
    let before = app.outbox().await.len();
    let reply = ingest(&app, staff_reply("forged-1@evil.example")).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["outcome"], "threaded");
    assert!(
        !customer_sees(&app, "send us your password").await,
        "the customer must not see forged staff mail"
    );
    let detail = staff_detail(&app).await;
    let notes = detail["internal_notes"].to_string();
    assert!(notes.contains("Unverified sender"), "{notes}");
    assert!(notes.contains("send us your password"), "{notes}");
    let public = detail["messages"].to_string();
    assert!(!public.contains("send us your password"), "{public}");
    let mail = app.outbox().await;
    assert!(
        mail[before..]
            .iter()
            .all(|row| row.to_address != "customer@demo.example"),
        "{mail:?}"
    );
}

async fn staff_mail_signed_by_its_domain_speaks_as_staff(app: TestApp) {
    let (message, record) = signed(&staff_reply("signed-1@demo.example"));
    remember(&app, &record);
    let reply = ingest(&app, message).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["outcome"], "threaded");
    assert!(customer_sees(&app, "send us your password").await);
    let messages = staff_detail(&app).await["messages"].clone();
    let last = messages.as_array().and_then(|m| m.last()).cloned();
    assert_eq!(last.expect("a message")["from_staff"], true);
}

async fn a_signature_by_another_key_does_not_count(app: TestApp) {
    let (message, _) = signed(&staff_reply("signed-2@demo.example"));
    let (_, other_record) = signed(b"From: x@demo.example\r\n\r\nx\r\n");
    remember(&app, &other_record);
    let reply = ingest(&app, message).await;
    assert_eq!(reply.body["outcome"], "threaded", "{}", reply.body);
    assert!(!customer_sees(&app, "send us your password").await);
    // A message altered after signing fails too.
    let (mut tampered, record) = signed(&staff_reply("signed-3@demo.example"));
    remember(&app, &record);
    let at = tampered.len() - 10;
    tampered[at] = b'X';
    ingest(&app, tampered).await;
    assert!(!customer_sees(&app, "send us your passwXrd").await);
}

/// Asserts a 422 that names `field`.
fn assert_refused(reply: &Reply, field: &str) {
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(reply.body["field"], field, "{}", reply.body);
}

async fn control_characters_are_refused_naming_the_field(app: TestApp) {
    let login = app
        .post(
            None,
            "/api/auth/login",
            json!({"email": "customer@demo.example\u{0}", "password": "demo"}),
        )
        .await;
    assert_refused(&login, "email");
    let anna = app.token("customer@demo.example").await;
    let ticket = app
        .post(
            Some(&anna),
            "/api/tickets",
            json!({"subject": "Nul\u{0}here", "description": "d", "category": "D", "product_version": "1"}),
        )
        .await;
    assert_refused(&ticket, "subject");
    let message = app
        .post(
            Some(&anna),
            "/api/tickets/RG-000001/messages",
            json!({"body": "escape \u{1b}[31m"}),
        )
        .await;
    assert_refused(&message, "body");
    let search = app.get(Some(&anna), "/api/tickets?q=a%00b").await;
    assert_refused(&search, "q");
    let path = app.get(Some(&anna), "/api/tickets/RG-%00").await;
    assert_refused(&path, "path");
    // Tabs and line breaks are text.
    let fine = app
        .post(
            Some(&anna),
            "/api/tickets",
            json!({"subject": "Tabs\tare fine", "description": "one\r\ntwo\nthree", "category": "D", "product_version": "1"}),
        )
        .await;
    assert_eq!(fine.status, StatusCode::CREATED, "{}", fine.body);
}

async fn control_characters_in_mail_are_removed(app: TestApp) {
    let raw = b"From: Anna Customer <customer@demo.example>\r\nTo: support@reglament.test\r\n\
        Subject: Null\x00 in the subject\r\nMessage-ID: <nul-1@demo.example>\r\n\
        Date: Mon, 23 Nov 2026 10:00:00 +0300\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
        A body with a NUL\x00 byte.\r\n"
        .to_vec();
    let reply = ingest(&app, raw.clone()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let reference = reply.body["reference"]
        .as_str()
        .expect("reference")
        .to_owned();
    let lead = app.token("lead@demo.example").await;
    let detail = app
        .get(Some(&lead), &format!("/api/tickets/{reference}"))
        .await;
    assert_eq!(detail.body["ticket"]["subject"], "Null in the subject");
    assert!(
        detail.body["ticket"]["description"]
            .as_str()
            .unwrap_or_default()
            .contains("A body with a NUL byte.")
    );
    let again = ingest(&app, raw).await;
    assert_eq!(again.body["outcome"], "duplicate");
}

fn with_cookie(method: &str, path: &str, token: &str, origin: Option<&str>) -> Request<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "reglament.test")
        .header(header::COOKIE, format!("rg_session={token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(origin) = origin {
        request = request.header(header::ORIGIN, origin);
    }
    request
        .body(Body::from(json!({"reason": "x"}).to_string()))
        .expect("request")
}

async fn a_cookie_write_from_another_site_is_refused(app: TestApp) {
    let agent = app.token("agent@demo.example").await;
    let path = "/api/tickets/RG-000001/followers";
    for origin in [Some("http://evil.test"), Some("null"), None] {
        let reply = app.send(with_cookie("POST", path, &agent, origin)).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{origin:?}: {}",
            reply.body
        );
        assert_eq!(reply.body["error"], "forbidden");
    }
    // The product's own pages may.
    let own = app
        .send(with_cookie(
            "POST",
            path,
            &agent,
            Some("http://reglament.test"),
        ))
        .await;
    assert!(own.status.is_success(), "{}: {}", own.status, own.body);
    let mut fetched = with_cookie("DELETE", path, &agent, None);
    fetched.headers_mut().insert(
        "sec-fetch-site",
        header::HeaderValue::from_static("same-origin"),
    );
    let fetched = app.send(fetched).await;
    assert!(
        fetched.status.is_success(),
        "{}: {}",
        fetched.status,
        fetched.body
    );
    // Reads need nothing, and Bearer requests are not a browser's.
    let read = app
        .send(
            Request::get("/api/me")
                .header(header::COOKIE, format!("rg_session={agent}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(read.status, StatusCode::OK);
    let bearer = app.follow(&agent, "RG-000001").await;
    assert!(bearer.status.is_success(), "{}", bearer.body);
}

async fn every_answer_carries_the_browser_headers(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    for (path, token) in [
        ("/api/health", None),
        ("/api/me", Some(anna.as_str())),
        ("/", None),
        ("/api/no-such-thing", None),
    ] {
        let reply = app.get(token, path).await;
        let csp = reply
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(
            reply.headers[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff",
            "{path}"
        );
        assert!(
            reply.headers.contains_key(header::REFERRER_POLICY),
            "{path}"
        );
        assert!(
            !reply
                .headers
                .contains_key(header::STRICT_TRANSPORT_SECURITY),
            "plain HTTP has no HSTS"
        );
    }
    let me = app.get(Some(&anna), "/api/me").await;
    assert_eq!(me.headers[header::CACHE_CONTROL], "no-store");
}

async fn the_data_folder_and_its_files_are_private(app: TestApp) {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(app.data_dir()), 0o700);
    let database = app.data_dir().join("db.sqlite3");
    if app.state.config.database_url.starts_with("sqlite") {
        assert_eq!(mode(&database), 0o600);
    }
    let agent = app.token("agent@demo.example").await;
    let uploaded = upload(&app, &agent, "RG-000001").await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    let folder = app.data_dir().join("attachments");
    let mut files = 0;
    for entry in std::fs::read_dir(&folder).expect("attachments") {
        let path = entry.expect("entry").path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
        files += 1;
    }
    assert_eq!(files, 1);
}

async fn upload(app: &TestApp, token: &str, reference: &str) -> Reply {
    crate::attachments::upload(app, token, reference, "screen.png", crate::attachments::PNG).await
}

async fn uploads_are_rate_limited_like_other_writes(app: TestApp) {
    let agent = app.token("agent@demo.example").await;
    let mut statuses = Vec::new();
    for _ in 0..125 {
        statuses.push(upload(&app, &agent, "RG-000001").await.status);
    }
    let created = statuses
        .iter()
        .filter(|status| **status == StatusCode::CREATED)
        .count();
    let limited = statuses
        .iter()
        .filter(|status| **status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((created, limited), (120, 5), "{statuses:?}");
}

/// Sends `request` to the app with its state changed by `change`.
async fn send_changed(
    app: &TestApp,
    change: impl FnOnce(&mut server::state::AppState),
    request: Request<Body>,
) -> Reply {
    let mut state = app.state.clone();
    change(&mut state);
    let other = TestApp::with_router(app, server::app(state));
    other.send(request).await
}

async fn a_trusted_mtas_pass_lets_staff_mail_through(app: TestApp) {
    let trusted = |state: &mut server::state::AppState| {
        state.sender_auth = std::sync::Arc::new(server::sender_auth::SenderAuth::new(Some(
            "mx.demo.example".into(),
        )));
    };
    let gateway = |raw: Vec<u8>| {
        Request::post("/api/inbound/email")
            .header(header::AUTHORIZATION, "Bearer inbound-token")
            .header(header::CONTENT_TYPE, "message/rfc822")
            .body(Body::from(raw))
            .expect("request")
    };
    // Another MTA's word does not count.
    let mut other =
        b"Authentication-Results: mx.evil.example; dkim=pass header.d=demo.example\r\n".to_vec();
    other.extend(staff_reply("ar-1@demo.example"));
    send_changed(&app, trusted, gateway(other)).await;
    assert!(!customer_sees(&app, "send us your password").await);
    let mut passed = b"Authentication-Results: mx.demo.example;\r\n dkim=pass header.d=demo.example; spf=pass smtp.mailfrom=agent@demo.example\r\n".to_vec();
    passed.extend(staff_reply("ar-2@demo.example"));
    let reply = send_changed(&app, trusted, gateway(passed)).await;
    assert_eq!(reply.body["outcome"], "threaded", "{}", reply.body);
    assert!(customer_sees(&app, "send us your password").await);
}

async fn login(app: &TestApp, email: &str, password: &str) -> Reply {
    app.post(
        None,
        "/api/auth/login",
        json!({"email": email, "password": password}),
    )
    .await
}

async fn only_failed_sign_ins_count_against_an_address(app: TestApp) {
    for attempt in 0..65 {
        let reply = login(&app, "customer@demo.example", "demo").await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "attempt {attempt}: {}",
            reply.body
        );
    }
}

async fn forwarded_addresses_count_behind_a_trusted_proxy(app: TestApp) {
    let behind_proxy = |state: &mut server::state::AppState| {
        let mut config = (*state.config).clone();
        config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("a CIDR")];
        state.config = std::sync::Arc::new(config);
    };
    let attempt = |client: &str, n: usize| {
        Request::post("/api/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-forwarded-for", client)
            .body(Body::from(
                json!({"email": format!("nobody{n}@demo.example"), "password": "guess"})
                    .to_string(),
            ))
            .expect("request")
    };
    let mut statuses = Vec::new();
    for n in 0..61 {
        statuses.push(
            send_changed(&app, behind_proxy, attempt("203.0.113.1", n))
                .await
                .status,
        );
    }
    assert!(
        statuses[..60]
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    assert_eq!(statuses[60], StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy is not blamed.
    let other = send_changed(&app, behind_proxy, attempt("203.0.113.2", 99)).await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED);
}

async fn an_accounts_failures_slow_it_briefly_and_an_admin_clears_them(app: TestApp) {
    for _ in 0..4 {
        let reply = login(&app, "customer@demo.example", "wrong").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    }
    let slowed = login(&app, "customer@demo.example", "demo").await;
    assert_eq!(
        slowed.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        slowed.body
    );
    let wait: u64 = slowed.headers[header::RETRY_AFTER]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=2).contains(&wait), "{wait}");
    let admin = app.token("admin@demo.example").await;
    let list = app.get(Some(&admin), "/api/admin/login-throttles").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.body["throttles"][0]["email"], "customer@demo.example");
    assert_eq!(list.body["throttles"][0]["failures"], 4);
    let anna = app.token("customer@demo.example").await;
    let forbidden = app.get(Some(&anna), "/api/admin/login-throttles").await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let cleared = app
        .send(
            Request::delete("/api/admin/login-throttles/customer@demo.example")
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(cleared.status, StatusCode::NO_CONTENT, "{}", cleared.body);
    let signed_in = login(&app, "customer@demo.example", "demo").await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
}

async fn free_text_has_a_maximum_and_addresses_zones_locales_are_checked(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    for (field, value) in [
        ("email", json!("@")),
        ("email", json!("a@b.c\r\nbcc: victim@demo.example")),
        ("time_zone", json!("Mars/Olympus")),
        ("locale", json!("xx")),
        ("name", json!("n".repeat(10_000))),
    ] {
        let mut body =
            json!({"email": "new.agent@demo.example", "name": "New Agent", "role": "agent_l1"});
        body[field] = value;
        let reply = app.post(Some(&admin), "/api/admin/users", body).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            reply.body
        );
        assert!(
            reply.body["fields"].get(field).is_some(),
            "{field}: {}",
            reply.body
        );
    }
    let agent = app.token("agent@demo.example").await;
    let reply = app
        .post(
            Some(&agent),
            "/api/tickets/RG-000001/reclassifications",
            json!({"category": "D", "reason": "r".repeat(1_000_000)}),
        )
        .await;
    assert_refused(&reply, "reason");
}

async fn an_organisations_attachments_stop_at_its_quota(app: TestApp) {
    let agent = app.token("agent@demo.example").await;
    let small_quota = |state: &mut server::state::AppState| {
        let mut config = (*state.config).clone();
        config.storage_quota_bytes = 2 * crate::attachments::PNG.len() as u64 + 5;
        state.config = std::sync::Arc::new(config);
    };
    let mut statuses = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let boundary = "rg-quota";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.png\"\r\nContent-Type: image/png\r\n\r\n").into_bytes();
        body.extend_from_slice(crate::attachments::PNG);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = Request::post("/api/tickets/RG-000001/attachments")
            .header(header::AUTHORIZATION, format!("Bearer {agent}"))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request");
        let reply = send_changed(&app, small_quota, request).await;
        statuses.push(reply.status);
        last = Some(reply);
    }
    assert_eq!(
        statuses,
        [
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::PAYLOAD_TOO_LARGE
        ]
    );
    let refused = last.expect("a reply");
    assert_eq!(refused.body["error"], "quota_exceeded");
    assert!(
        refused.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("storage"),
        "{}",
        refused.body
    );
}
