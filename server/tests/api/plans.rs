//! Plan versions pinned by contracts [000: the regulation in force at signing applies].

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::support::TestApp;

crate::both!(
    a_contract_keeps_the_plan_version_it_was_made_under,
    a_special_request_is_never_due_later_than_a_normal_one,
    the_resolution_clock_starts_where_the_rule_says,
    a_contract_without_special_requests_refuses_the_flag,
    a_special_request_under_confirm_waits_for_staff,
    each_seed_regulation_is_a_plan_template,
);

/// A new organisation with a contract on `plan` made now and one customer; (the customer's
/// token, the contract's id).
pub(crate) async fn organisation_on(
    app: &TestApp,
    admin: &str,
    name: &str,
    plan: &str,
    extra: Value,
) -> (String, i64) {
    let organisation = app
        .post(
            Some(admin),
            "/api/admin/organisations",
            json!({ "name": name }),
        )
        .await;
    assert_eq!(
        organisation.status,
        StatusCode::CREATED,
        "{}",
        organisation.body
    );
    let organisation_id = organisation.body["id"].as_i64().expect("id");
    let today = Utc::now().date_naive();
    let mut body = json!({"organisation_id": organisation_id, "plan": plan,
        "valid_from": today - Duration::days(1), "valid_to": today + Duration::days(30),
        "account_limit": 3});
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
    let contract = app.post(Some(admin), "/api/admin/contracts", body).await;
    assert_eq!(contract.status, StatusCode::CREATED, "{}", contract.body);
    let email = format!("{}@customer.example", name.to_lowercase().replace(' ', "."));
    let customer = app
        .post(
            Some(admin),
            "/api/admin/users",
            json!({"email": email, "name": name, "role": "customer", "organisation_id": organisation_id}),
        )
        .await;
    assert_eq!(customer.status, StatusCode::CREATED, "{}", customer.body);
    (
        app.token(&email).await,
        contract.body["id"].as_i64().expect("id"),
    )
}

/// The first-response budget, in working seconds, of a new question filed as `token`.
async fn reaction_budget(app: &TestApp, token: &str) -> i64 {
    let created = app
        .post(
            Some(token),
            "/api/tickets",
            json!({"subject": "Budget", "description": "d", "category": "A", "product_version": "1"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.body["clocks"]["first_response"]["budget_seconds"]
        .as_i64()
        .unwrap_or_else(|| panic!("a budget in {}", created.body))
}

async fn vip_with_reaction_hours(app: &TestApp, admin: &str, hours: u32) -> Value {
    let plans = app.get(Some(admin), "/api/admin/plans").await;
    let vip = plans
        .body
        .as_array()
        .and_then(|list| list.iter().find(|p| p["key"] == "vip"))
        .expect("the VIP plan")
        .clone();
    let mut spec = vip["spec"].clone();
    for rule in spec["rules"].as_array_mut().expect("rules") {
        if rule["first_response"]["kind"] == "working" && rule.get("special").is_none() {
            rule["first_response"]["minutes"] = json!(hours * 60);
        }
    }
    let edited = app
        .send_json(
            "PUT",
            Some(admin),
            &format!("/api/admin/plans/{}", vip["id"]),
            json!({ "spec": spec, "calendar_id": vip["calendar_id"] }),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    edited.body
}

async fn a_contract_keeps_the_plan_version_it_was_made_under(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let (old, old_contract) = organisation_on(&app, &admin, "Old Vip", "vip", json!({})).await;
    assert_eq!(
        reaction_budget(&app, &old).await,
        3 * 3600,
        "VIP: 3 working hours [004]"
    );
    let edited = vip_with_reaction_hours(&app, &admin, 8).await;
    assert_eq!(edited["plan"]["version"], 2, "{edited}");
    // The contract made under version 1 keeps 3 h; one made now gets 8 h.
    assert_eq!(reaction_budget(&app, &old).await, 3 * 3600);
    let (new, _) = organisation_on(&app, &admin, "New Vip", "vip", json!({})).await;
    assert_eq!(reaction_budget(&app, &new).await, 8 * 3600);
    let contracts = app.get(Some(&admin), "/api/admin/contracts").await;
    let listed = contracts
        .body
        .as_array()
        .and_then(|list| list.iter().find(|c| c["id"] == old_contract))
        .expect("the old contract")
        .clone();
    assert_eq!(listed["plan_version"], 1, "{listed}");
    assert_eq!(listed["current_plan_version"], 2, "{listed}");
    assert_eq!(listed["newer_plan_version"], true, "{listed}");
    // An explicit move re-pins to the current version, audited.
    let path = format!("/api/admin/contracts/{old_contract}");
    let moved = app
        .send_json("PATCH", Some(&admin), &path, json!({"plan": "vip"}))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.body["plan_version"], 2);
    assert_eq!(moved.body["newer_plan_version"], false);
    assert_eq!(reaction_budget(&app, &old).await, 8 * 3600);
    let audit = app
        .get(
            Some(&admin),
            &format!("/api/admin/audit?entity=contract&entity_id={old_contract}"),
        )
        .await;
    let entry = &audit.body["entries"][0];
    assert_eq!(entry["action"], "contract.update", "{}", audit.body);
    let details = &entry["details"];
    assert_ne!(
        details["before"]["plan_version_id"], details["after"]["plan_version_id"],
        "{details}"
    );
    assert_eq!(
        details["after"]["plan_version_id"],
        edited["plan"]["version_id"]
    );
}

async fn preview(app: &TestApp, token: &str, body: Value) -> Value {
    let reply = app.post(Some(token), "/api/sla/preview", body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

fn instant(value: &Value) -> chrono::DateTime<Utc> {
    serde_json::from_value(value.clone()).unwrap_or_else(|_| panic!("an instant, not {value}"))
}

/// Issue 24, item 2: on Standard a special C1 at Mon 11:00 Moscow was due Tue 03:00 Moscow, a
/// normal one Mon 19:00 [000, 003, 004: special requests go out of turn].
async fn a_special_request_is_never_due_later_than_a_normal_one(app: TestApp) {
    let agent = app.token("agent@demo.example").await;
    let monday = "2025-12-01T08:00:00Z"; // 11:00 Moscow
    let c1 = json!({"category": "C", "severity": 1});
    let special_c1 = json!({"category": "C", "severity": 1, "special": true});
    let normal = preview(
        &app,
        &agent,
        json!({"plan": "standard", "classification": c1, "registered_at": monday}),
    )
    .await;
    assert_eq!(normal["first_response_deadline"], "2025-12-01T16:00:00Z");
    // The seed plan gives special requests 4 hours round the clock: Mon 15:00 Moscow.
    let special = preview(
        &app,
        &agent,
        json!({"plan": "standard", "classification": special_c1, "registered_at": monday}),
    )
    .await;
    assert_eq!(special["first_response_deadline"], "2025-12-01T12:00:00Z");
    // Standard as it was (no special rule, 24x7 without a zone): the ordinary deadline is kept,
    // not Tue 03:00 Moscow.
    let admin = app.token("admin@demo.example").await;
    let plans = app.get(Some(&admin), "/api/admin/plans").await;
    let mut old = plans
        .body
        .as_array()
        .and_then(|list| list.iter().find(|p| p["key"] == "standard"))
        .map(|p| p["spec"].clone())
        .expect("the standard plan");
    old["rules"]
        .as_array_mut()
        .expect("rules")
        .retain(|rule| rule.get("special").is_none());
    old["special_calendar"] = json!({"always_open": true});
    let kept = preview(
        &app,
        &agent,
        json!({"plan_spec": old, "classification": special_c1, "registered_at": monday}),
    )
    .await;
    assert_eq!(
        kept["first_response_deadline"], "2025-12-01T16:00:00Z",
        "{kept}"
    );
    assert_eq!(kept["clocks"]["first_response"]["ordinary_calendar"], true);
    // A real ticket, registered on the coming Monday at 11:00 Moscow.
    let now = app.state.clock.now();
    let moscow = now.with_timezone(&chrono_tz::Europe::Moscow);
    let days = 7 - i64::from(chrono::Datelike::weekday(&moscow).num_days_from_monday());
    let target = (moscow.date_naive() + Duration::days(days))
        .and_hms_opt(11, 0, 0)
        .expect("a time")
        .and_local_timezone(chrono_tz::Europe::Moscow)
        .single()
        .expect("Moscow has no DST")
        .with_timezone(&Utc);
    app.state.clock.advance(target - now);
    let anna = app.token("customer@demo.example").await;
    let file = |special: bool| {
        let anna = anna.clone();
        let app = &app;
        async move {
            let reply = app
                .post(
                    Some(&anna),
                    "/api/tickets",
                    json!({"subject": "Server down", "description": "d", "category": "C",
                           "severity": 1, "special": special, "product_version": "1"}),
                )
                .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            reply.body
        }
    };
    let (special, normal) = (file(true).await, file(false).await);
    let special_due = instant(&special["clocks"]["first_response"]["deadline"]);
    let normal_due = instant(&normal["clocks"]["first_response"]["deadline"]);
    let registered = instant(&special["registered_at"]);
    let off = special_due - registered - Duration::hours(4);
    assert!(off.num_milliseconds().abs() < 1, "{off}");
    assert!(special_due < normal_due, "{special_due} vs {normal_due}");
    // The browser gets both calendars of a special request, to read each clock on its own.
    assert_eq!(
        special["calendar"]["timezone"], "Europe/Moscow",
        "{}",
        special["calendar"]
    );
    assert_eq!(special["calendar"]["always_open"], true);
    assert_eq!(special["ordinary_calendar"]["timezone"], "Europe/Moscow");
    assert!(normal.get("ordinary_calendar").is_none());
}

/// Issue 24, item 3 [001]: B is resolved within 60 working days of registration, C counts from
/// reproduction — set per rule of the Standard plan.
async fn the_resolution_clock_starts_where_the_rule_says(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let file = |category: &'static str| {
        let anna = anna.clone();
        let app = &app;
        async move {
            let mut body = json!({"subject": "Clock start", "description": "d", "category": category, "product_version": "1"});
            if category == "C" {
                body["severity"] = json!(2);
            }
            let reply = app.post(Some(&anna), "/api/tickets", body).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            reply.body
        }
    };
    let b = file("B").await;
    let resolution = &b["clocks"]["resolution"];
    assert_eq!(resolution["target"]["days"], 60, "{resolution}");
    assert_eq!(resolution["state"], "running", "{resolution}");
    let off = instant(&resolution["started_at"]) - instant(&b["registered_at"]);
    assert!(off.num_milliseconds().abs() < 1, "{off}");
    let c = file("C").await;
    assert_eq!(
        c["clocks"]["resolution"]["started_at"],
        Value::Null,
        "{}",
        c["clocks"]
    );
    let reference = c["reference"].as_str().expect("reference");
    let reproduced = app
        .post(
            Some(&agent),
            &format!("/api/tickets/{reference}/actions"),
            json!({"action": "mark_reproduced"}),
        )
        .await;
    assert_eq!(reproduced.status, StatusCode::OK, "{}", reproduced.body);
    assert!(
        reproduced.body["clocks"]["resolution"]["started_at"].is_string(),
        "{}",
        reproduced.body["clocks"]
    );
}

async fn file_special(app: &TestApp, token: &str) -> crate::support::Reply {
    app.post(
        Some(token),
        "/api/tickets",
        json!({"subject": "Billing is down", "description": "d", "category": "C",
               "severity": 1, "special": true, "product_version": "1"}),
    )
    .await
}

async fn set_special(
    app: &TestApp,
    token: &str,
    reference: &str,
    body: Value,
) -> crate::support::Reply {
    let mut request = json!({"action": "set_special"});
    if let (Some(request), Value::Object(body)) = (request.as_object_mut(), body) {
        request.extend(body);
    }
    app.post(
        Some(token),
        &format!("/api/tickets/{reference}/actions"),
        request,
    )
    .await
}

/// Issue 24, item 5 [000: special requests are agreed in the contract]: `not_allowed` refuses
/// the flag with 422 naming `special`; `allowed` (the default) takes it.
async fn a_contract_without_special_requests_refuses_the_flag(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let (customer, contract) = organisation_on(
        &app,
        &admin,
        "No Specials",
        "standard",
        json!({"special_requests": "not_allowed"}),
    )
    .await;
    let refused = file_special(&app, &customer).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.body["field"], "special");
    let plan = app.get(Some(&customer), "/api/sla/plan").await;
    assert_eq!(
        plan.body["special_requests"], "not_allowed",
        "{}",
        plan.body
    );
    let contracts = app.get(Some(&admin), "/api/admin/contracts").await;
    let listed = contracts
        .body
        .as_array()
        .and_then(|list| list.iter().find(|c| c["id"] == contract))
        .expect("the contract")
        .clone();
    assert_eq!(listed["special_requests"], "not_allowed");
    // An admin allows them: the same request is taken, flagged.
    let allowed = app
        .send_json(
            "PATCH",
            Some(&admin),
            &format!("/api/admin/contracts/{contract}"),
            json!({"special_requests": "allowed"}),
        )
        .await;
    assert_eq!(allowed.status, StatusCode::OK, "{}", allowed.body);
    let taken = file_special(&app, &customer).await;
    assert_eq!(taken.status, StatusCode::CREATED, "{}", taken.body);
    assert_eq!(taken.body["classification"]["special"], true);
    assert_eq!(taken.body["special_requested"], false);
    let bad = app
        .send_json(
            "PATCH",
            Some(&admin),
            &format!("/api/admin/contracts/{contract}"),
            json!({"special_requests": "sometimes"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
}

/// Issue 24, items 5 [004: emergency only when confirmed by support staff]: under `confirm` the
/// request waits, on normal clocks, until staff confirm it with `set_special`; the customer is
/// told, the change audited, the clocks recomputed.
async fn a_special_request_under_confirm_waits_for_staff(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let (customer, _) = organisation_on(
        &app,
        &admin,
        "Confirm First",
        "standard",
        json!({"special_requests": "confirm"}),
    )
    .await;
    let filed = file_special(&app, &customer).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    assert_eq!(filed.body["classification"]["special"], false);
    assert_eq!(filed.body["special_requested"], true);
    assert_eq!(
        filed.body["clocks"]["first_response"]["target"]["kind"], "same_or_next_working_day",
        "normal clocks until confirmed"
    );
    let reference = filed.body["reference"]
        .as_str()
        .expect("reference")
        .to_owned();
    // The customer sees that it waits.
    let seen = app
        .get(Some(&customer), &format!("/api/tickets/{reference}"))
        .await;
    assert_eq!(
        seen.body["ticket"]["special_requested"], true,
        "{}",
        seen.body
    );
    // Customers cannot confirm their own request.
    let own = set_special(&app, &customer, &reference, json!({"special": true})).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN, "{}", own.body);
    let agent = app.token("agent@demo.example").await;
    let missing = set_special(&app, &agent, &reference, json!({})).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.body["field"], "special");
    let mailed_before = app.outbox_for(&reference).await.len();
    let confirmed = set_special(
        &app,
        &agent,
        &reference,
        json!({"special": true, "comment": "Confirmed: billing is down for everyone"}),
    )
    .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert_eq!(confirmed.body["classification"]["special"], true);
    assert_eq!(confirmed.body["special_requested"], false);
    assert_eq!(
        confirmed.body["clocks"]["first_response"]["target"]["minutes"], 240,
        "{}",
        confirmed.body["clocks"]
    );
    // Told: an event the customer sees and a mail to the requester.
    let detail = app
        .get(Some(&customer), &format!("/api/tickets/{reference}"))
        .await;
    let kinds: Vec<&str> = detail.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|event| event["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"special_set"), "{kinds:?}");
    let mails = app.outbox_for(&reference).await;
    assert!(mails.len() > mailed_before, "{mails:?}");
    let email = "confirm.first@customer.example";
    assert!(
        mails[mailed_before..]
            .iter()
            .any(|mail| mail.to_address == email && mail.body.contains("special request")),
        "{mails:?}"
    );
    let audit = app
        .get(
            Some(&admin),
            "/api/admin/audit?entity=ticket&action=ticket.special_set",
        )
        .await;
    assert_eq!(
        audit.body["entries"][0]["entity_id"], reference,
        "{}",
        audit.body
    );
    assert_eq!(audit.body["entries"][0]["details"]["requested"], true);
    // And cleared again: back to normal clocks.
    let cleared = set_special(&app, &agent, &reference, json!({"special": false})).await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
    assert_eq!(cleared.body["classification"]["special"], false);
    assert_eq!(
        cleared.body["clocks"]["first_response"]["target"]["kind"],
        "same_or_next_working_day"
    );
}

/// The first-response deadline the preview gives under plan `key`.
async fn due(app: &TestApp, token: &str, key: &str, classification: Value, at: &str) -> Value {
    preview(
        app,
        token,
        json!({"plan": key, "classification": classification, "registered_at": at}),
    )
    .await
}

/// Issue 24, items 17 and 18: each seed regulation is a plan template with its calendar, and
/// its key figures are the seed's.
async fn each_seed_regulation_is_a_plan_template(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let listed = app.get(Some(&admin), "/api/admin/plan-templates").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let seeds: Vec<&str> = listed
        .body
        .as_array()
        .expect("templates")
        .iter()
        .filter_map(|template| template["seed"].as_str())
        .collect();
    assert_eq!(seeds, ["000", "001", "002", "003", "004", "004", "004"]);
    let anna = app.token("customer@demo.example").await;
    assert_eq!(
        app.get(Some(&anna), "/api/admin/plan-templates")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    for key in [
        "entels",
        "alee",
        "tekon",
        "mobi_c",
        "hivetaxi_vip",
        "hivetaxi_extended",
        "hivetaxi_standard",
    ] {
        let made = app
            .post(
                Some(&admin),
                &format!("/api/admin/plan-templates/{key}"),
                json!({}),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{key}: {}", made.body);
        assert_eq!(made.body["key"], key);
    }
    let again = app
        .post(Some(&admin), "/api/admin/plan-templates/alee", json!({}))
        .await;
    assert_eq!(again.status, StatusCode::OK, "the plan is there already");
    let unknown = app
        .post(Some(&admin), "/api/admin/plan-templates/gold", json!({}))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let agent = app.token("agent@demo.example").await;
    let d = json!({"category": "D"});
    let a = json!({"category": "A"});
    let special_d = json!({"category": "D", "special": true});
    let monday = "2025-12-01T08:00:00Z"; // 11:00 Moscow, 14:00 Omsk

    // 000: "7Х24"; "the SLA level defines only the reaction time, not the fix"; special requests
    // out of turn (figures silent: 8 h, 1 h).
    let entels = due(&app, &agent, "entels", d.clone(), monday).await;
    assert_eq!(entels["first_response_deadline"], "2025-12-01T16:00:00Z");
    assert_eq!(entels["resolution_deadline"], Value::Null);
    let entels_special = due(&app, &agent, "entels", special_d.clone(), monday).await;
    assert_eq!(
        entels_special["first_response_deadline"],
        "2025-12-01T09:00:00Z"
    );

    // 001: B and C answered the same working day if registered before 12:00 Moscow, else the
    // next; B resolved within 60 working days "from its registration"; C from reproduction;
    // A and D "not standard support, except recommendations and consultations".
    let b = json!({"category": "B"});
    let alee_b = due(&app, &agent, "alee", b.clone(), monday).await;
    assert_eq!(alee_b["first_response_deadline"], "2025-12-01T16:00:00Z");
    assert_eq!(alee_b["targets"]["resolution"]["days"], 60);
    assert_eq!(alee_b["targets"]["resolution_from"], "registered");
    assert!(
        alee_b["clocks"]["resolution"]["started_at"].is_string(),
        "{alee_b}"
    );
    let noon = due(&app, &agent, "alee", b, "2025-12-01T09:00:00Z").await;
    assert_eq!(noon["first_response_deadline"], "2025-12-02T16:00:00Z");
    let alee_c = due(
        &app,
        &agent,
        "alee",
        json!({"category": "C", "severity": 2}),
        monday,
    )
    .await;
    assert_eq!(alee_c["targets"]["resolution_from"], "reproduced");
    assert_eq!(alee_c["clocks"]["resolution"]["started_at"], Value::Null);
    for category in ["A", "D"] {
        let advice = due(&app, &agent, "alee", json!({"category": category}), monday).await;
        assert_eq!(advice["targets"]["advice_only"], true, "{category}");
    }
    let alee_e = due(&app, &agent, "alee", json!({"category": "E"}), monday).await;
    assert_eq!(
        alee_e["first_response_deadline"],
        Value::Null,
        "E is only recorded"
    );

    // 002: ОП1 20 minutes, ОП2 40 minutes, ОП3 2 hours, ОП4 3 hours; L2 within 3 hours.
    for (classification, minutes) in [
        (d.clone(), 20),
        (a.clone(), 40),
        (json!({"category": "C", "severity": 1}), 120),
        (special_d.clone(), 180),
    ] {
        let tekon = due(&app, &agent, "tekon", classification.clone(), monday).await;
        assert_eq!(
            tekon["targets"]["first_response"]["minutes"], minutes,
            "{classification}"
        );
    }
    assert_eq!(
        due(&app, &agent, "tekon", d.clone(), monday).await["targets"]["escalation"]["minutes"],
        180
    );

    // 003: working days 8:00–18:00 Moscow; "reaction time includes only working time" (the
    // tariff's figure silent: 8 working hours). Mon 17:00 → Tue 15:00 Moscow.
    let mobi = due(&app, &agent, "mobi_c", d.clone(), "2025-12-01T14:00:00Z").await;
    assert_eq!(mobi["first_response_deadline"], "2025-12-02T12:00:00Z");

    // 004: Mon–Fri 11:00–18:00 Omsk; VIP 3 and Extended 12 working hours; the emergency mode
    // 24/7. Mon 17:00 Omsk: VIP Tue 13:00, Extended Wed 15:00, VIP special Mon 20:00.
    let omsk_17 = "2025-12-01T11:00:00Z";
    let vip = due(&app, &agent, "hivetaxi_vip", a.clone(), omsk_17).await;
    assert_eq!(vip["first_response_deadline"], "2025-12-02T07:00:00Z");
    let extended = due(&app, &agent, "hivetaxi_extended", a.clone(), omsk_17).await;
    assert_eq!(extended["first_response_deadline"], "2025-12-03T09:00:00Z");
    let emergency = due(
        &app,
        &agent,
        "hivetaxi_vip",
        json!({"category": "A", "special": true}),
        omsk_17,
    )
    .await;
    assert_eq!(emergency["first_response_deadline"], "2025-12-01T14:00:00Z");

    // A template plan is picked for a contract like any other.
    let (customer, _) = organisation_on(&app, &admin, "Alee Client", "alee", json!({})).await;
    let plan = app.get(Some(&customer), "/api/sla/plan").await;
    assert_eq!(plan.body["key"], "alee", "{}", plan.body);
}
