use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use crate::support::TestApp;

crate::both!(files_follow_the_policy_and_staff_files_confirm_delivery);

pub const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

pub async fn upload(
    app: &TestApp,
    token: &str,
    reference: &str,
    name: &str,
    content: &[u8],
) -> crate::support::Reply {
    let boundary = "rg-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::post(format!("/api/tickets/{reference}/attachments"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    app.send(request).await
}

async fn files_follow_the_policy_and_staff_files_confirm_delivery(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let boris = app.token("customer2@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let created = app
        .post(
            Some(&anna),
            "/api/tickets",
            json!({"subject": "Files", "description": "d", "category": "D", "product_version": "1"}),
        )
        .await;
    let reference = created.body["reference"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let bmp = upload(
        &app,
        &anna,
        &reference,
        "screen.bmp",
        b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00",
    )
    .await;
    assert_eq!(
        bmp.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        bmp.body
    );
    let lying = upload(
        &app,
        &anna,
        &reference,
        "notes.txt",
        b"MZ\x90\x00\x03\x00\x00\x00",
    )
    .await;
    assert_eq!(lying.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let stranger = upload(&app, &boris, &reference, "a.png", PNG).await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    let sent = upload(&app, &agent, &reference, "fix.png", PNG).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    assert_eq!(sent.body["content_type"], "image/png");
    let id = sent.body["id"].as_i64().expect("id");
    assert_eq!(
        app.get(Some(&boris), &format!("/api/attachments/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Staff downloading their own file is not a delivery.
    let by_staff = app
        .get(Some(&agent), &format!("/api/attachments/{id}"))
        .await;
    assert_eq!(by_staff.status, StatusCode::OK);
    let before = app
        .get(Some(&agent), &format!("/api/tickets/{reference}"))
        .await;
    assert!(before.body["attachments"][0]["first_downloaded_at"].is_null());
    let download = app
        .get(Some(&anna), &format!("/api/attachments/{id}"))
        .await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.headers["content-type"], "image/png");
    let after = app
        .get(Some(&agent), &format!("/api/tickets/{reference}"))
        .await;
    assert!(
        after.body["attachments"][0]["first_downloaded_at"].is_string(),
        "{}",
        after.body["attachments"]
    );
    // A second download keeps the first time; the requester never sees the mark.
    app.state.clock.advance(chrono::Duration::minutes(5));
    let again = app
        .get(Some(&anna), &format!("/api/attachments/{id}"))
        .await;
    assert_eq!(again.status, StatusCode::OK);
    let later = app
        .get(Some(&agent), &format!("/api/tickets/{reference}"))
        .await;
    assert_eq!(
        later.body["attachments"][0]["first_downloaded_at"],
        after.body["attachments"][0]["first_downloaded_at"]
    );
    let seen = app
        .get(Some(&anna), &format!("/api/tickets/{reference}"))
        .await;
    assert_eq!(seen.body["attachments"][0]["id"], id);
    assert!(
        seen.body["attachments"][0]["first_downloaded_at"].is_null(),
        "{}",
        seen.body["attachments"]
    );
}
