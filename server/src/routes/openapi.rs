//! `GET /api/openapi.json`: a hand-written OpenAPI 3.1 document listing every path of the API.
//! The test suite checks it against the routes, so a new route without an entry fails.

use axum::Router;
use axum::routing::get;
use serde_json::{Map, Value, json};

use crate::error::Json;
use crate::state::AppState;

/// (path, method, operation id, summary, request type, response type) — types name `shared::api`.
pub(crate) const OPERATIONS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "/api/health",
        "get",
        "find_health",
        "the server and its database answer",
        "",
        "Health",
    ),
    (
        "/api/auth/login",
        "post",
        "create_session",
        "sign in (also sets the session cookie)",
        "LoginRequest",
        "LoginResponse",
    ),
    (
        "/api/auth/logout",
        "post",
        "delete_session",
        "sign out",
        "",
        "",
    ),
    ("/api/me", "get", "find_me", "the signed-in user", "", "Me"),
    (
        "/api/me",
        "patch",
        "update_profile",
        "language, time zone, mail preferences",
        "UpdateProfile",
        "Profile",
    ),
    (
        "/api/me/preferences",
        "get",
        "find_profile",
        "the caller's preferences",
        "",
        "Profile",
    ),
    (
        "/api/events",
        "get",
        "stream_events",
        "server-sent events of the caller's tickets",
        "",
        "text/event-stream",
    ),
    (
        "/api/notifications",
        "get",
        "list_notifications",
        "in-app notifications",
        "",
        "NotificationList",
    ),
    (
        "/api/notifications/read-all",
        "post",
        "read_all_notifications",
        "mark every notification read",
        "",
        "",
    ),
    (
        "/api/notifications/{id}/read",
        "post",
        "read_notification",
        "mark one notification read",
        "",
        "",
    ),
    (
        "/api/tickets",
        "get",
        "list_tickets",
        "customers: their organisation's tickets; staff: the queue (?view=mine|unassigned|l2|special|at_risk|breached, ?q=, ?cursor=, ?limit=)",
        "",
        "TicketList",
    ),
    (
        "/api/tickets/counts",
        "get",
        "find_ticket_counts",
        "the queue's counters per state over a whole staff view: total, running, at_risk, breached, paused (?view=, ?q= as for the list; staff)",
        "",
        "TicketCounts",
    ),
    (
        "/api/tickets",
        "post",
        "create_ticket",
        "register a request (customers), or one for the customer `requester_id` with its `channel` (staff)",
        "NewTicket",
        "Ticket",
    ),
    (
        "/api/tickets/{reference}",
        "get",
        "find_ticket",
        "the ticket with thread, events and clocks",
        "",
        "TicketDetail",
    ),
    (
        "/api/tickets/{reference}/messages",
        "post",
        "create_message",
        "a public message or (staff) an internal note; If-Match optional",
        "NewMessage",
        "Ticket",
    ),
    (
        "/api/tickets/{reference}/actions",
        "post",
        "create_action",
        "a lifecycle action (`hold` takes `reason`, `reason_kind`, `until`; `resume`); If-Match: <version>, 409 with `current` when stale",
        "ActionRequest",
        "Ticket",
    ),
    (
        "/api/tickets/{reference}/rating",
        "post",
        "create_rating",
        "rate a resolved ticket once (customers)",
        "NewRating",
        "Ticket",
    ),
    (
        "/api/tickets/{reference}/followers",
        "post",
        "create_follower",
        "follow the ticket",
        "",
        "",
    ),
    (
        "/api/tickets/{reference}/followers",
        "delete",
        "delete_follower",
        "stop following",
        "",
        "",
    ),
    (
        "/api/tickets/{reference}/reclassifications",
        "post",
        "create_reclassification",
        "propose a new category/severity (staff)",
        "NewReclassification",
        "Ticket",
    ),
    (
        "/api/reclassifications/{id}/accept",
        "post",
        "accept_reclassification",
        "accept a proposal; the targets change (customers)",
        "",
        "Ticket",
    ),
    (
        "/api/reclassifications/{id}/reject",
        "post",
        "reject_reclassification",
        "reject a proposal (customers)",
        "",
        "Ticket",
    ),
    (
        "/api/known-errors",
        "get",
        "list_known_errors",
        "known errors (?q= searches title, symptoms and number); customers see published ones",
        "",
        "KnownErrorList",
    ),
    (
        "/api/known-errors",
        "post",
        "create_known_error",
        "a new known error (L2, supervisors, admins)",
        "NewKnownError",
        "KnownError",
    ),
    (
        "/api/known-errors/{id}",
        "get",
        "find_known_error",
        "one known error",
        "",
        "KnownError",
    ),
    (
        "/api/known-errors/{id}",
        "patch",
        "update_known_error",
        "edit; marking it fixed informs linked tickets",
        "UpdateKnownError",
        "KnownError",
    ),
    (
        "/api/announcements",
        "get",
        "list_announcements",
        "current announcements (?all=true for managers)",
        "",
        "AnnouncementList",
    ),
    (
        "/api/announcements",
        "post",
        "create_announcement",
        "publish (supervisors, admins); mails it once to the active users who take announcements by mail",
        "NewAnnouncement",
        "Announcement",
    ),
    (
        "/api/announcements/public",
        "get",
        "list_public_announcements",
        "current announcements marked for the sign-in page (title, body, period), no session needed",
        "",
        "PublicAnnouncementList",
    ),
    (
        "/api/announcements/{id}",
        "patch",
        "update_announcement",
        "edit (supervisors, admins); sends no mail",
        "UpdateAnnouncement",
        "Announcement",
    ),
    (
        "/api/announcements/{id}",
        "delete",
        "delete_announcement",
        "remove (supervisors, admins)",
        "",
        "",
    ),
    (
        "/api/admin/organisations",
        "get",
        "list_organisations",
        "organisations (managers)",
        "",
        "Vec<Organisation>",
    ),
    (
        "/api/admin/organisations",
        "post",
        "create_organisation",
        "a new organisation (admins)",
        "NewOrganisation",
        "Organisation",
    ),
    (
        "/api/admin/contracts",
        "get",
        "list_contracts",
        "contracts (managers)",
        "",
        "Vec<Contract>",
    ),
    (
        "/api/admin/contracts",
        "post",
        "create_contract",
        "a new contract (admins)",
        "NewContract",
        "Contract",
    ),
    (
        "/api/admin/users",
        "get",
        "list_users",
        "accounts (?organisation_id=)",
        "",
        "Vec<User>",
    ),
    (
        "/api/admin/users",
        "post",
        "create_user",
        "a new account; 422 past the contract's account limit",
        "NewUser",
        "UserWithPassword",
    ),
    (
        "/api/admin/users/{id}/deactivate",
        "post",
        "deactivate_user",
        "deactivate an account",
        "",
        "User",
    ),
    (
        "/api/admin/users/{id}/reset-password",
        "post",
        "reset_user_password",
        "a new one-time password",
        "",
        "UserWithPassword",
    ),
    (
        "/api/admin/audit",
        "get",
        "list_audit_entries",
        "the audit log (?entity=&entity_id=&actor_id=&action=&cursor=)",
        "",
        "AuditList",
    ),
    (
        "/api/admin/organisations/{id}",
        "patch",
        "update_organisation",
        "rename an organisation or change on_expiry (admins)",
        "UpdateOrganisation",
        "Organisation",
    ),
    (
        "/api/admin/organisations/{id}/watchers",
        "get",
        "list_watchers",
        "the users who hear of every ticket of the organisation (managers)",
        "",
        "WatcherList",
    ),
    (
        "/api/admin/organisations/{id}/watchers",
        "put",
        "update_watchers",
        "replace the watchers: active staff or the organisation's own active customers; 422 on user_ids otherwise (admins)",
        "UpdateWatchers",
        "WatcherList",
    ),
    (
        "/api/admin/contracts/{id}",
        "patch",
        "update_contract",
        "change a contract; renewal and expiry go to the audit log (admins)",
        "UpdateContract",
        "Contract",
    ),
    (
        "/api/admin/calendars",
        "get",
        "list_calendars",
        "the calendar library (supervisors, admins)",
        "",
        "AdminCalendar",
    ),
    (
        "/api/admin/calendars",
        "post",
        "create_calendar",
        "a new calendar, validated by Calendar::new (admins)",
        "NewCalendar",
        "AdminCalendar",
    ),
    (
        "/api/admin/calendars/{id}",
        "get",
        "find_calendar",
        "a calendar with its versions",
        "",
        "AdminCalendar",
    ),
    (
        "/api/admin/calendars/{id}",
        "put",
        "update_calendar",
        "a new calendar version; plans that follow it get a new version (move_open_tickets moves their open tickets)",
        "UpdateCalendar",
        "CalendarChange",
    ),
    (
        "/api/admin/plans",
        "get",
        "list_plans",
        "SLA plans at their current versions (supervisors, admins)",
        "",
        "AdminPlan",
    ),
    (
        "/api/admin/plans",
        "post",
        "create_plan",
        "a new plan, validated by Plan::new (admins)",
        "NewPlan",
        "AdminPlan",
    ),
    (
        "/api/admin/plans/{id}",
        "get",
        "find_plan",
        "a plan with its versions",
        "",
        "AdminPlan",
    ),
    (
        "/api/admin/plans/{id}",
        "put",
        "update_plan",
        "a new plan version; tickets keep theirs unless move_open_tickets",
        "UpdatePlan",
        "PlanChange",
    ),
    (
        "/api/admin/plan-templates",
        "get",
        "list_plan_templates",
        "the seed regulations as plan templates, each with its calendar (supervisors, admins)",
        "",
        "PlanTemplate",
    ),
    (
        "/api/admin/plan-templates/{key}",
        "post",
        "create_plan_from_template",
        "the plan made from a template under its key (201), or the plan that has the key (200) (admins)",
        "",
        "AdminPlan",
    ),
    (
        "/api/reports/sla",
        "get",
        "find_sla_report",
        "SLA compliance by group with breaches (?from=&to=&group_by=organisation|category|plan|agent&format=json|csv)",
        "",
        "SlaReport",
    ),
    (
        "/api/reports/csat",
        "get",
        "find_csat_report",
        "ratings: average, distribution, count (?from=&to=&format=json|csv)",
        "",
        "CsatReport",
    ),
    (
        "/api/reports/reopens",
        "get",
        "find_reopen_report",
        "reopen rate: reopens / resolutions (?from=&to=&format=json|csv)",
        "",
        "ReopenReport",
    ),
    (
        "/api/reports/backlog",
        "get",
        "find_backlog_report",
        "open tickets by age bucket (?format=json|csv)",
        "",
        "BacklogReport",
    ),
    (
        "/api/expedite-requests",
        "get",
        "list_expedite_requests",
        "tickets customers asked to expedite, newest first (?cursor=&limit=)",
        "",
        "ExpediteRequestList",
    ),
    (
        "/api/sla/preview",
        "post",
        "create_sla_preview",
        "deadlines of a classification under a plan",
        "SlaPreviewRequest",
        "SlaPreview",
    ),
    (
        "/api/sla/plan",
        "get",
        "find_plan_in_force",
        "the plan a ticket the caller registers now would get (customers)",
        "",
        "PlanInForce",
    ),
    (
        "/api/rating-links/{token}",
        "get",
        "find_rating_link",
        "what a signed link from the resolution mail is about (no sign-in)",
        "",
        "RatingLink",
    ),
    (
        "/api/rating-links/{token}",
        "post",
        "create_rating_link_action",
        "rate or reopen through the signed link (no sign-in; works once)",
        "RatingLinkAction",
        "Ticket",
    ),
    (
        "/api/products",
        "get",
        "list_products",
        "products with their supported versions and fields, for the new-ticket form",
        "",
        "ProductList",
    ),
    (
        "/api/admin/products",
        "get",
        "list_admin_products",
        "products (supervisors, admins)",
        "",
        "ProductList",
    ),
    (
        "/api/admin/products",
        "post",
        "create_product",
        "a product with its supported versions and optional ticket fields (admins)",
        "NewProduct",
        "Product",
    ),
    (
        "/api/admin/products/{id}",
        "put",
        "update_product",
        "replace a product's name, supported versions and fields (admins)",
        "NewProduct",
        "Product",
    ),
    (
        "/api/admin/plans/{id}/password-reminder",
        "get",
        "find_plan_reminder",
        "the plan's reminder to change temporary passwords, added to the resolution mail (supervisors, admins)",
        "",
        "PasswordReminder",
    ),
    (
        "/api/admin/plans/{id}/password-reminder",
        "put",
        "update_plan_reminder",
        "set the plan's reminder in English and Russian; both empty removes it (admins)",
        "PasswordReminder",
        "PasswordReminder",
    ),
    (
        "/api/admin/organisations/{id}/password-reminder",
        "get",
        "find_organisation_reminder",
        "the organisation's own reminder, which overrides its plan's (supervisors, admins)",
        "",
        "PasswordReminder",
    ),
    (
        "/api/admin/organisations/{id}/password-reminder",
        "put",
        "update_organisation_reminder",
        "set the organisation's reminder; both empty and it follows its plan (admins)",
        "PasswordReminder",
        "PasswordReminder",
    ),
    (
        "/api/admin/organisations/{id}/balance",
        "get",
        "find_balance",
        "the organisation's prepaid balance for paid work in minutes, with its history (supervisors, admins)",
        "",
        "Balance",
    ),
    (
        "/api/admin/organisations/{id}/balance",
        "post",
        "create_balance_entry",
        "top up or correct the prepaid balance, audited (admins)",
        "NewBalanceEntry",
        "Balance",
    ),
    (
        "/api/inbound/email",
        "post",
        "create_inbound_email",
        "a raw RFC 822 message from the mail gateway (Bearer RG_INBOUND_TOKEN)",
        "message/rfc822",
        "Ingested",
    ),
    (
        "/api/known-errors/{id}/tickets",
        "get",
        "list_linked_tickets",
        "the tickets linked to a known error (staff)",
        "",
        "TicketList",
    ),
    (
        "/api/staff",
        "get",
        "list_staff",
        "the active members of staff a ticket can be assigned to (staff)",
        "",
        "StaffList",
    ),
    (
        "/api/customers",
        "get",
        "list_customers",
        "up to 20 active customers whose name or e-mail contains ?q=, with their organisations (staff)",
        "",
        "CustomerList",
    ),
    (
        "/api/canned-responses",
        "get",
        "list_canned_responses",
        "the shared canned responses and the caller's own (staff)",
        "",
        "CannedResponseList",
    ),
    (
        "/api/canned-responses",
        "post",
        "create_canned_response",
        "a personal canned response, or a shared one (managers)",
        "NewCannedResponse",
        "CannedResponse",
    ),
    (
        "/api/canned-responses/{id}",
        "delete",
        "delete_canned_response",
        "one's own canned response, or a shared one (managers)",
        "",
        "",
    ),
    (
        "/api/me/totp",
        "post",
        "start_enrolment",
        "start setting up a TOTP second factor: secret, otpauth URI, QR code (SVG)",
        "",
        "TotpEnrolment",
    ),
    (
        "/api/me/totp",
        "delete",
        "remove_second_factor",
        "turn the second factor off with a code, a recovery code or the password",
        "TotpRemoval",
        "",
    ),
    (
        "/api/me/totp/confirm",
        "post",
        "confirm_enrolment",
        "turn the second factor on with a code; answers the recovery codes once",
        "TotpConfirm",
        "RecoveryCodes",
    ),
    (
        "/api/admin/settings",
        "get",
        "find_settings",
        "product-wide settings (admins)",
        "",
        "AdminSettings",
    ),
    (
        "/api/admin/settings",
        "put",
        "update_settings",
        "change the product-wide settings (admins)",
        "AdminSettings",
        "AdminSettings",
    ),
    (
        "/api/admin/dead-letters",
        "get",
        "list_dead_letters",
        "incoming mail that could not be ingested, newest first (admins)",
        "",
        "DeadLetterList",
    ),
    (
        "/api/openapi.json",
        "get",
        "find_openapi",
        "this document",
        "",
        "OpenAPI",
    ),
];

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(find_openapi))
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

async fn find_openapi() -> Json<Value> {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    for &(path, method, operation_id, summary, request, response) in OPERATIONS {
        let mut operation = json!({
            "operationId": operation_id,
            "summary": summary,
            "responses": {
                "default": { "description": "an error", "content": { "application/json": { "schema": schema_ref("ErrorBody") } } }
            },
        });
        if request.contains('/') {
            operation["requestBody"] = json!({ "content": { request: {} } });
        } else if !request.is_empty() {
            operation["requestBody"] =
                json!({ "content": { "application/json": { "schema": schema_ref(request) } } });
            schemas.insert(
                request.to_owned(),
                json!({ "type": "object", "description": format!("shared::api::{request}") }),
            );
        }
        let ok = if response.is_empty() {
            json!({ "description": "done" })
        } else if response.contains('/') {
            json!({ "description": "a stream", "content": { response: {} } })
        } else {
            schemas.insert(
                response.to_owned(),
                json!({ "type": "object", "description": format!("shared::{}::{response}", if response.ends_with("Report") { "report" } else { "api" }) }),
            );
            json!({ "description": "success", "content": { "application/json": { "schema": schema_ref(response) } } })
        };
        let code = if method == "post" && operation_id.starts_with("create_") {
            "201"
        } else {
            "200"
        };
        operation["responses"][code] = ok;
        let parameters: Vec<Value> = path
            .split('/')
            .filter_map(|part| part.strip_prefix('{').and_then(|p| p.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        if !parameters.is_empty() {
            operation["parameters"] = Value::Array(parameters);
        }
        let entry = paths.entry(path.to_owned()).or_insert_with(|| json!({}));
        entry[method] = operation;
    }
    schemas.insert(
        "ErrorBody".into(),
        json!({
            "type": "object",
            "required": ["error", "message"],
            "properties": {
                "error": { "type": "string" },
                "message": { "type": "string" },
                "field": { "type": "string" },
                "fields": { "type": "object", "additionalProperties": { "type": "string" } },
                "current": { "description": "409 only: the resource as it is now" }
            }
        }),
    );
    Json(json!({
        "openapi": "3.1.0",
        "info": { "title": "Reglament API", "version": env!("CARGO_PKG_VERSION") },
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" },
                "cookie": { "type": "apiKey", "in": "cookie", "name": "rg_session" }
            }
        },
        "security": [ { "bearer": [] }, { "cookie": [] } ],
        "paths": paths,
    }))
}
