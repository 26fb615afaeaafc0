//! The account lifecycle: a password an admin gave must be changed before anything else, and a
//! TOTP second factor (RFC 6238) with recovery codes, which an admin may require of staff.

use axum::http::StatusCode;
use serde_json::json;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::support::{Reply, TestApp};

crate::both!(
    an_admin_given_password_must_be_changed_before_anything_else,
    a_second_factor_is_enrolled_and_asked_for_at_sign_in,
    recovery_codes_work_once_and_are_audited,
    wrong_codes_count_in_the_sign_in_throttling,
    staff_are_held_until_they_enrol_when_an_admin_requires_it,
    searches_and_known_error_edits_have_their_maxima,
);

/// The TOTP code of `secret` `steps` time steps from now, as an authenticator app computes it.
fn code(secret: &str, steps: i64) -> String {
    let bytes = Secret::Encoded(secret.to_owned())
        .to_bytes()
        .expect("base32 secret");
    let totp = TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new());
    let at = chrono::Utc::now().timestamp() + steps * 30;
    totp.generate(u64::try_from(at).expect("after 1970"))
}

async fn login(app: &TestApp, email: &str, password: &str, code: Option<&str>) -> Reply {
    let mut body = json!({"email": email, "password": password});
    if let Some(code) = code {
        body["code"] = json!(code);
    }
    app.post(None, "/api/auth/login", body).await
}

fn token_of(reply: &Reply) -> String {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body["token"].as_str().expect("token").to_owned()
}

/// Turns the second factor on for `token`'s account: (secret, recovery codes).
async fn enrol(app: &TestApp, token: &str) -> (String, Vec<String>) {
    let started = app.post(Some(token), "/api/me/totp", json!({})).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let secret = started.body["secret"].as_str().expect("secret").to_owned();
    let uri = started.body["otpauth_uri"].as_str().expect("uri");
    assert!(uri.starts_with("otpauth://totp/Reglament:"), "{uri}");
    assert!(uri.contains(&format!("secret={secret}")), "{uri}");
    assert!(
        started.body["qr_svg"]
            .as_str()
            .is_some_and(|svg| svg.contains("<svg"))
    );
    let wrong = app
        .post(
            Some(token),
            "/api/me/totp/confirm",
            json!({"code": "000000"}),
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert_eq!(wrong.body["field"], "code");
    let confirmed = app
        .post(
            Some(token),
            "/api/me/totp/confirm",
            json!({"code": code(&secret, 0)}),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let codes: Vec<String> = confirmed.body["recovery_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|code| code.as_str().expect("a code").to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

async fn audit_actions(app: &TestApp, user_id: i64) -> Vec<String> {
    let admin = app.token("admin@demo.example").await;
    let audit = app
        .get(
            Some(&admin),
            &format!("/api/admin/audit?entity=user&entity_id={user_id}"),
        )
        .await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.body);
    audit.body["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|entry| entry["action"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn an_admin_given_password_must_be_changed_before_anything_else(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let created = app
        .post(
            Some(&admin),
            "/api/admin/users",
            json!({"email": "new.agent@demo.example", "name": "New Agent", "role": "agent_l1"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let given = created.body["password"].as_str().expect("password");
    // Signing in works, and says what must happen first.
    let token = token_of(&login(&app, "new.agent@demo.example", given, None).await);
    let me = app.get(Some(&token), "/api/me").await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.body["must_change_password"], true, "{}", me.body);
    // Everything else is refused with a clear code.
    for path in ["/api/tickets", "/api/me/sessions", "/api/notifications"] {
        let held = app.get(Some(&token), path).await;
        assert_eq!(held.status, StatusCode::FORBIDDEN, "{path}: {}", held.body);
        assert_eq!(held.body["error"], "password_change_required", "{path}");
    }
    let changed = app
        .post(
            Some(&token),
            "/api/me/password",
            json!({"current_password": given, "new_password": "my own password"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.body);
    assert_eq!(
        app.get(Some(&token), "/api/tickets").await.status,
        StatusCode::OK
    );
    let me = app.get(Some(&token), "/api/me").await;
    assert_eq!(me.body["must_change_password"], false, "{}", me.body);

    // An admin's reset holds the account again; the mailed link's reset does not.
    let id = created.body["user"]["id"].as_i64().expect("id");
    let reset = app
        .post(
            Some(&admin),
            &format!("/api/admin/users/{id}/reset-password"),
            json!({}),
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    let given = reset.body["password"].as_str().expect("password");
    let token = token_of(&login(&app, "new.agent@demo.example", given, None).await);
    let held = app.get(Some(&token), "/api/tickets").await;
    assert_eq!(
        held.body["error"], "password_change_required",
        "{}",
        held.body
    );
    // The demo accounts are not held.
    let anna = token_of(&login(&app, "customer@demo.example", "demo", None).await);
    assert_eq!(
        app.get(Some(&anna), "/api/tickets").await.status,
        StatusCode::OK
    );
}

async fn a_second_factor_is_enrolled_and_asked_for_at_sign_in(app: TestApp) {
    let vera = token_of(&login(&app, "agent@demo.example", "demo", None).await);
    let (secret, _) = enrol(&app, &vera).await;
    let me = app.get(Some(&vera), "/api/me").await;
    assert_eq!(me.body["totp_enabled"], true, "{}", me.body);
    // A second enrolment while one is on is refused.
    let again = app.post(Some(&vera), "/api/me/totp", json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let without = login(&app, "agent@demo.example", "demo", None).await;
    assert_eq!(without.status, StatusCode::UNAUTHORIZED, "{}", without.body);
    assert_eq!(without.body["error"], "second_factor_required");
    assert!(without.body.get("token").is_none(), "no session");
    assert!(without.headers.get("set-cookie").is_none(), "no cookie");
    let wrong = login(&app, "agent@demo.example", "demo", Some("123456")).await;
    assert_eq!(
        wrong.body["error"], "second_factor_invalid",
        "{}",
        wrong.body
    );
    // A right code with a wrong password is still a wrong password.
    let next = code(&secret, 1);
    let bad_password = login(&app, "agent@demo.example", "guess", Some(&next)).await;
    assert_eq!(bad_password.body["error"], "unauthorized");
    let token = token_of(&login(&app, "agent@demo.example", "demo", Some(&next)).await);
    assert_eq!(
        app.get(Some(&token), "/api/tickets").await.status,
        StatusCode::OK
    );
    // A code works once.
    let replayed = login(&app, "agent@demo.example", "demo", Some(&next)).await;
    assert_eq!(
        replayed.body["error"], "second_factor_invalid",
        "{}",
        replayed.body
    );

    // Turning it off needs proof: a wrong password is refused, the right one works.
    let refused = app
        .send_json(
            "DELETE",
            Some(&vera),
            "/api/me/totp",
            json!({"password": "guess"}),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let removed = app
        .send_json(
            "DELETE",
            Some(&vera),
            "/api/me/totp",
            json!({"password": "demo"}),
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
    token_of(&login(&app, "agent@demo.example", "demo", None).await);
    let vera_id = app.user_id("agent@demo.example").await;
    let actions = audit_actions(&app, vera_id).await;
    for action in ["user.enable_totp", "user.disable_totp"] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}

async fn recovery_codes_work_once_and_are_audited(app: TestApp) {
    let anna = token_of(&login(&app, "customer@demo.example", "demo", None).await);
    let (_, codes) = enrol(&app, &anna).await;
    let first = codes[0].to_uppercase();
    token_of(&login(&app, "customer@demo.example", "demo", Some(&first)).await);
    let reused = login(&app, "customer@demo.example", "demo", Some(&codes[0])).await;
    assert_eq!(reused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reused.body["error"], "second_factor_invalid");
    token_of(&login(&app, "customer@demo.example", "demo", Some(&codes[1])).await);
    let anna_id = app.user_id("customer@demo.example").await;
    let used = audit_actions(&app, anna_id)
        .await
        .into_iter()
        .filter(|action| action == "user.use_recovery_code")
        .count();
    assert_eq!(used, 2);
}

async fn wrong_codes_count_in_the_sign_in_throttling(app: TestApp) {
    let vera = token_of(&login(&app, "agent@demo.example", "demo", None).await);
    enrol(&app, &vera).await;
    for _ in 0..4 {
        let wrong = login(&app, "agent@demo.example", "demo", Some("000000")).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.body);
    }
    let slowed = login(&app, "agent@demo.example", "demo", Some("000000")).await;
    assert_eq!(
        slowed.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        slowed.body
    );
    let admin = app.token("admin@demo.example").await;
    let list = app.get(Some(&admin), "/api/admin/login-throttles").await;
    assert!(
        list.body.to_string().contains("agent@demo.example"),
        "{}",
        list.body
    );
}

async fn staff_are_held_until_they_enrol_when_an_admin_requires_it(app: TestApp) {
    let admin = app.token("admin@demo.example").await;
    let vera = app.token("agent@demo.example").await;
    let refused = app
        .send_json(
            "PUT",
            Some(&vera),
            "/api/admin/settings",
            json!({"require_staff_totp": true}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let off = app.get(Some(&admin), "/api/admin/settings").await;
    assert_eq!(off.body["require_staff_totp"], false, "{}", off.body);
    let on = app
        .send_json(
            "PUT",
            Some(&admin),
            "/api/admin/settings",
            json!({"require_staff_totp": true}),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    assert_eq!(on.body["require_staff_totp"], true);

    // Staff still sign in, but are held until they enrol; customers are not affected.
    let vera = token_of(&login(&app, "agent@demo.example", "demo", None).await);
    let me = app.get(Some(&vera), "/api/me").await;
    assert_eq!(me.body["must_enrol_totp"], true, "{}", me.body);
    let held = app.get(Some(&vera), "/api/tickets").await;
    assert_eq!(held.status, StatusCode::FORBIDDEN);
    assert_eq!(held.body["error"], "second_factor_enrolment_required");
    let anna = app.token("customer@demo.example").await;
    assert_eq!(
        app.get(Some(&anna), "/api/tickets").await.status,
        StatusCode::OK
    );
    let (secret, _) = enrol(&app, &vera).await;
    assert_eq!(
        app.get(Some(&vera), "/api/tickets").await.status,
        StatusCode::OK
    );
    let me = app.get(Some(&vera), "/api/me").await;
    assert_eq!(me.body["must_enrol_totp"], false, "{}", me.body);
    // While required, staff cannot turn it off.
    let removal = app
        .send_json(
            "DELETE",
            Some(&vera),
            "/api/me/totp",
            json!({"code": code(&secret, 1)}),
        )
        .await;
    assert_eq!(removal.status, StatusCode::FORBIDDEN, "{}", removal.body);
    // The admin is staff too: held until enrolled.
    let held = app.get(Some(&admin), "/api/admin/audit").await;
    assert_eq!(held.body["error"], "second_factor_enrolment_required");
    enrol(&app, &admin).await;
    let audit = app
        .get(Some(&admin), "/api/admin/audit?action=settings.update")
        .await;
    assert_eq!(
        audit.body["entries"].as_array().map(Vec::len),
        Some(1),
        "{}",
        audit.body
    );
}

async fn searches_and_known_error_edits_have_their_maxima(app: TestApp) {
    let lead = app.token("lead@demo.example").await;
    let long = "x".repeat(201);
    for path in ["/api/tickets", "/api/tickets/counts", "/api/known-errors"] {
        let refused = app.get(Some(&lead), &format!("{path}?q={long}")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert_eq!(refused.body["field"], "q", "{path}");
        let fine = app
            .get(Some(&lead), &format!("{path}?q={}", &long[..200]))
            .await;
        assert_eq!(fine.status, StatusCode::OK, "{path}: {}", fine.body);
    }
    let created = app
        .post(
            Some(&lead),
            "/api/known-errors",
            json!({"title": "Export hangs", "symptoms": "The export never ends."}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_i64().expect("id");
    for (field, length) in [
        ("workaround", 20_001),
        ("solution", 20_001),
        ("affected_versions", 201),
        ("fixed_in", 101),
    ] {
        let edit = app
            .send_json(
                "PATCH",
                Some(&lead),
                &format!("/api/known-errors/{id}"),
                json!({ field: "y".repeat(length) }),
            )
            .await;
        assert_eq!(edit.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(edit.body["field"], field, "{}", edit.body);
    }
}
