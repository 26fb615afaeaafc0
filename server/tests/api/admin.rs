use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use server::db::entity::ticket;

use crate::support::TestApp;

crate::both!(
    the_account_limit_is_enforced_with_422,
    only_admins_manage_and_the_audit_log_records,
    deactivation_blocks_sign_in_and_frees_a_seat,
    calendars_and_plans_are_validated_with_the_field,
    calendars_and_plans_are_for_admins_to_write_and_supervisors_to_read,
    a_plan_edit_is_a_new_version_and_tickets_keep_theirs,
    moving_open_tickets_recomputes_their_clocks_in_the_job,
    a_calendar_edit_versions_the_plans_that_follow_it,
    contract_renewal_and_expiry_are_audited,
    organisations_are_edited_and_audited,
);

async fn the_account_limit_is_enforced_with_422(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let organisations = app.get(Some(&admin), "/api/admin/organisations").await;
    let northwind = organisations
        .body
        .as_array()
        .and_then(|list| list.iter().find(|o| o["name"] == "Northwind Logistics"))
        .and_then(|o| o["id"].as_i64())
        .expect("demo organisation");
    // The demo contract allows 5 accounts; Anna uses one.
    for index in 0..4 {
        let created = app
            .post(
                Some(&admin),
                "/api/admin/users",
                json!({"email": format!("extra{index}@northwind.example"), "name": "Extra", "role": "customer", "organisation_id": northwind}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert!(
            created.body["password"]
                .as_str()
                .is_some_and(|p| p.len() >= 12)
        );
    }
    let over = app
        .post(
            Some(&admin),
            "/api/admin/users",
            json!({"email": "sixth@northwind.example", "name": "Sixth", "role": "customer", "organisation_id": northwind}),
        )
        .await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(over.body["field"], "organisation_id");
    let duplicate = app
        .post(
            Some(&admin),
            "/api/admin/users",
            json!({"email": "agent@demo.example", "name": "Again", "role": "agent_l1"}),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(duplicate.body["field"], "email");
}

async fn only_admins_manage_and_the_audit_log_records(app: TestApp) {
    let agent = app.token("agent@demo.example").await;
    let refused = app
        .post(
            Some(&agent),
            "/api/admin/organisations",
            json!({"name": "Rogue"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let anna = app.token("customer@demo.example").await;
    assert_eq!(
        app.get(Some(&anna), "/api/admin/audit").await.status,
        StatusCode::FORBIDDEN
    );
    let admin = app.token("admin@demo.example").await;
    let created = app
        .post(
            Some(&admin),
            "/api/admin/organisations",
            json!({"name": "Ural Mining", "on_expiry": "block"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let bad = app
        .post(
            Some(&admin),
            "/api/admin/organisations",
            json!({"name": "X", "on_expiry": "maybe"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let lead = app.token("lead@demo.example").await;
    let audit = app
        .get(Some(&lead), "/api/admin/audit?entity=organisation")
        .await;
    assert_eq!(audit.status, StatusCode::OK);
    assert_eq!(audit.body["entries"][0]["action"], "organisation.create");
    assert_eq!(audit.body["entries"][0]["details"]["name"], "Ural Mining");
}

pub(crate) async fn northwind(app: &TestApp, admin: &str) -> i64 {
    app.get(Some(admin), "/api/admin/organisations")
        .await
        .body
        .as_array()
        .and_then(|list| list.iter().find(|o| o["name"] == "Northwind Logistics"))
        .and_then(|o| o["id"].as_i64())
        .expect("demo organisation")
}

async fn deactivation_blocks_sign_in_and_frees_a_seat(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let organisation_id = northwind(&app, &admin).await;
    for index in 0..4 {
        let created = app
            .post(
                Some(&admin),
                "/api/admin/users",
                json!({"email": format!("seat{index}@northwind.example"), "name": "Seat", "role": "customer", "organisation_id": organisation_id}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    }
    let full = app
        .post(
            Some(&admin),
            "/api/admin/users",
            json!({"email": "late@northwind.example", "name": "Late", "role": "customer", "organisation_id": organisation_id}),
        )
        .await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY);
    let seat = app.token("seat0@northwind.example").await;
    assert_eq!(app.get(Some(&seat), "/api/me").await.status, StatusCode::OK);
    let seat_id = app.user_id("seat0@northwind.example").await;
    let deactivated = app.deactivate(&admin, seat_id).await;
    assert_eq!(deactivated.status, StatusCode::OK, "{}", deactivated.body);
    assert_eq!(deactivated.body["active"], false);
    assert_eq!(
        app.get(Some(&seat), "/api/me").await.status,
        StatusCode::UNAUTHORIZED,
        "a deactivated account's session stops at once"
    );
    let freed = app
        .post(
            Some(&admin),
            "/api/admin/users",
            json!({"email": "late@northwind.example", "name": "Late", "role": "customer", "organisation_id": organisation_id}),
        )
        .await;
    assert_eq!(freed.status, StatusCode::CREATED, "{}", freed.body);
    let admin_id = app.user_id("admin@demo.example").await;
    let own = app.deactivate(&admin, admin_id).await;
    assert_eq!(own.status, StatusCode::CONFLICT);
}

fn plan_spec(minutes: u32) -> Value {
    json!({
        "name": format!("Fast {minutes}"),
        "calendar": {"always_open": true},
        "rules": [{"category": "D", "first_response": {"kind": "working", "minutes": minutes},
                   "resolution": {"kind": "none"}}]
    })
}

async fn calendars_and_plans_are_validated_with_the_field(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    for (body, field) in [
        (
            json!({"key": "mars", "name": "Mars", "spec": {"timezone": "Mars/Olympus", "week": {"mon": ["10:00-19:00"]}}}),
            "spec.timezone",
        ),
        (
            json!({"key": "nohours", "name": "No hours", "spec": {"timezone": "Europe/Moscow"}}),
            "spec.week",
        ),
        (
            json!({"key": "Bad Key", "name": "Bad", "spec": {"always_open": true}}),
            "key",
        ),
        (
            json!({"key": "blank", "name": "  ", "spec": {"always_open": true}}),
            "name",
        ),
    ] {
        let reply = app
            .post(Some(&admin), "/api/admin/calendars", body.clone())
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(reply.body["field"], field, "{}", reply.body);
        assert_eq!(reply.body["error"], "validation");
    }
    let overlapping = app
        .post(
            Some(&admin),
            "/api/admin/calendars",
            json!({"key": "overlap", "name": "Overlap", "spec": {"timezone": "UTC", "week": {"mon": ["10:00-14:00", "13:00-18:00"]}}}),
        )
        .await;
    assert_eq!(overlapping.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        overlapping.body["field"]
            .as_str()
            .is_some_and(|f| f.starts_with("spec.")),
        "{}",
        overlapping.body
    );
    let zero = plan_spec(0);
    let mut no_name = plan_spec(30);
    no_name["name"] = json!("");
    let mut warn = plan_spec(30);
    warn["warn_at_percent"] = json!(0);
    let mut severity = plan_spec(30);
    severity["rules"][0]["severity"] = json!(2);
    let mut bad_zone = plan_spec(30);
    bad_zone["calendar"] = json!({"timezone": "Nowhere", "week": {"mon": ["10:00-19:00"]}});
    let unknown = {
        let mut spec = plan_spec(30);
        spec["colour"] = json!("red");
        spec
    };
    for (spec, field) in [
        (zero, "spec.rules[0].first_response.minutes"),
        (no_name, "spec.name"),
        (warn, "spec.warn_at_percent"),
        (severity, "spec.rules[0].severity"),
        (bad_zone, "spec.calendar.timezone"),
    ] {
        let reply = app
            .post(
                Some(&admin),
                "/api/admin/plans",
                json!({"key": "fast", "spec": spec}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{spec}");
        assert_eq!(reply.body["field"], field, "{}", reply.body);
    }
    let reply = app
        .post(
            Some(&admin),
            "/api/admin/plans",
            json!({"key": "fast", "spec": unknown}),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(
        reply.body["message"].to_string().contains("colour"),
        "{}",
        reply.body
    );
    let no_calendar = app
        .post(
            Some(&admin),
            "/api/admin/plans",
            json!({"key": "fast", "spec": plan_spec(30), "calendar_id": 999_999}),
        )
        .await;
    assert_eq!(no_calendar.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_calendar.body["field"], "calendar_id");
    let created = app
        .post(
            Some(&admin),
            "/api/admin/plans",
            json!({"key": "fast", "spec": plan_spec(30)}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let duplicate = app
        .post(
            Some(&admin),
            "/api/admin/plans",
            json!({"key": "fast", "spec": plan_spec(30)}),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(duplicate.body["field"], "key");
    let id = created.body["id"].as_i64().expect("id");
    let mut bad_update = plan_spec(30);
    bad_update["warn_at_percent"] = json!(101);
    let rejected = app
        .send_json(
            "PUT",
            Some(&admin),
            &format!("/api/admin/plans/{id}"),
            json!({"spec": bad_update}),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(rejected.body["field"], "spec.warn_at_percent");
    let missing = app
        .send_json(
            "PUT",
            Some(&admin),
            "/api/admin/plans/999999",
            json!({"spec": plan_spec(30)}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let after = app
        .get(Some(&admin), &format!("/api/admin/plans/{id}"))
        .await;
    assert_eq!(after.body["version"], 1, "a refused edit writes nothing");
}

async fn calendars_and_plans_are_for_admins_to_write_and_supervisors_to_read(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let lead = app.token("lead@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let anna = app.token("customer@demo.example").await;
    for path in ["/api/admin/calendars", "/api/admin/plans"] {
        let read = app.get(Some(&lead), path).await;
        assert_eq!(read.status, StatusCode::OK, "{path}");
        assert!(read.body.as_array().is_some_and(|list| !list.is_empty()));
        for token in [&agent, &anna] {
            assert_eq!(
                app.get(Some(token), path).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
    }
    let plans = app.get(Some(&admin), "/api/admin/plans").await;
    let standard = plans
        .body
        .as_array()
        .and_then(|list| list.iter().find(|p| p["key"] == "standard"))
        .expect("the standard plan")
        .clone();
    assert_eq!(standard["version"], 1);
    assert!(
        standard["calendar_id"].is_i64(),
        "seed plans follow their calendar"
    );
    let id = standard["id"].as_i64().expect("id");
    for token in [&lead, &agent] {
        let put = app
            .send_json(
                "PUT",
                Some(token),
                &format!("/api/admin/plans/{id}"),
                json!({"spec": plan_spec(30)}),
            )
            .await;
        assert_eq!(put.status, StatusCode::FORBIDDEN);
        let post = app
            .post(
                Some(token),
                "/api/admin/calendars",
                json!({"key": "x", "name": "X", "spec": {"always_open": true}}),
            )
            .await;
        assert_eq!(post.status, StatusCode::FORBIDDEN);
    }
    let created = app
        .post(
            Some(&admin),
            "/api/admin/calendars",
            json!({"key": "ekb_9_18", "name": "Yekaterinburg 9-18", "spec": {"timezone": "Asia/Yekaterinburg", "week": {"mon": ["09:00-18:00"], "tue": ["09:00-18:00"]}, "holidays": "ru"}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["version"], 1);
    let id = created.body["id"].as_i64().expect("id");
    let read = app
        .get(Some(&lead), &format!("/api/admin/calendars/{id}"))
        .await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body["spec"]["timezone"], "Asia/Yekaterinburg");
    assert_eq!(read.body["versions"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        app.get(Some(&lead), "/api/admin/calendars/999999")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn plan_id(app: &TestApp, token: &str, key: &str) -> i64 {
    app.get(Some(token), "/api/admin/plans")
        .await
        .body
        .as_array()
        .and_then(|list| list.iter().find(|p| p["key"] == key))
        .and_then(|p| p["id"].as_i64())
        .expect("plan")
}

async fn file_question(app: &TestApp) -> String {
    let anna = app.token("customer@demo.example").await;
    app.create_ticket(&anna, json!({"subject": "Versions"}))
        .await
}

async fn row(app: &TestApp, reference: &str) -> ticket::Model {
    ticket::Entity::find()
        .filter(ticket::Column::Reference.eq(reference))
        .one(&app.state.db)
        .await
        .expect("query")
        .expect("ticket")
}

async fn a_plan_edit_is_a_new_version_and_tickets_keep_theirs(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let id = plan_id(&app, &admin, "standard").await;
    let before = file_question(&app).await;
    let version_1 = row(&app, &before).await.plan_version_id;
    let edited = app
        .send_json(
            "PUT",
            Some(&admin),
            &format!("/api/admin/plans/{id}"),
            json!({"spec": plan_spec(30)}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.body["moved_tickets"], 0);
    assert_eq!(edited.body["plan"]["version"], 2);
    assert_eq!(edited.body["plan"]["name"], "Fast 30");
    assert_eq!(edited.body["plan"]["calendar_id"], Value::Null);
    let version_2 = edited.body["plan"]["version_id"].as_i64().expect("id");
    assert_ne!(version_1, version_2);
    let versions = edited.body["plan"]["versions"]
        .as_array()
        .expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["version"], 2);
    // The ticket filed before keeps its version, and so does the next one: Northwind's contract
    // pins version 1 until an admin moves it.
    let kept = row(&app, &before).await;
    assert_eq!(kept.plan_version_id, version_1);
    assert!(!kept.derived_stale);
    let pinned = file_question(&app).await;
    assert_eq!(row(&app, &pinned).await.plan_version_id, version_1);
    let organisation_id = northwind(&app, &admin).await;
    let contract = app
        .get(Some(&admin), "/api/admin/contracts")
        .await
        .body
        .as_array()
        .and_then(|list| {
            list.iter()
                .find(|c| c["organisation_id"] == organisation_id)
        })
        .and_then(|c| c["id"].as_i64())
        .expect("the demo contract");
    let moved = app
        .send_json(
            "PATCH",
            Some(&admin),
            &format!("/api/admin/contracts/{contract}"),
            json!({"plan": "standard"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.body["plan_version"], 2);
    let after = file_question(&app).await;
    let new = row(&app, &after).await;
    assert_eq!(new.plan_version_id, version_2);
    let agent = app.token("agent@demo.example").await;
    let detail = app
        .get(Some(&agent), &format!("/api/tickets/{after}"))
        .await;
    let registered: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(detail.body["ticket"]["registered_at"].clone()).expect("time");
    let deadline: chrono::DateTime<chrono::Utc> = serde_json::from_value(
        detail.body["ticket"]["clocks"]["first_response"]["deadline"].clone(),
    )
    .unwrap_or_else(|_| panic!("a deadline in {}", detail.body));
    // PostgreSQL keeps microseconds, the clocks nanoseconds.
    let off = deadline - registered - chrono::Duration::minutes(30);
    assert!(off.num_milliseconds().abs() < 1, "{off}");
    let audit = app
        .get(
            Some(&admin),
            "/api/admin/audit?entity=plan&action=plan.update",
        )
        .await;
    assert_eq!(audit.body["entries"][0]["details"]["version_id"], version_2);
}

async fn moving_open_tickets_recomputes_their_clocks_in_the_job(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let id = plan_id(&app, &admin, "standard").await;
    let reference = file_question(&app).await;
    let before = row(&app, &reference).await;
    let moved = app
        .send_json(
            "PUT",
            Some(&admin),
            &format!("/api/admin/plans/{id}"),
            json!({"spec": plan_spec(45), "move_open_tickets": true}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    // The ticket filed here and the three open demo tickets of Northwind.
    assert_eq!(moved.body["moved_tickets"], 4, "{}", moved.body);
    let version = moved.body["plan"]["version_id"].as_i64().expect("id");
    let stale = row(&app, &reference).await;
    assert_eq!(stale.plan_version_id, version);
    assert!(stale.derived_stale);
    assert_eq!(
        stale.next_deadline, before.next_deadline,
        "not recomputed yet"
    );
    let report = server::jobs::tick(&app.state.db, &app.state.composer, chrono::Utc::now(), 7)
        .await
        .expect("tick");
    assert!(report.recomputed >= 4, "{report:?}");
    let fresh = row(&app, &reference).await;
    assert!(!fresh.derived_stale);
    assert_eq!(
        fresh.next_deadline,
        Some(fresh.registered_at + chrono::Duration::minutes(45)),
        "the new plan's 45 minutes on 24x7"
    );
    let again = server::jobs::tick(&app.state.db, &app.state.composer, chrono::Utc::now(), 7)
        .await
        .expect("tick");
    assert_eq!(again.recomputed, 0, "nothing is stale any more");
    // A resolved ticket stays on the plan version it had (Northwind's contract still pins the
    // version it was made under: moving open tickets does not move contracts).
    let agent = app.token("agent@demo.example").await;
    let resolved = file_question(&app).await;
    let filed_on = row(&app, &resolved).await.plan_version_id;
    assert_eq!(filed_on, before.plan_version_id);
    let reply = app
        .post(
            Some(&agent),
            &format!("/api/tickets/{resolved}/actions"),
            json!({"action": "resolve"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let last = app
        .send_json(
            "PUT",
            Some(&admin),
            &format!("/api/admin/plans/{id}"),
            json!({"spec": plan_spec(50), "move_open_tickets": true}),
        )
        .await;
    assert_eq!(last.body["moved_tickets"], 4, "{}", last.body);
    assert_eq!(row(&app, &resolved).await.plan_version_id, filed_on);
}

async fn a_calendar_edit_versions_the_plans_that_follow_it(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let calendars = app.get(Some(&admin), "/api/admin/calendars").await;
    let moscow = calendars
        .body
        .as_array()
        .and_then(|list| list.iter().find(|c| c["key"] == "moscow_10_19"))
        .expect("the seed calendar")
        .clone();
    let id = moscow["id"].as_i64().expect("id");
    let reference = file_question(&app).await;
    let version_before = row(&app, &reference).await.plan_version_id;
    let mut spec = moscow["spec"].clone();
    spec["extra_working_days"] = json!(["2027-01-09"]);
    let bad = app
        .send_json(
            "PUT",
            Some(&admin),
            &format!("/api/admin/calendars/{id}"),
            json!({"spec": {"timezone": "UTC", "week": {"tue": ["25:00-26:00"]}}}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body["field"]
            .as_str()
            .is_some_and(|f| f.starts_with("spec.")),
        "{}",
        bad.body
    );
    let edited = app
        .send_json(
            "PUT",
            Some(&admin),
            &format!("/api/admin/calendars/{id}"),
            json!({"spec": spec, "name": "Moscow 10-19"}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.body["calendar"]["version"], 2);
    assert_eq!(edited.body["calendar"]["name"], "Moscow 10-19");
    assert_eq!(
        edited.body["calendar"]["versions"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(edited.body["moved_tickets"], 0);
    let plans: Vec<&str> = edited.body["plans"]
        .as_array()
        .expect("plans")
        .iter()
        .filter_map(|p| p["key"].as_str())
        .collect();
    assert!(plans.contains(&"standard"), "{plans:?}");
    let standard = edited.body["plans"]
        .as_array()
        .and_then(|list| list.iter().find(|p| p["key"] == "standard"))
        .expect("standard");
    assert_eq!(standard["version"], 2);
    assert_eq!(
        standard["spec"]["calendar"]["extra_working_days"],
        json!(["2027-01-09"])
    );
    assert_eq!(row(&app, &reference).await.plan_version_id, version_before);
    let moved = app
        .send_json(
            "PUT",
            Some(&admin),
            &format!("/api/admin/calendars/{id}"),
            json!({"spec": moscow["spec"], "move_open_tickets": true}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert!(
        moved.body["moved_tickets"].as_u64() >= Some(4),
        "{}",
        moved.body
    );
    let stale = row(&app, &reference).await;
    assert_ne!(stale.plan_version_id, version_before);
    assert!(stale.derived_stale);
    server::jobs::tick(&app.state.db, &app.state.composer, chrono::Utc::now(), 7)
        .await
        .expect("tick");
    assert!(!row(&app, &reference).await.derived_stale);
}

async fn contract_renewal_and_expiry_are_audited(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let organisation_id = northwind(&app, &admin).await;
    let contracts = app.get(Some(&admin), "/api/admin/contracts").await;
    let contract = contracts
        .body
        .as_array()
        .and_then(|list| {
            list.iter()
                .find(|c| c["organisation_id"] == organisation_id)
        })
        .expect("the demo contract")
        .clone();
    let id = contract["id"].as_i64().expect("id");
    let path = format!("/api/admin/contracts/{id}");
    let today = chrono::Utc::now().date_naive();
    let renewed = app
        .send_json(
            "PATCH",
            Some(&admin),
            &path,
            json!({"valid_to": today + chrono::Duration::days(800), "account_limit": 8}),
        )
        .await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
    assert_eq!(renewed.body["account_limit"], 8);
    assert_eq!(renewed.body["plan"], "standard");
    let bad = app
        .send_json(
            "PATCH",
            Some(&admin),
            &path,
            json!({"valid_to": "2000-01-01"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["field"], "valid_to");
    let unknown_plan = app
        .send_json("PATCH", Some(&admin), &path, json!({"plan": "platinum"}))
        .await;
    assert_eq!(unknown_plan.body["field"], "plan");
    let lead = app.token("lead@demo.example").await;
    assert_eq!(
        app.send_json("PATCH", Some(&lead), &path, json!({"account_limit": 9}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // A ticket filed while the contract is in force runs on its plan.
    let before = file_question(&app).await;
    assert_eq!(row(&app, &before).await.sla_level, "standard");
    let expired = app
        .send_json(
            "PATCH",
            Some(&admin),
            &path,
            json!({"valid_to": today - chrono::Duration::days(1)}),
        )
        .await;
    assert_eq!(expired.status, StatusCode::OK, "{}", expired.body);
    let audit = app
        .get(
            Some(&lead),
            &format!("/api/admin/audit?entity=contract&entity_id={id}"),
        )
        .await;
    let actions: Vec<&str> = audit.body["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, ["contract.expire", "contract.renew"]);
    assert_eq!(
        audit.body["entries"][1]["details"]["after"]["account_limit"],
        8
    );
    // Without a contract in force Northwind's new tickets fall back to `unqualified` at once.
    let anna = app.token("customer@demo.example").await;
    let filed = app
        .post(
            Some(&anna),
            "/api/tickets",
            json!({"subject": "After expiry", "description": "d", "category": "D", "product_version": "1"}),
        )
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    let reference = filed.body["reference"].as_str().expect("reference");
    assert_eq!(row(&app, reference).await.sla_level, "unqualified");
}

async fn organisations_are_edited_and_audited(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let id = northwind(&app, &admin).await;
    let path = format!("/api/admin/organisations/{id}");
    let edited = app
        .send_json(
            "PATCH",
            Some(&admin),
            &path,
            json!({"name": "Northwind Logistics LLC", "on_expiry": "block"}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.body["name"], "Northwind Logistics LLC");
    assert_eq!(edited.body["on_expiry"], "block");
    let bad = app
        .send_json("PATCH", Some(&admin), &path, json!({"on_expiry": "maybe"}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["field"], "on_expiry");
    let taken = app
        .send_json(
            "PATCH",
            Some(&admin),
            &path,
            json!({"name": "Volga Energy"}),
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(taken.body["field"], "name");
    let missing = app
        .send_json(
            "PATCH",
            Some(&admin),
            "/api/admin/organisations/999999",
            json!({"name": "Ghost"}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let audit = app
        .get(
            Some(&admin),
            &format!("/api/admin/audit?entity=organisation&entity_id={id}"),
        )
        .await;
    assert_eq!(audit.body["entries"][0]["action"], "organisation.update");
    assert_eq!(
        audit.body["entries"][0]["details"]["before"]["name"],
        "Northwind Logistics"
    );
}
