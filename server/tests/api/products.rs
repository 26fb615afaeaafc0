//! Products and supported versions: admins keep them; a ticket on a version its product does
//! not support is flagged and handled as its plan's `unsupported_versions` says; a product's own
//! fields travel with the ticket.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::TestApp;

crate::both!(
    admins_keep_products_and_everyone_reads_them,
    an_unsupported_version_is_flagged_for_staff_and_customer,
    a_plan_takes_unsupported_versions_as_advice_or_refuses_them,
    product_fields_are_checked_against_the_product,
);

/// The demo product named `name`.
async fn product(app: &TestApp, token: &str, name: &str) -> Value {
    let list = app.get(Some(token), "/api/products").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    list.body["products"]
        .as_array()
        .and_then(|list| list.iter().find(|p| p["name"] == name))
        .cloned()
        .unwrap_or_else(|| panic!("{name} in {}", list.body))
}

/// Files a ticket as `token` with `fields` over a C2 defect of the demo server.
async fn file(app: &TestApp, token: &str, fields: Value) -> crate::support::Reply {
    let mut body = json!({
        "subject": "The service does not start",
        "description": "It stops at boot.",
        "category": "C",
        "severity": 2,
        "product_version": "5.2.1",
    });
    if let (Some(body), Value::Object(fields)) = (body.as_object_mut(), fields) {
        body.extend(fields);
    }
    app.post(Some(token), "/api/tickets", body).await
}

async fn admins_keep_products_and_everyone_reads_them(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let lead = app.token("lead@demo.example").await;
    let anna = app.token("customer@demo.example").await;
    let mobile = product(&app, &anna, "Mobile Field Service").await;
    let keys: Vec<&str> = mobile["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|field| field["key"].as_str())
        .collect();
    assert_eq!(keys, ["server_version", "app_version", "mobile_os"]);
    assert_eq!(mobile["fields"][2]["label_ru"], "ОС мобильного устройства");
    let body = json!({"name": " Billing ", "supported_versions": ["2.0", " 2.1 "]});
    let refused = app
        .post(Some(&lead), "/api/admin/products", body.clone())
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let created = app.post(Some(&admin), "/api/admin/products", body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["name"], "Billing");
    assert_eq!(created.body["supported_versions"], json!(["2.0", "2.1"]));
    let twice = app
        .post(
            Some(&admin),
            "/api/admin/products",
            json!({"name": "Billing"}),
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(twice.body["field"], "name");
    let bad_key = app
        .post(
            Some(&admin),
            "/api/admin/products",
            json!({"name": "Other", "fields": [{"key": "Mobile OS", "label_en": "OS", "label_ru": "ОС"}]}),
        )
        .await;
    assert_eq!(bad_key.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_key.body["field"], "fields[0].key");
    let id = created.body["id"].as_i64().expect("id");
    let updated = app
        .send_json(
            "PUT",
            Some(&admin),
            &format!("/api/admin/products/{id}"),
            json!({"name": "Billing", "supported_versions": ["2.1", "2.2"]}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.body["supported_versions"], json!(["2.1", "2.2"]));
    let missing = app
        .send_json(
            "PUT",
            Some(&admin),
            "/api/admin/products/999999",
            json!({"name": "Nothing"}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let listed = app.get(Some(&lead), "/api/admin/products").await;
    assert!(
        listed.body.to_string().contains("\"2.2\""),
        "{}",
        listed.body
    );
    assert_eq!(
        app.get(Some(&anna), "/api/admin/products").await.status,
        StatusCode::FORBIDDEN
    );
    let audit = app
        .get(Some(&admin), "/api/admin/audit?entity=product")
        .await;
    assert_eq!(
        audit.body["entries"].as_array().map(Vec::len),
        Some(2),
        "{}",
        audit.body
    );
}

async fn an_unsupported_version_is_flagged_for_staff_and_customer(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let server = product(&app, &anna, "Reglament Server").await;
    let supported = file(&app, &anna, json!({"product_id": server["id"]})).await;
    assert_eq!(supported.status, StatusCode::CREATED, "{}", supported.body);
    assert_eq!(supported.body["product"], "Reglament Server");
    assert_eq!(supported.body["unsupported_version"], false);
    // The demo plans accept an old version, flagged, with its classification as given.
    let old = file(
        &app,
        &anna,
        json!({"product_id": server["id"], "product_version": "4.9.3"}),
    )
    .await;
    assert_eq!(old.status, StatusCode::CREATED, "{}", old.body);
    let reference = old.body["reference"].as_str().expect("reference");
    for token in [&anna, &agent] {
        let seen = app
            .get(Some(token), &format!("/api/tickets/{reference}"))
            .await;
        assert_eq!(seen.body["ticket"]["unsupported_version"], true);
        assert_eq!(seen.body["ticket"]["product"], "Reglament Server");
        assert_eq!(seen.body["ticket"]["classification"]["category"], "C");
    }
    // A ticket without a product is as before: nothing to check, nothing flagged.
    let plain = file(&app, &anna, json!({"product_version": "1.0"})).await;
    assert_eq!(plain.status, StatusCode::CREATED, "{}", plain.body);
    assert_eq!(plain.body["unsupported_version"], false);
    assert!(plain.body["product"].is_null());
}

/// A copy of the standard plan under `key` whose `unsupported_versions` is `rule`, and the
/// Northwind contract moved to it.
async fn northwind_on(app: &TestApp, key: &str, rule: &str) {
    let admin = app.token("admin@demo.example").await;
    let plans = app.get(Some(&admin), "/api/admin/plans").await;
    let mut spec = plans
        .body
        .as_array()
        .and_then(|list| list.iter().find(|p| p["key"] == "standard"))
        .map(|plan| plan["spec"].clone())
        .expect("the standard plan");
    spec["unsupported_versions"] = json!(rule);
    spec["name"] = json!(key);
    let created = app
        .post(
            Some(&admin),
            "/api/admin/plans",
            json!({"key": key, "spec": spec}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["spec"]["unsupported_versions"], rule);
    let organisations = app.get(Some(&admin), "/api/admin/organisations").await;
    let northwind = organisations
        .body
        .as_array()
        .and_then(|list| list.iter().find(|o| o["name"] == "Northwind Logistics"))
        .map(|o| o["id"].clone())
        .expect("Northwind");
    let contracts = app.get(Some(&admin), "/api/admin/contracts").await;
    let contract = contracts
        .body
        .as_array()
        .and_then(|list| list.iter().find(|c| c["organisation_id"] == northwind))
        .and_then(|c| c["id"].as_i64())
        .expect("the Northwind contract");
    let moved = app
        .send_json(
            "PATCH",
            Some(&admin),
            &format!("/api/admin/contracts/{contract}"),
            json!({"plan": key}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
}

async fn a_plan_takes_unsupported_versions_as_advice_or_refuses_them(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let server = product(&app, &anna, "Reglament Server").await;
    northwind_on(&app, "advice-only", "advice_only").await;
    let advice = file(
        &app,
        &anna,
        json!({"product_id": server["id"], "product_version": "4.9", "special": true}),
    )
    .await;
    assert_eq!(advice.status, StatusCode::CREATED, "{}", advice.body);
    assert_eq!(advice.body["unsupported_version"], true);
    assert_eq!(advice.body["classification"]["category"], "D");
    assert_eq!(advice.body["classification"]["special"], false);
    assert_eq!(advice.body["sla_level"], "advice-only");
    // A supported version on the same plan keeps its classification.
    let current = file(&app, &anna, json!({"product_id": server["id"]})).await;
    assert_eq!(current.status, StatusCode::CREATED, "{}", current.body);
    assert_eq!(current.body["classification"]["category"], "C");
    northwind_on(&app, "supported-only", "refuse").await;
    let refused = file(
        &app,
        &anna,
        json!({"product_id": server["id"], "product_version": "4.9"}),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.body["field"], "version");
    assert!(
        refused.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("5.2, 5.3")),
        "{}",
        refused.body
    );
    let accepted = file(
        &app,
        &anna,
        json!({"product_id": server["id"], "product_version": "5.3.0"}),
    )
    .await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
}

async fn product_fields_are_checked_against_the_product(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let mobile = product(&app, &anna, "Mobile Field Service").await;
    let filed = file(
        &app,
        &anna,
        json!({
            "product_id": mobile["id"],
            "product_version": "3.5.2",
            "product_fields": {"server_version": "5.3", "mobile_os": " Android 14 ", "app_version": ""},
        }),
    )
    .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    assert_eq!(
        filed.body["product_fields"],
        json!({"mobile_os": "Android 14", "server_version": "5.3"})
    );
    let reference = filed.body["reference"].as_str().expect("reference");
    let agent = app.token("agent@demo.example").await;
    let seen = app
        .get(Some(&agent), &format!("/api/tickets/{reference}"))
        .await;
    assert_eq!(
        seen.body["ticket"]["product_fields"]["mobile_os"],
        "Android 14"
    );
    let unknown = file(
        &app,
        &anna,
        json!({"product_id": mobile["id"], "product_version": "3.5", "product_fields": {"colour": "red"}}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.body["field"], "product_fields.colour");
    let orphan = file(&app, &anna, json!({"product_fields": {"mobile_os": "iOS"}})).await;
    assert_eq!(orphan.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(orphan.body["field"], "product_id");
    let missing = file(&app, &anna, json!({"product_id": 999_999})).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.body["field"], "product_id");
}
