//! The typed client of the JSON API: components call these functions and never build URLs.
//!
//! The session travels in the HttpOnly cookie the server sets on sign-in, so the app never
//! touches the token.

use gloo_net::http::{Request, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::api::{
    ActionRequest, ErrorBody, LoginRequest, LoginResponse, Me, NewMessage, NewTicket, Ticket,
    TicketDetail, TicketList,
};

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

async fn decode<T: DeserializeOwned>(response: Response) -> ApiResult<T> {
    let status = response.status();
    if (200..300).contains(&status) {
        return response
            .json::<T>()
            .await
            .map_err(|error| ApiError::network(error.to_string()));
    }
    let body = response.json::<ErrorBody>().await.unwrap_or(ErrorBody {
        error: "http".into(),
        message: format!("the server answered {status}"),
        field: None,
        fields: Default::default(),
    });
    Err(ApiError { status, body })
}

pub async fn get<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    let response = Request::get(&format!("/api{path}"))
        .send()
        .await
        .map_err(|error| ApiError::network(error.to_string()))?;
    decode(response).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> ApiResult<T> {
    let response = Request::post(&format!("/api{path}"))
        .json(body)
        .map_err(|error| ApiError::network(error.to_string()))?
        .send()
        .await
        .map_err(|error| ApiError::network(error.to_string()))?;
    decode(response).await
}

/// `GET /api/me`: who is signed in (401 when nobody is).
pub async fn me() -> ApiResult<Me> {
    get("/me").await
}

/// `POST /api/auth/login`.
pub async fn login(email: String, password: String) -> ApiResult<LoginResponse> {
    post("/auth/login", &LoginRequest { email, password }).await
}

/// `POST /api/auth/logout`.
pub async fn logout() -> ApiResult<()> {
    let response = Request::post("/api/auth/logout")
        .send()
        .await
        .map_err(|error| ApiError::network(error.to_string()))?;
    if response.ok() {
        Ok(())
    } else {
        decode::<()>(response).await
    }
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

/// `GET /api/tickets`.
pub async fn list_tickets(query: TicketQuery) -> ApiResult<TicketList> {
    let mut parts = Vec::new();
    if let Some(view) = query.view.filter(|v| !v.is_empty()) {
        parts.push(format!("view={}", encode(&view)));
    }
    if let Some(q) = query.q.filter(|v| !v.is_empty()) {
        parts.push(format!("q={}", encode(&q)));
    }
    if let Some(cursor) = query.cursor.filter(|v| !v.is_empty()) {
        parts.push(format!("cursor={}", encode(&cursor)));
    }
    let path = if parts.is_empty() {
        "/tickets".to_owned()
    } else {
        format!("/tickets?{}", parts.join("&"))
    };
    get(&path).await
}

/// `POST /api/tickets`.
pub async fn create_ticket(ticket: NewTicket) -> ApiResult<Ticket> {
    post("/tickets", &ticket).await
}

/// `GET /api/tickets/{reference}`.
pub async fn find_ticket(reference: String) -> ApiResult<TicketDetail> {
    get(&format!("/tickets/{}", encode(&reference))).await
}

/// `POST /api/tickets/{reference}/messages`.
pub async fn create_message(
    reference: String,
    body: String,
    internal: bool,
) -> ApiResult<serde_json::Value> {
    post(
        &format!("/tickets/{}/messages", encode(&reference)),
        &NewMessage { body, internal },
    )
    .await
}

/// `POST /api/tickets/{reference}/actions` with `If-Match`.
pub async fn create_action(
    reference: String,
    version: i32,
    action: ActionRequest,
) -> ApiResult<serde_json::Value> {
    let response = Request::post(&format!("/api/tickets/{}/actions", encode(&reference)))
        .header("If-Match", &version.to_string())
        .json(&action)
        .map_err(|error| ApiError::network(error.to_string()))?
        .send()
        .await
        .map_err(|error| ApiError::network(error.to_string()))?;
    decode(response).await
}

/// `POST /api/tickets/{reference}/rating`.
pub async fn rate_ticket(
    reference: String,
    score: u8,
    comment: String,
) -> ApiResult<serde_json::Value> {
    post(
        &format!("/tickets/{}/rating", encode(&reference)),
        &serde_json::json!({ "score": score, "comment": comment }),
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
        &serde_json::json!({
            "category": classification.category,
            "severity": classification.severity,
            "reason": reason,
        }),
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
        &serde_json::json!({ "comment": comment }),
    )
    .await
}

/// One known error as the lists show it (the wire type is still settling, so the app reads
/// the fields it needs and ignores the rest).
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct KnownErrorSummary {
    pub id: i64,
    pub title: String,
    #[serde(default)]
    pub symptoms: String,
    #[serde(default)]
    pub workaround: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(serde::Deserialize)]
struct KnownErrorListBody {
    #[serde(default, alias = "items")]
    known_errors: Vec<KnownErrorSummary>,
}

/// `GET /api/known-errors?q=`.
pub async fn search_known_errors(q: String) -> ApiResult<Vec<KnownErrorSummary>> {
    let path = if q.trim().is_empty() {
        "/known-errors".to_owned()
    } else {
        format!("/known-errors?q={}", encode(q.trim()))
    };
    get::<KnownErrorListBody>(&path)
        .await
        .map(|body| body.known_errors)
}

/// A current announcement.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct AnnouncementSummary {
    pub id: i64,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
}

#[derive(serde::Deserialize)]
struct AnnouncementListBody {
    #[serde(default, alias = "items")]
    announcements: Vec<AnnouncementSummary>,
}

/// `GET /api/announcements`: the current ones.
pub async fn list_announcements() -> ApiResult<Vec<AnnouncementSummary>> {
    get::<AnnouncementListBody>("/announcements")
        .await
        .map(|body| body.announcements)
}

/// `PATCH /api/me`: language, time zone, mail preferences.
pub async fn update_profile(changes: serde_json::Value) -> ApiResult<serde_json::Value> {
    let response = Request::patch("/api/me")
        .json(&changes)
        .map_err(|error| ApiError::network(error.to_string()))?
        .send()
        .await
        .map_err(|error| ApiError::network(error.to_string()))?;
    decode(response).await
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
    let body = serde_json::from_str::<ErrorBody>(&text).unwrap_or(ErrorBody {
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
