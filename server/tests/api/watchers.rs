//! Organisation watchers: the admin endpoints, and what watchers hear of the organisation's
//! tickets in the app and by mail.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::admin::northwind;
use crate::mail::{act, create, mailed_for_message, sent_to};
use crate::support::TestApp;

crate::both!(
    watchers_are_replaced_listed_and_audited,
    watchers_are_refused_with_422_and_unknown_organisations_with_404,
    watchers_hear_of_the_organisations_tickets_but_not_their_own_actions,
    a_watcher_without_mail_still_gets_notifications,
);

const WATCHER: &str = "watcher@northwind.example";

fn watchers_path(organisation_id: i64) -> String {
    format!("/api/admin/organisations/{organisation_id}/watchers")
}

/// A second Northwind customer account, made by the admin.
async fn northwind_customer(app: &TestApp, admin: &str, email: &str) -> i64 {
    let organisation_id = northwind(app, admin).await;
    app.create_account(
        admin,
        json!({"email": email, "name": "Wanda Watcher", "role": "customer", "organisation_id": organisation_id}),
    )
    .await
}

async fn put_watchers(app: &TestApp, token: &str, organisation_id: i64, ids: &[i64]) -> Value {
    let reply = app
        .send_json(
            "PUT",
            Some(token),
            &watchers_path(organisation_id),
            json!({ "user_ids": ids }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

fn emails(list: &Value) -> Vec<String> {
    let mut emails: Vec<String> = list["watchers"]
        .as_array()
        .expect("watchers")
        .iter()
        .map(|user| user["email"].as_str().expect("email").to_owned())
        .collect();
    emails.sort();
    emails
}

/// The kinds of the caller's notifications about `reference`.
async fn notification_kinds(app: &TestApp, token: &str, reference: &str) -> Vec<String> {
    let reply = app.get(Some(token), "/api/notifications").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body["notifications"]
        .as_array()
        .expect("notifications")
        .iter()
        .filter(|n| n["reference"] == reference)
        .map(|n| n["kind"].as_str().expect("kind").to_owned())
        .collect()
}

/// Whether the caller has a notification of `kind` about `reference`.
async fn notified(app: &TestApp, token: &str, reference: &str, kind: &str) -> bool {
    notification_kinds(app, token, reference)
        .await
        .iter()
        .any(|k| k == kind)
}

async fn watchers_are_replaced_listed_and_audited(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let lead = app.token("lead@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let organisation_id = northwind(&app, &admin).await;
    let watcher_id = northwind_customer(&app, &admin, WATCHER).await;
    let engineer_id = app.user_id("engineer@demo.example").await;
    let path = watchers_path(organisation_id);

    let empty = app.get(Some(&admin), &path).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    assert_eq!(empty.body["watchers"], json!([]));

    // Duplicates in the request are one watcher.
    let saved = put_watchers(
        &app,
        &admin,
        organisation_id,
        &[watcher_id, engineer_id, watcher_id],
    )
    .await;
    assert_eq!(emails(&saved), ["engineer@demo.example", WATCHER]);
    let wanda = saved["watchers"]
        .as_array()
        .and_then(|list| list.iter().find(|u| u["email"] == WATCHER))
        .expect("the customer watcher");
    assert_eq!(wanda["role"], "customer");
    assert_eq!(wanda["organisation_id"], organisation_id);
    assert_eq!(wanda["active"], true);
    assert!(wanda.get("password_hash").is_none(), "{wanda}");

    // Supervisors read the list; only admins change it; customers and agents read nothing.
    let read = app.get(Some(&lead), &path).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert_eq!(emails(&read.body), ["engineer@demo.example", WATCHER]);
    for token in [&lead, &agent] {
        let refused = app
            .send_json("PUT", Some(token), &path, json!({"user_ids": []}))
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    }
    let anna = app.token("customer@demo.example").await;
    assert_eq!(
        app.get(Some(&anna), &path).await.status,
        StatusCode::FORBIDDEN
    );

    let audit = app
        .get(
            Some(&admin),
            &format!(
                "/api/admin/audit?entity=organisation&entity_id={organisation_id}&action=organisation.watchers"
            ),
        )
        .await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.body);
    let mut after = vec![watcher_id, engineer_id];
    after.sort_unstable();
    assert_eq!(audit.body["entries"][0]["details"]["before"], json!([]));
    assert_eq!(audit.body["entries"][0]["details"]["after"], json!(after));

    // A PUT replaces the set: an empty list removes everyone.
    let replaced = put_watchers(&app, &admin, organisation_id, &[engineer_id]).await;
    assert_eq!(emails(&replaced), ["engineer@demo.example"]);
    let cleared = put_watchers(&app, &admin, organisation_id, &[]).await;
    assert_eq!(cleared["watchers"], json!([]));
    assert_eq!(
        app.get(Some(&admin), &path).await.body["watchers"],
        json!([])
    );
    let audit = app
        .get(
            Some(&admin),
            &format!("/api/admin/audit?entity=organisation&entity_id={organisation_id}&action=organisation.watchers"),
        )
        .await;
    assert_eq!(audit.body["entries"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        audit.body["entries"][0]["details"]["before"],
        json!([engineer_id])
    );
}

async fn watchers_are_refused_with_422_and_unknown_organisations_with_404(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let organisation_id = northwind(&app, &admin).await;
    let watcher_id = northwind_customer(&app, &admin, WATCHER).await;
    let gone_id = northwind_customer(&app, &admin, "gone@northwind.example").await;
    let deactivated = app.deactivate(&admin, gone_id).await;
    assert_eq!(deactivated.status, StatusCode::OK, "{}", deactivated.body);
    let boris_id = app.user_id("customer2@demo.example").await;
    let path = watchers_path(organisation_id);
    put_watchers(&app, &admin, organisation_id, &[watcher_id]).await;

    for (ids, says) in [
        (vec![watcher_id, 999_999], "no account with id 999999"),
        (vec![gone_id], "is deactivated"),
        (
            vec![watcher_id, boris_id],
            "customer of another organisation",
        ),
    ] {
        let refused = app
            .send_json("PUT", Some(&admin), &path, json!({ "user_ids": ids }))
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{ids:?}: {}",
            refused.body
        );
        assert_eq!(refused.body["error"], "validation");
        assert_eq!(refused.body["field"], "user_ids");
        assert!(
            refused.body["message"]
                .as_str()
                .is_some_and(|message| message.contains(says)),
            "{ids:?}: {}",
            refused.body
        );
        // Nothing half-written: the set is as the last good PUT left it.
        assert_eq!(
            emails(&app.get(Some(&admin), &path).await.body),
            [WATCHER],
            "{ids:?}"
        );
    }
    let malformed = app
        .send_json("PUT", Some(&admin), &path, json!({"user_ids": "all"}))
        .await;
    assert_eq!(malformed.status, StatusCode::UNPROCESSABLE_ENTITY);

    let missing = watchers_path(999_999);
    assert_eq!(
        app.get(Some(&admin), &missing).await.status,
        StatusCode::NOT_FOUND
    );
    let put_missing = app
        .send_json(
            "PUT",
            Some(&admin),
            &missing,
            json!({ "user_ids": [watcher_id] }),
        )
        .await;
    assert_eq!(
        put_missing.status,
        StatusCode::NOT_FOUND,
        "{}",
        put_missing.body
    );
    assert_eq!(put_missing.body["error"], "not_found");
}

async fn watchers_hear_of_the_organisations_tickets_but_not_their_own_actions(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let organisation_id = northwind(&app, &admin).await;
    let watcher_id = northwind_customer(&app, &admin, WATCHER).await;
    let engineer_id = app.user_id("engineer@demo.example").await;
    put_watchers(&app, &admin, organisation_id, &[watcher_id, engineer_id]).await;
    let anna = app.token("customer@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let wanda = app.token(WATCHER).await;
    let engineer = app.token("engineer@demo.example").await;

    // Registration: the watchers hear of the new ticket with the supervisors.
    let reference = create(&app, &anna, "Watched export").await;
    assert_eq!(
        sent_to(&app, &reference, 0).await,
        [
            "customer@demo.example",
            "engineer@demo.example",
            "lead@demo.example",
            WATCHER
        ]
    );
    assert_eq!(
        notification_kinds(&app, &wanda, &reference).await,
        ["ticket_registered"]
    );
    // The customer watcher reads the ticket as any customer of the organisation does; another
    // organisation's customer still gets 404.
    let read = app
        .get(Some(&wanda), &format!("/api/tickets/{reference}"))
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let boris = app.token("customer2@demo.example").await;
    assert_eq!(
        app.get(Some(&boris), &format!("/api/tickets/{reference}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // A public reply reaches both watchers, in the app and by mail.
    act(&app, &agent, &reference, json!({"action": "take"})).await;
    assert_eq!(
        mailed_for_message(
            &app,
            &agent,
            &reference,
            json!({"body": "Try the new build."})
        )
        .await,
        ["customer@demo.example", "engineer@demo.example", WATCHER]
    );
    let to_wanda = app
        .outbox_for(&reference)
        .await
        .into_iter()
        .rev()
        .find(|row| row.to_address == WATCHER)
        .expect("mail to the watcher");
    assert_eq!(
        to_wanda.subject,
        format!("[{reference}] Reply: Watched export")
    );
    assert!(
        to_wanda.body.contains("Try the new build."),
        "{}",
        to_wanda.body
    );
    assert!(notified(&app, &wanda, &reference, "agent_reply").await);
    assert!(notified(&app, &engineer, &reference, "agent_reply").await);

    // The watcher's own message tells the others, never the watcher.
    let before = notification_kinds(&app, &wanda, &reference).await.len();
    assert_eq!(
        mailed_for_message(
            &app,
            &wanda,
            &reference,
            json!({"body": "It works for me."})
        )
        .await,
        [
            "agent@demo.example",
            "customer@demo.example",
            "engineer@demo.example"
        ]
    );
    assert_eq!(
        notification_kinds(&app, &wanda, &reference).await.len(),
        before
    );
    assert!(notified(&app, &anna, &reference, "customer_reply").await);

    // An internal note reaches the staff watcher only.
    assert_eq!(
        mailed_for_message(
            &app,
            &agent,
            &reference,
            json!({"body": "Customer runs an old driver.", "internal": true})
        )
        .await,
        ["engineer@demo.example"]
    );
    assert!(notified(&app, &engineer, &reference, "internal_note").await);
    assert!(!notified(&app, &wanda, &reference, "internal_note").await);

    // Another organisation's tickets are not theirs to hear of.
    let volga = create(&app, &boris, "Volga outage").await;
    assert_eq!(
        sent_to(&app, &volga, 0).await,
        ["customer2@demo.example", "lead@demo.example"]
    );
    assert!(notification_kinds(&app, &wanda, &volga).await.is_empty());
}

async fn a_watcher_without_mail_still_gets_notifications(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let organisation_id = northwind(&app, &admin).await;
    let watcher_id = northwind_customer(&app, &admin, WATCHER).await;
    put_watchers(&app, &admin, organisation_id, &[watcher_id]).await;
    let anna = app.token("customer@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let wanda = app.token(WATCHER).await;
    let reference = create(&app, &anna, "Quiet watcher").await;
    act(&app, &agent, &reference, json!({"action": "take"})).await;

    // Only tickets the watcher follows or watches go quiet; the other choices stay.
    let off = app
        .send_json(
            "PATCH",
            Some(&wanda),
            "/api/me",
            json!({"mail": {"ticket_updates": true, "followed_tickets": false, "sla_alerts": true, "announcements": true}}),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(
        mailed_for_message(&app, &agent, &reference, json!({"body": "Any news?"})).await,
        ["customer@demo.example"]
    );
    assert!(notified(&app, &wanda, &reference, "agent_reply").await);

    // A deactivated watcher hears nothing at all.
    let deactivated = app.deactivate(&admin, watcher_id).await;
    assert_eq!(deactivated.status, StatusCode::OK, "{}", deactivated.body);
    assert_eq!(deactivated.body["active"], false);
    let before = notification_rows(&app, watcher_id).await;
    assert_eq!(
        mailed_for_message(&app, &agent, &reference, json!({"body": "Still there?"})).await,
        ["customer@demo.example"]
    );
    assert_eq!(notification_rows(&app, watcher_id).await, before);
    assert_eq!(
        notification_kinds(&app, &anna, &reference)
            .await
            .iter()
            .filter(|kind| *kind == "agent_reply")
            .count(),
        2,
        "the requester still hears of it"
    );
}

/// How many notifications a user has, read from the table (a deactivated user cannot sign in).
async fn notification_rows(app: &TestApp, user_id: i64) -> u64 {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use server::db::entity::notification;
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .count(&app.state.db)
        .await
        .expect("count")
}
