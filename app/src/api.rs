//! The typed client of the JSON API: components call these functions and never build URLs.
//!
//! The session travels in the HttpOnly cookie the server sets on sign-in, so the app never
//! touches the token.

mod integrations;

pub use integrations::*;

use std::future::Future;
use std::pin::Pin;

use gloo_net::http::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::api::{
    ActionRequest, AdminCalendar, AdminPlan, Announcement, AnnouncementList, AuditList, Contract,
    ErrorBody, ExpediteRequestList, KnownError, KnownErrorList, LoginRequest, LoginResponse, Me,
    NewAnnouncement, NewContract, NewKnownError, NewMessage, NewOrganisation, NewRating,
    NewReclassification, NewTicket, NewUser, Organisation, ReclassificationDecision, Ticket,
    TicketCounts, TicketDetail, TicketList, UpdateAnnouncement, UpdateKnownError, UpdateWatchers,
    User, UserWithPassword, WatcherList,
};
use shared::calendar::CalendarSpec;
use shared::live::UpdateProfile;
use shared::report::{BacklogReport, CsatReport, GroupBy, Period, ReopenReport, SlaReport};
use shared::sla::PlanSpec;
use wasm_bindgen::JsValue;

use crate::state::LiveMessage;

/// What a failed call tells the page: the envelope from the server, or a network failure.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub body: ErrorBody,
}

impl ApiError {
    fn network(message: String) -> ApiError {
        ApiError {
            status: 0,
            body: ErrorBody {
                error: "network".into(),
                message,
                field: None,
                fields: Default::default(),
            },
        }
    }

    /// A check the app makes before asking the server, refused in the server's words: `message`
    /// about the form field `field`.
    pub fn invalid(field: &str, message: String) -> ApiError {
        ApiError {
            status: 422,
            body: ErrorBody {
                error: "validation".into(),
                message,
                field: Some(field.to_owned()),
                fields: Default::default(),
            },
        }
    }

    /// Nobody is signed in, or the credentials were wrong (401).
    pub fn is_unauthorized(&self) -> bool {
        self.status == 401
    }

    /// What was asked for does not exist, or is not the caller's to see (404).
    pub fn is_not_found(&self) -> bool {
        self.status == 404
    }

    /// The write was made against an older version of what it changes (409): the page shows
    /// the current state and lets the person decide again.
    pub fn is_conflict(&self) -> bool {
        self.status == 409
    }

    /// The password was right but the account's second factor is needed, or the one given was
    /// wrong (401 `second_factor_required` / `second_factor_invalid`).
    pub fn needs_second_factor(&self) -> bool {
        self.status == 401 && self.body.error.starts_with("second_factor_")
    }

    /// What was asked for is used up, such as a rating link that worked once already (410).
    pub fn is_gone(&self) -> bool {
        self.status == 410
    }

    /// The message for one form field, if the server named it.
    pub fn field(&self, name: &str) -> Option<String> {
        self.body.fields.get(name).cloned().or_else(|| {
            (self.body.field.as_deref() == Some(name)).then(|| self.body.message.clone())
        })
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.body.message)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// One answer of the server: its status and its body text (or why the body could not be read).
struct Answer {
    status: u16,
    text: Result<String, String>,
}

impl Answer {
    /// The error envelope of a failed answer, or a stand-in when the body is not one.
    fn error(self) -> ApiError {
        let status = self.status;
        let body = self
            .text
            .ok()
            .and_then(|text| from_json::<ErrorBody>(&text).ok())
            .unwrap_or(ErrorBody {
                error: "http".into(),
                message: format!("the server answered {status}"),
                field: None,
                fields: Default::default(),
            });
        ApiError { status, body }
    }
}

/// A successful answer's body parsed by the browser's `JSON.parse`, or the failure.
fn json_body(answer: Answer) -> ApiResult<JsValue> {
    if !(200..300).contains(&answer.status) {
        return Err(answer.error());
    }
    let text = answer.text.map_err(ApiError::network)?;
    parse_json(&text).map_err(ApiError::network)
}

/// Sends one request and reads the answer's JSON body: like `send`, boxed and not generic, so
/// every typed call shares it and adds only its own `typed` step.
fn fetch_json(
    method: Method,
    path: &str,
    json: Option<String>,
    if_match: Option<i32>,
) -> Pin<Box<dyn Future<Output = ApiResult<JsValue>>>> {
    let answer = send(method, path, json, if_match);
    Box::pin(async move { json_body(answer.await?) })
}

/// The page's type from a parsed body.
#[inline(never)]
fn typed<T: DeserializeOwned>(body: ApiResult<JsValue>) -> ApiResult<T> {
    serde_wasm_bindgen::from_value(body?).map_err(|error| ApiError::network(error.to_string()))
}

/// Parses JSON text into a `T` in two steps: the browser's `JSON.parse` makes a JavaScript
/// value, which `serde_wasm_bindgen` then walks into `T`.
///
/// The bundle then holds no JSON text parser at all, and each wire type adds only its walk over
/// an object: `serde-wasm-bindgen` always hands a struct its fields as a map, so the derived
/// `visit_seq` of every struct (a `serde_json::Value` or text deserializer may call it with an
/// array) is never compiled. The answers are the same.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_wasm_bindgen::from_value(parse_json(text)?).map_err(|error| error.to_string())
}

/// A wire type inside an answer's free-form JSON (an event's payload), walked like an answer
/// through the JavaScript value that `to_json` would write.
pub fn from_value<T: DeserializeOwned>(value: &serde_json::Value) -> Option<T> {
    let value = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

/// A wire enum from its name (`"agent_l1"` into a `Role`), walked like an answer's strings.
pub fn from_name<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_wasm_bindgen::from_value(JsValue::from_str(name)).ok()
}

#[inline(never)]
fn parse_json(text: &str) -> Result<JsValue, String> {
    js_sys::JSON::parse(text).map_err(|_| "the answer is not JSON".to_owned())
}

/// A failed answer's error, or nothing for a success without a body.
fn no_content(answer: Answer) -> ApiResult<()> {
    if (200..300).contains(&answer.status) {
        Ok(())
    } else {
        Err(answer.error())
    }
}

/// Sends one request to `/api{path}` with an optional JSON body and `If-Match` version.
///
/// This is the one place that awaits `fetch`: it is neither generic nor inlined into the typed
/// calls (the future is boxed), so the bundle holds one copy of the request machinery and each
/// call adds only its own decoding.
fn send(
    method: Method,
    path: &str,
    json: Option<String>,
    if_match: Option<i32>,
) -> Pin<Box<dyn Future<Output = ApiResult<Answer>>>> {
    let mut builder = RequestBuilder::new(&format!("/api{path}")).method(method);
    if let Some(version) = if_match {
        builder = builder.header("If-Match", &version.to_string());
    }
    let request = match json {
        Some(json) => builder
            .header("Content-Type", "application/json")
            .body(json),
        None => builder.build(),
    };
    Box::pin(async move {
        let response = request
            .map_err(|_| ApiError::network("the request could not be made".into()))?
            .send()
            .await
            .map_err(|_| ApiError::network("the server could not be reached".into()))?;
        Ok(Answer {
            status: response.status(),
            text: response
                .text()
                .await
                .map_err(|_| "the answer could not be read".to_owned()),
        })
    })
}

/// The JSON text of a request body: `serde_wasm_bindgen` writes the body into a JavaScript value
/// as JSON would (maps as objects, `None` as `null`) and the browser's `JSON.stringify` writes
/// the text.
pub fn to_json<B: Serialize>(body: &B) -> ApiResult<String> {
    body.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()
        .and_then(|value| js_sys::JSON::stringify(&value).ok())
        .map(String::from)
        .ok_or_else(|| ApiError::network("the request could not be encoded".into()))
}

pub async fn get<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    typed(fetch_json(Method::GET, path, None, None).await)
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> ApiResult<T> {
    let json = to_json(body)?;
    typed(fetch_json(Method::POST, path, Some(json), None).await)
}

/// A `POST` of an order without a body (deactivate, reset a password).
pub async fn post_empty<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    typed(fetch_json(Method::POST, path, None, None).await)
}

pub async fn patch<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> ApiResult<T> {
    let json = to_json(body)?;
    typed(fetch_json(Method::PATCH, path, Some(json), None).await)
}

pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> ApiResult<T> {
    let json = to_json(body)?;
    typed(fetch_json(Method::PUT, path, Some(json), None).await)
}

/// A `DELETE` that answers 204 without a body.
pub async fn delete(path: &str) -> ApiResult<()> {
    no_content(send(Method::DELETE, path, None, None).await?)
}

/// `GET /api/me`: who is signed in (401 when nobody is).
pub async fn me() -> ApiResult<Me> {
    get("/me").await
}

/// `POST /api/auth/login`, with the second factor's `code` when the account has one (a 401
/// `second_factor_required` asks for it).
pub async fn login(
    email: String,
    password: String,
    code: Option<String>,
) -> ApiResult<LoginResponse> {
    post(
        "/auth/login",
        &LoginRequest {
            email,
            password,
            code,
        },
    )
    .await
}

/// A `POST` whose answer has no body (204 or 202).
async fn post_no_content<B: Serialize>(path: &str, body: &B) -> ApiResult<()> {
    let json = to_json(body)?;
    no_content(send(Method::POST, path, Some(json), None).await?)
}

/// `POST /api/me/password`: every other session of the account ends.
pub async fn change_password(current_password: String, new_password: String) -> ApiResult<()> {
    let body = shared::api::PasswordChange {
        current_password,
        new_password,
    };
    post_no_content("/me/password", &body).await
}

/// `GET /api/me/sessions`.
pub async fn list_sessions() -> ApiResult<Vec<shared::api::Session>> {
    get::<shared::api::SessionList>("/me/sessions")
        .await
        .map(|list| list.sessions)
}

/// `DELETE /api/me/sessions/{id}`.
pub async fn end_session(id: String) -> ApiResult<()> {
    delete(&format!("/me/sessions/{}", encode(&id))).await
}

/// `POST /api/me/sessions/end-all`: "sign out everywhere", this session included.
pub async fn end_all_sessions() -> ApiResult<()> {
    no_content(send(Method::POST, "/me/sessions/end-all", None, None).await?)
}

/// `POST /api/auth/password-reset`: mails a link if the address has an account.
pub async fn request_password_reset(email: String) -> ApiResult<()> {
    let body = shared::api::PasswordResetRequest { email };
    post_no_content("/auth/password-reset", &body).await
}

/// `POST /api/auth/password-reset/confirm`.
pub async fn confirm_password_reset(token: String, new_password: String) -> ApiResult<()> {
    let body = shared::api::PasswordReset {
        token,
        new_password,
    };
    post_no_content("/auth/password-reset/confirm", &body).await
}

/// `POST /api/me/totp`: a pending secret with its QR code.
pub async fn start_totp() -> ApiResult<shared::api::TotpEnrolment> {
    post_empty("/me/totp").await
}

/// `POST /api/me/totp/confirm`: the recovery codes.
pub async fn confirm_totp(code: String) -> ApiResult<Vec<String>> {
    post::<_, shared::api::RecoveryCodes>("/me/totp/confirm", &shared::api::TotpConfirm { code })
        .await
        .map(|codes| codes.recovery_codes)
}

/// `DELETE /api/me/totp` with a code (or recovery code) or the password.
pub async fn remove_totp(removal: shared::api::TotpRemoval) -> ApiResult<()> {
    let json = to_json(&removal)?;
    no_content(send(Method::DELETE, "/me/totp", Some(json), None).await?)
}

/// `GET /api/admin/settings`.
pub async fn find_settings() -> ApiResult<shared::api::AdminSettings> {
    get("/admin/settings").await
}

/// `PUT /api/admin/settings`.
pub async fn update_settings(
    settings: shared::api::AdminSettings,
) -> ApiResult<shared::api::AdminSettings> {
    put("/admin/settings", &settings).await
}

/// `POST /api/auth/logout`.
pub async fn logout() -> ApiResult<()> {
    no_content(send(Method::POST, "/auth/logout", None, None).await?)
}

fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

/// Which slice of the tickets list to ask for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TicketQuery {
    /// Staff views: `mine`, `unassigned`, `l2`, `special`, `at_risk`, `breached`.
    pub view: Option<String>,
    pub q: Option<String>,
    pub cursor: Option<String>,
}

impl TicketQuery {
    /// `path` with the query's non-empty parameters.
    fn path(self, path: &str) -> String {
        let mut parts = Vec::new();
        for (key, value) in [("view", self.view), ("q", self.q), ("cursor", self.cursor)] {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                parts.push(format!("{key}={}", encode(&value)));
            }
        }
        if parts.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", parts.join("&"))
        }
    }
}

/// `GET /api/tickets`.
pub async fn list_tickets(query: TicketQuery) -> ApiResult<TicketList> {
    get(&query.path("/tickets")).await
}

/// `GET /api/tickets/counts`: the counters per state of the whole view `query` names (staff);
/// a cursor means nothing to a count and is not sent.
pub async fn count_tickets(query: TicketQuery) -> ApiResult<TicketCounts> {
    let whole_view = TicketQuery {
        cursor: None,
        ..query
    };
    get(&whole_view.path("/tickets/counts")).await
}

/// `POST /api/tickets`.
pub async fn create_ticket(ticket: NewTicket) -> ApiResult<Ticket> {
    post("/tickets", &ticket).await
}

/// `GET /api/tickets/{reference}`.
/// `GET /api/canned-responses`: the team's and the caller's own canned responses.
pub async fn list_canned_responses() -> ApiResult<Vec<shared::api::CannedResponse>> {
    get::<shared::api::CannedResponseList>("/canned-responses")
        .await
        .map(|list| list.canned_responses)
}

/// `GET /api/staff`: who a ticket can be assigned to, by name.
pub async fn list_staff() -> ApiResult<Vec<shared::api::StaffMember>> {
    get::<shared::api::StaffList>("/staff")
        .await
        .map(|list| list.staff)
}

/// `GET /api/customers?q=`: customers whose name or e-mail contains `text` (staff).
pub async fn list_customers(text: String) -> ApiResult<Vec<shared::api::CustomerSummary>> {
    get::<shared::api::CustomerList>(&format!("/customers?q={}", encode(&text)))
        .await
        .map(|list| list.customers)
}

/// `GET /api/products`: the products a new ticket can name, with their fields.
pub async fn list_products() -> ApiResult<Vec<shared::api::Product>> {
    get::<shared::api::ProductList>("/products")
        .await
        .map(|list| list.products)
}

/// `GET /api/sla/plan`: the plan a ticket registered now would get.
pub async fn find_plan_in_force() -> ApiResult<shared::api::PlanInForce> {
    get("/sla/plan").await
}

pub async fn find_ticket(reference: String) -> ApiResult<TicketDetail> {
    get(&format!("/tickets/{}", encode(&reference))).await
}

/// `POST /api/tickets/{reference}/messages`.
pub async fn create_message(
    reference: String,
    body: String,
    internal: bool,
    minutes: Option<u32>,
) -> ApiResult<serde_json::Value> {
    post(
        &format!("/tickets/{}/messages", encode(&reference)),
        &NewMessage {
            body,
            internal,
            minutes,
        },
    )
    .await
}

/// `POST /api/tickets/{reference}/actions` with `If-Match`.
pub async fn create_action(
    reference: String,
    version: i32,
    action: ActionRequest,
) -> ApiResult<serde_json::Value> {
    let json = to_json(&action)?;
    let path = format!("/tickets/{}/actions", encode(&reference));
    typed(fetch_json(Method::POST, &path, Some(json), Some(version)).await)
}

/// `POST /api/tickets/{reference}/rating`.
pub async fn rate_ticket(
    reference: String,
    score: u8,
    comment: String,
) -> ApiResult<serde_json::Value> {
    post(
        &format!("/tickets/{}/rating", encode(&reference)),
        &NewRating { score, comment },
    )
    .await
}

/// `POST /api/tickets/{reference}/reclassifications`: an agent's proposal.
pub async fn propose_reclassification(
    reference: String,
    classification: shared::ticket::Classification,
    reason: String,
) -> ApiResult<serde_json::Value> {
    post(
        &format!("/tickets/{}/reclassifications", encode(&reference)),
        &NewReclassification {
            category: classification.category,
            severity: classification.severity,
            reason,
        },
    )
    .await
}

/// `POST /api/reclassifications/{id}/accept` or `/reject`.
pub async fn answer_reclassification(
    id: i64,
    accept: bool,
    comment: String,
) -> ApiResult<serde_json::Value> {
    let verb = if accept { "accept" } else { "reject" };
    post(
        &format!("/reclassifications/{id}/{verb}"),
        &ReclassificationDecision {
            comment: Some(comment).filter(|comment| !comment.trim().is_empty()),
        },
    )
    .await
}

/// `GET /api/known-errors?q=`: the first page, newest first (customers get the published ones).
pub async fn search_known_errors(q: String) -> ApiResult<Vec<KnownError>> {
    list_known_errors(q).await.map(|list| list.known_errors)
}

/// `GET /api/known-errors?q=` with its paging metadata.
pub async fn list_known_errors(q: String) -> ApiResult<KnownErrorList> {
    let path = if q.trim().is_empty() {
        "/known-errors".to_owned()
    } else {
        format!("/known-errors?q={}", encode(q.trim()))
    };
    get(&path).await
}

/// `GET /api/known-errors/{id}`.
pub async fn find_known_error(id: i64) -> ApiResult<KnownError> {
    get(&format!("/known-errors/{id}")).await
}

/// `POST /api/known-errors` (L2, supervisors, admins).
pub async fn create_known_error(known_error: NewKnownError) -> ApiResult<KnownError> {
    post("/known-errors", &known_error).await
}

/// `PATCH /api/known-errors/{id}`: marking one fixed makes the server inform every linked ticket.
pub async fn update_known_error(id: i64, changes: UpdateKnownError) -> ApiResult<KnownError> {
    patch(&format!("/known-errors/{id}"), &changes).await
}

/// `GET /api/known-errors/{id}/tickets`: the tickets linked to a known error (staff).
pub async fn list_linked_tickets(id: i64) -> ApiResult<TicketList> {
    get(&format!("/known-errors/{id}/tickets")).await
}

/// `GET /api/rating-links/{token}`: what a rating link from the resolution mail is about (no
/// session needed).
pub async fn find_rating_link(token: String) -> ApiResult<shared::api::RatingLink> {
    get(&format!("/rating-links/{}", encode(&token))).await
}

/// `POST /api/rating-links/{token}`: rate or reopen through the link, once.
pub async fn use_rating_link(
    token: String,
    action: shared::api::RatingLinkAction,
) -> ApiResult<serde_json::Value> {
    post(&format!("/rating-links/{}", encode(&token)), &action).await
}

/// `GET /api/announcements`: the current ones.
pub async fn list_announcements() -> ApiResult<Vec<Announcement>> {
    get::<AnnouncementList>("/announcements")
        .await
        .map(|body| body.announcements)
}

/// `GET /api/announcements/public`: the current ones for the sign-in page (no session needed).
pub async fn list_public_announcements() -> ApiResult<Vec<shared::api::PublicAnnouncement>> {
    get::<shared::api::PublicAnnouncementList>("/announcements/public")
        .await
        .map(|body| body.announcements)
}

/// `GET /api/announcements?all=true`: past, current and future (supervisors and admins).
pub async fn list_all_announcements() -> ApiResult<Vec<Announcement>> {
    get::<AnnouncementList>("/announcements?all=true")
        .await
        .map(|body| body.announcements)
}

/// `POST /api/announcements`.
pub async fn create_announcement(announcement: NewAnnouncement) -> ApiResult<Announcement> {
    post("/announcements", &announcement).await
}

/// `PATCH /api/announcements/{id}`.
pub async fn update_announcement(id: i64, changes: UpdateAnnouncement) -> ApiResult<Announcement> {
    patch(&format!("/announcements/{id}"), &changes).await
}

/// `DELETE /api/announcements/{id}`.
pub async fn delete_announcement(id: i64) -> ApiResult<()> {
    delete(&format!("/announcements/{id}")).await
}

/// `GET /api/admin/organisations`.
pub async fn list_organisations() -> ApiResult<Vec<Organisation>> {
    get("/admin/organisations").await
}

/// `POST /api/admin/organisations`.
pub async fn create_organisation(organisation: NewOrganisation) -> ApiResult<Organisation> {
    post("/admin/organisations", &organisation).await
}

/// `GET /api/admin/organisations/{id}/watchers`.
pub async fn list_watchers(organisation_id: i64) -> ApiResult<WatcherList> {
    get(&format!("/admin/organisations/{organisation_id}/watchers")).await
}

/// `PUT /api/admin/organisations/{id}/watchers`: the whole new set (422 on `user_ids` for an
/// account that may not watch this organisation).
pub async fn update_watchers(organisation_id: i64, user_ids: Vec<i64>) -> ApiResult<WatcherList> {
    put(
        &format!("/admin/organisations/{organisation_id}/watchers"),
        &UpdateWatchers { user_ids },
    )
    .await
}

/// `GET /api/admin/organisations/{id}/balance`: the prepaid balance and its history.
pub async fn find_balance(organisation_id: i64) -> ApiResult<shared::api::Balance> {
    get(&format!("/admin/organisations/{organisation_id}/balance")).await
}

/// `POST /api/admin/organisations/{id}/balance`: a top-up or a correction.
pub async fn create_balance_entry(
    organisation_id: i64,
    entry: shared::api::NewBalanceEntry,
) -> ApiResult<shared::api::Balance> {
    post(
        &format!("/admin/organisations/{organisation_id}/balance"),
        &entry,
    )
    .await
}

/// `GET /api/admin/{plans|organisations}/{id}/password-reminder`; `owner` is `plans` or
/// `organisations`.
pub async fn find_password_reminder(
    owner: &str,
    id: i64,
) -> ApiResult<shared::api::PasswordReminder> {
    get(&format!("/admin/{owner}/{id}/password-reminder")).await
}

/// `PUT /api/admin/{plans|organisations}/{id}/password-reminder`.
pub async fn update_password_reminder(
    owner: &str,
    id: i64,
    reminder: shared::api::PasswordReminder,
) -> ApiResult<shared::api::PasswordReminder> {
    put(&format!("/admin/{owner}/{id}/password-reminder"), &reminder).await
}

/// `GET /api/admin/plan-templates`.
pub async fn list_plan_templates() -> ApiResult<Vec<shared::sla::PlanTemplate>> {
    get("/admin/plan-templates").await
}

/// `POST /api/admin/plan-templates/{key}`: the plan made from the template (or already there).
pub async fn create_plan_from_template(key: String) -> ApiResult<AdminPlan> {
    post_empty(&format!("/admin/plan-templates/{key}")).await
}

/// `GET /api/admin/contracts`.
pub async fn list_contracts() -> ApiResult<Vec<Contract>> {
    get("/admin/contracts").await
}

/// `POST /api/admin/contracts`.
pub async fn create_contract(contract: NewContract) -> ApiResult<Contract> {
    post("/admin/contracts", &contract).await
}

/// `PATCH /api/admin/contracts/{id}` with `{"plan": KEY}`: pins the plan's current version.
pub async fn move_contract_to_current_plan(id: i64, plan: String) -> ApiResult<Contract> {
    let changes = shared::api::UpdateContract {
        plan: Some(plan),
        ..Default::default()
    };
    patch(&format!("/admin/contracts/{id}"), &changes).await
}

/// `GET /api/admin/users?organisation_id=`.
pub async fn list_users(organisation_id: Option<i64>) -> ApiResult<Vec<User>> {
    match organisation_id {
        Some(id) => get(&format!("/admin/users?organisation_id={id}")).await,
        None => get("/admin/users").await,
    }
}

/// `POST /api/admin/users`: the answer carries the one-time password (422 past the account
/// limit of the organisation's contract).
pub async fn create_user(user: NewUser) -> ApiResult<UserWithPassword> {
    post("/admin/users", &user).await
}

/// `POST /api/admin/users/{id}/deactivate`.
pub async fn deactivate_user(id: i64) -> ApiResult<User> {
    post_empty(&format!("/admin/users/{id}/deactivate")).await
}

/// `POST /api/admin/users/{id}/reset-password`.
pub async fn reset_user_password(id: i64) -> ApiResult<UserWithPassword> {
    post_empty(&format!("/admin/users/{id}/reset-password")).await
}

/// The filters of the audit log viewer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditQuery {
    pub entity: String,
    pub entity_id: String,
    pub actor_id: String,
    pub action: String,
    pub cursor: String,
}

impl AuditQuery {
    /// The query string, without the `?`, of the non-empty filters.
    pub fn to_query(&self) -> String {
        [
            ("entity", &self.entity),
            ("entity_id", &self.entity_id),
            ("actor_id", &self.actor_id),
            ("action", &self.action),
            ("cursor", &self.cursor),
        ]
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(key, value)| format!("{key}={}", encode(value.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// `GET /api/admin/audit?entity=&entity_id=&actor_id=&action=&cursor=`.
pub async fn list_audit_entries(query: AuditQuery) -> ApiResult<AuditList> {
    let query_string = query.to_query();
    if query_string.is_empty() {
        get("/admin/audit").await
    } else {
        get(&format!("/admin/audit?{query_string}")).await
    }
}

/// A key for a new calendar or plan from its name: lowercase Latin letters, digits and `-`,
/// with a time stamp when the name has none of them (a Russian name).
fn key_from(name: &str) -> String {
    let mut key = String::new();
    for c in name.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    let key = key.trim_end_matches('-');
    let key: String = key.chars().take(30).collect();
    if key.is_empty() {
        format!("c-{}", js_sys::Date::now() as u64)
    } else {
        key
    }
}

/// `GET /api/admin/calendars`.
pub async fn list_calendars() -> ApiResult<Vec<AdminCalendar>> {
    get("/admin/calendars").await
}

/// `GET /api/admin/calendars/{id}`.
pub async fn find_calendar(id: i64) -> ApiResult<AdminCalendar> {
    get(&format!("/admin/calendars/{id}")).await
}

/// `POST /api/admin/calendars`.
pub async fn create_calendar(name: String, spec: CalendarSpec) -> ApiResult<AdminCalendar> {
    let body = shared::api::NewCalendar {
        key: key_from(&name),
        name,
        spec,
    };
    post("/admin/calendars", &body).await
}

/// `PUT /api/admin/calendars/{id}`: a new version (plans that follow it get one too).
pub async fn update_calendar(
    id: i64,
    name: String,
    spec: CalendarSpec,
) -> ApiResult<AdminCalendar> {
    let body = shared::api::UpdateCalendar {
        name: Some(name),
        spec,
        move_open_tickets: false,
    };
    put::<_, shared::api::CalendarChange>(&format!("/admin/calendars/{id}"), &body)
        .await
        .map(|change| change.calendar)
}

/// `GET /api/admin/plans`.
pub async fn list_plans() -> ApiResult<Vec<AdminPlan>> {
    get("/admin/plans").await
}

/// `GET /api/admin/plans/{id}`.
pub async fn find_plan(id: i64) -> ApiResult<AdminPlan> {
    get(&format!("/admin/plans/{id}")).await
}

/// `POST /api/admin/plans`.
pub async fn create_plan(name: String, spec: PlanSpec) -> ApiResult<AdminPlan> {
    let body = shared::api::NewPlan {
        key: key_from(&name),
        spec,
        calendar_id: None,
    };
    post("/admin/plans", &body).await
}

/// `PUT /api/admin/plans/{id}`: a new version; tickets keep the version of their registration.
pub async fn update_plan(id: i64, _name: String, spec: PlanSpec) -> ApiResult<AdminPlan> {
    let body = shared::api::UpdatePlan {
        spec,
        calendar_id: None,
        move_open_tickets: false,
    };
    put::<_, shared::api::PlanChange>(&format!("/admin/plans/{id}"), &body)
        .await
        .map(|change| change.plan)
}

/// `PATCH /api/me`: language, time zone, mail preferences.
pub async fn update_profile(changes: UpdateProfile) -> ApiResult<serde_json::Value> {
    patch("/me", &changes).await
}

/// What the live event stream tells its listener.
pub enum Live {
    /// The stream is open.
    Open,
    /// The stream was lost; the browser opens it again by itself with `Last-Event-ID`.
    Lost,
    /// An event.
    Event(LiveMessage),
}

/// Opens `GET /api/events`, the server's stream of live events, for as long as the page lives,
/// and tells `listen` what happens on it.
pub fn open_events(listen: impl Fn(Live) + 'static) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Ok(source) = web_sys::EventSource::new("/api/events") else {
        return;
    };
    let listen = std::rc::Rc::new(listen);
    let on_open = Closure::<dyn Fn()>::new({
        let listen = listen.clone();
        move || listen(Live::Open)
    });
    let on_error = Closure::<dyn Fn()>::new({
        let listen = listen.clone();
        move || listen(Live::Lost)
    });
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if let Some(text) = event.data().as_string()
                && let Ok(message) = from_json::<LiveMessage>(&text)
            {
                listen(Live::Event(message));
            }
        });
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The stream lives as long as the page: the closures are leaked on purpose.
    on_open.forget();
    on_error.forget();
    on_message.forget();
    std::mem::forget(source);
}

/// `POST /api/tickets/{reference}/attachments` (multipart) over XMLHttpRequest, reporting
/// progress as a fraction 0..=1 through `on_progress`.
pub async fn upload_attachment(
    reference: String,
    file: web_sys::File,
    on_progress: impl Fn(f64) + 'static,
) -> ApiResult<()> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let network = |what: &str| ApiError::network(what.to_owned());
    let form = web_sys::FormData::new().map_err(|_| network("no form data"))?;
    form.append_with_blob_and_filename("file", &file, &file.name())
        .map_err(|_| network("could not read the file"))?;
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| network("no request"))?;
    xhr.open(
        "POST",
        &format!("/api/tickets/{}/attachments", encode(&reference)),
    )
    .map_err(|_| network("could not open the request"))?;
    let progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
            if event.length_computable() && event.total() > 0.0 {
                on_progress(event.loaded() / event.total());
            }
        });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let done = js_sys::Promise::new(&mut |resolve, _reject| {
        let resolve_load = resolve.clone();
        let on_load = Closure::once_into_js(move || {
            let _ = resolve_load.call0(&wasm_bindgen::JsValue::NULL);
        });
        let on_error = Closure::once_into_js(move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        });
        xhr.set_onloadend(Some(on_load.unchecked_ref()));
        xhr.set_onerror(Some(on_error.unchecked_ref()));
    });
    xhr.send_with_opt_form_data(Some(&form))
        .map_err(|_| network("could not send the file"))?;
    let _ = wasm_bindgen_futures::JsFuture::from(done).await;
    drop(progress);
    let status = xhr.status().unwrap_or(0);
    if (200..300).contains(&status) {
        return Ok(());
    }
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    let body = from_json::<ErrorBody>(&text).unwrap_or(ErrorBody {
        error: "http".into(),
        message: if status == 0 {
            "the upload failed".into()
        } else {
            format!("the server answered {status}")
        },
        field: None,
        fields: Default::default(),
    });
    Err(ApiError { status, body })
}

/// The address a browser downloads an attachment from (`GET /api/attachments/{id}`).
pub fn attachment_url(id: i64) -> String {
    format!("/api/attachments/{id}")
}

fn period_query(period: Period) -> String {
    format!("from={}&to={}", period.from, period.to)
}

fn sla_report_path(period: Period, group_by: GroupBy) -> String {
    format!(
        "/reports/sla?{}&group_by={}",
        period_query(period),
        group_by.as_str()
    )
}

/// `GET /api/reports/sla?from=&to=&group_by=`.
pub async fn find_sla_report(period: Period, group_by: GroupBy) -> ApiResult<SlaReport> {
    get(&sla_report_path(period, group_by)).await
}

/// `GET /api/reports/csat?from=&to=`.
pub async fn find_csat_report(period: Period) -> ApiResult<CsatReport> {
    get(&format!("/reports/csat?{}", period_query(period))).await
}

/// `GET /api/reports/reopens?from=&to=`.
pub async fn find_reopen_report(period: Period) -> ApiResult<ReopenReport> {
    get(&format!("/reports/reopens?{}", period_query(period))).await
}

/// `GET /api/reports/backlog`.
pub async fn find_backlog_report() -> ApiResult<BacklogReport> {
    get("/reports/backlog").await
}

/// The address of the SLA report as a CSV download; the session cookie authenticates it.
pub fn sla_report_csv_url(period: Period, group_by: GroupBy) -> String {
    format!("/api{}&format=csv", sla_report_path(period, group_by))
}

/// The address of the CSAT report as a CSV download.
pub fn csat_report_csv_url(period: Period) -> String {
    format!("/api/reports/csat?{}&format=csv", period_query(period))
}

/// The address of the reopen report as a CSV download.
pub fn reopen_report_csv_url(period: Period) -> String {
    format!("/api/reports/reopens?{}&format=csv", period_query(period))
}

/// The address of the backlog report as a CSV download.
pub fn backlog_report_csv_url() -> String {
    "/api/reports/backlog?format=csv".to_owned()
}

/// `GET /api/expedite-requests?cursor=`: newest first.
pub async fn list_expedite_requests(cursor: Option<String>) -> ApiResult<ExpediteRequestList> {
    match cursor.filter(|c| !c.trim().is_empty()) {
        Some(cursor) => {
            get(&format!(
                "/expedite-requests?cursor={}",
                encode(cursor.trim())
            ))
            .await
        }
        None => get("/expedite-requests").await,
    }
}
