use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

crate::both!(
    l1_cannot_edit_known_errors_l2_can,
    customers_read_only_published_known_errors,
    search_matches_title_and_symptoms,
    fixing_a_known_error_informs_linked_tickets,
    the_fix_of_an_unpublished_known_error_names_only_the_version,
);

async fn l1_cannot_edit_known_errors_l2_can(app: TestApp) {
    let agent = app.token("agent@demo.example").await;
    let engineer = app.token("engineer@demo.example").await;
    let body = json!({"title": "Crash on start", "symptoms": "The service exits with code 3."});
    let refused = app
        .post(Some(&agent), "/api/known-errors", body.clone())
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let created = app.post(Some(&engineer), "/api/known-errors", body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert!(
        created.body["number"]
            .as_str()
            .is_some_and(|n| n.starts_with("KE-"))
    );
    let invalid = app
        .post(
            Some(&engineer),
            "/api/known-errors",
            json!({"title": "", "symptoms": "x", "status": "done"}),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = invalid.body["fields"].as_object().expect("fields");
    assert!(fields.contains_key("title") && fields.contains_key("status"));
}

async fn customers_read_only_published_known_errors(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let list = app.get(Some(&anna), "/api/known-errors").await;
    assert_eq!(list.status, StatusCode::OK);
    let numbers: Vec<&str> = list.body["known_errors"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|k| k["number"].as_str())
        .collect();
    assert_eq!(numbers, ["KE-0001"], "only the published demo error");
    let agent = app.token("agent@demo.example").await;
    let staff = app.get(Some(&agent), "/api/known-errors").await;
    assert_eq!(staff.body["known_errors"].as_array().map(Vec::len), Some(2));
    let unpublished_id = staff.body["known_errors"]
        .as_array()
        .and_then(|list| list.iter().find(|k| k["published"] == false))
        .and_then(|k| k["id"].as_i64())
        .expect("an unpublished one");
    let hidden = app
        .get(Some(&anna), &format!("/api/known-errors/{unpublished_id}"))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let patch = axum::http::Request::patch(format!("/api/known-errors/{unpublished_id}"))
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {anna}"))
        .body(axum::body::Body::from(
            json!({"published": true}).to_string(),
        ))
        .expect("request");
    assert_eq!(app.send(patch).await.status, StatusCode::FORBIDDEN);
}

async fn search_matches_title_and_symptoms(app: TestApp) {
    let agent = app.token("agent@demo.example").await;
    let by_title = app.get(Some(&agent), "/api/known-errors?q=EXPORT").await;
    assert_eq!(
        by_title.body["known_errors"].as_array().map(Vec::len),
        Some(1)
    );
    let by_symptom = app
        .get(Some(&agent), "/api/known-errors?q=changeover%20hour")
        .await;
    assert_eq!(by_symptom.body["known_errors"][0]["number"], "KE-0002");
    let nothing = app.get(Some(&agent), "/api/known-errors?q=zebra").await;
    assert_eq!(
        nothing.body["known_errors"].as_array().map(Vec::len),
        Some(0)
    );
}

async fn fixing_a_known_error_informs_linked_tickets(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let engineer = app.token("engineer@demo.example").await;
    let reference = file_ticket(&app, &anna, "Export").await;
    let staff = app.get(Some(&engineer), "/api/known-errors?q=export").await;
    let id = staff.body["known_errors"][0]["id"].as_i64().expect("id");
    let missing = app
        .post(
            Some(&engineer),
            &format!("/api/tickets/{reference}/actions"),
            json!({"action": "link_known_error", "known_error_id": 9999}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let linked = app
        .post(
            Some(&engineer),
            &format!("/api/tickets/{reference}/actions"),
            json!({"action": "link_known_error", "known_error_id": id}),
        )
        .await;
    assert_eq!(linked.status, StatusCode::OK, "{}", linked.body);
    let tickets = app
        .get(Some(&engineer), &format!("/api/known-errors/{id}/tickets"))
        .await;
    assert_eq!(tickets.status, StatusCode::OK, "{}", tickets.body);
    assert_eq!(tickets.body["tickets"][0]["reference"], reference.as_str());
    let hidden = app
        .get(Some(&anna), &format!("/api/known-errors/{id}/tickets"))
        .await;
    assert_eq!(hidden.status, StatusCode::FORBIDDEN);
    // A follower of the ticket hears of the fix as well as its requester.
    let agent = app.token("agent@demo.example").await;
    let follow = app.follow(&agent, &reference).await;
    assert_eq!(follow.status, StatusCode::NO_CONTENT, "{}", follow.body);
    let fixed = mark_fixed(&app, &engineer, id, "5.3.0").await;
    assert_eq!(fixed.status, StatusCode::OK, "{}", fixed.body);
    assert_eq!(fixed.body["status"], "fixed");
    let detail = app
        .get(Some(&anna), &format!("/api/tickets/{reference}"))
        .await;
    let kinds: Vec<&str> = detail.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"known_error_fixed"), "{kinds:?}");
    for account in ["customer@demo.example", "agent@demo.example"] {
        assert_eq!(
            app.notifications(account, "known_error_fixed").await,
            1,
            "{account} hears of the fix once"
        );
    }
    assert_eq!(
        app.notifications("engineer@demo.example", "known_error_fixed")
            .await,
        0,
        "the engineer who fixed it is not told"
    );
}

async fn the_fix_of_an_unpublished_known_error_names_only_the_version(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let engineer = app.token("engineer@demo.example").await;
    let reference = file_ticket(&app, &anna, "Jobs").await;
    let staff = app
        .get(Some(&engineer), "/api/known-errors?q=changeover")
        .await;
    let known = &staff.body["known_errors"][0];
    assert_eq!(known["published"], false, "{known}");
    let id = known["id"].as_i64().expect("id");
    let linked = app
        .post(
            Some(&engineer),
            &format!("/api/tickets/{reference}/actions"),
            json!({"action": "link_known_error", "known_error_id": id}),
        )
        .await;
    assert_eq!(linked.status, StatusCode::OK, "{}", linked.body);
    assert_eq!(
        mark_fixed(&app, &engineer, id, "5.3.1").await.status,
        StatusCode::OK
    );
    let secret = ["KE-0002", "Scheduler skips", "DST change"];
    let detail = app
        .get(Some(&anna), &format!("/api/tickets/{reference}"))
        .await;
    let fixed = detail.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "known_error_fixed")
        .expect("the fix event")
        .clone();
    assert_eq!(fixed["payload"], json!({"fixed_in": "5.3.1"}));
    let notifications = app.get(Some(&anna), "/api/notifications").await;
    let said = notifications.body.to_string();
    assert!(
        said.contains("a fix is available in version 5.3.1"),
        "{said}"
    );
    let mail: Vec<_> = app
        .outbox_for(&reference)
        .await
        .into_iter()
        .filter(|row| row.to_address == "customer@demo.example")
        .collect();
    let fix_mail = mail.last().expect("mail to the customer");
    assert!(fix_mail.body.contains("5.3.1"), "{}", fix_mail.body);
    for text in secret {
        assert!(!said.contains(text), "{text} in {said}");
        assert!(!fixed.to_string().contains(text), "{text} in {fixed}");
        for row in &mail {
            assert!(
                !row.body.contains(text) && !row.subject.contains(text),
                "{text} in {row:?}"
            );
        }
    }
}

/// Files a ticket as `token` and returns its reference.
async fn file_ticket(app: &TestApp, token: &str, subject: &str) -> String {
    let ticket = app
        .post(
            Some(token),
            "/api/tickets",
            json!({"subject": subject, "description": "d", "category": "C", "severity": 3, "product_version": "5.2"}),
        )
        .await;
    assert_eq!(ticket.status, StatusCode::CREATED, "{}", ticket.body);
    ticket.body["reference"]
        .as_str()
        .expect("reference")
        .to_owned()
}

/// Marks known error `id` fixed in `version` as `token`.
async fn mark_fixed(app: &TestApp, token: &str, id: i64, version: &str) -> crate::support::Reply {
    let patch = axum::http::Request::patch(format!("/api/known-errors/{id}"))
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::from(
            json!({"status": "fixed", "fixed_in": version}).to_string(),
        ))
        .expect("request");
    app.send(patch).await
}
