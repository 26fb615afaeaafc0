//! The one error type of the API and its JSON envelope (`shared::api::ErrorBody`).

use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, OptionalFromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::api::ErrorBody;

/// The longest request URI the API reads.
pub const MAX_URI: usize = 8 * 1024;

/// Field name → message, the body of a 422.
pub type FieldErrors = BTreeMap<String, String>;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    BadRequest(String),
    #[error("authentication required")]
    Unauthorized,
    #[error("wrong email or password")]
    BadCredentials,
    #[error("{0}")]
    Forbidden(String),
    /// The account must first change its password or set up a second factor (403 with the
    /// hold's code: `password_change_required`, `second_factor_enrolment_required`).
    #[error("{}", held_message(.0))]
    Held(&'static str),
    /// The password was right but a second factor is needed (401 `second_factor_required`), or
    /// the one given was wrong (401 `second_factor_invalid`); no session was opened.
    #[error("{}", second_factor_message(.0))]
    SecondFactor(&'static str),
    #[error("not found")]
    NotFound,
    /// A path under `/api` that no route takes (404 `not_found`, told apart by its message).
    #[error("no such path in the API")]
    NoRoute,
    /// A stale version or a state that changed under the caller; carries the current resource.
    #[error("{message}")]
    Conflict {
        message: String,
        current: Option<serde_json::Value>,
    },
    /// Something that existed is used up for good (a single-use link that was used).
    #[error("{0}")]
    Gone(String),
    #[error("the request body is too large")]
    PayloadTooLarge,
    #[error("the request URI is longer than {MAX_URI} bytes")]
    UriTooLong,
    /// A storage quota would be exceeded (413 with the reason).
    #[error("{0}")]
    QuotaExceeded(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("invalid input")]
    Validation(FieldErrors),
    #[error("too many requests, retry in {0} seconds")]
    RateLimited(u64),
    #[error("database error: {0}")]
    Db(#[from] crate::db::DbErr),
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

impl Error {
    /// A 422 about one field.
    pub fn field(field: &str, message: impl Into<String>) -> Error {
        Error::Validation(BTreeMap::from([(field.to_owned(), message.into())]))
    }

    /// A database error, with a unique-key violation (a duplicate of `field`) as a 422 on it.
    pub fn unique(
        field: &'static str,
        message: &'static str,
    ) -> impl FnOnce(crate::db::DbErr) -> Error {
        move |error| {
            if crate::db::is_unique_violation(&error) {
                Error::field(field, message)
            } else {
                Error::Db(error)
            }
        }
    }

    /// A 409 with a message and no body.
    pub fn conflict(message: impl Into<String>) -> Error {
        Error::Conflict {
            message: message.into(),
            current: None,
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Unauthorized | Error::BadCredentials => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) | Error::Held(_) => StatusCode::FORBIDDEN,
            Error::SecondFactor(_) => StatusCode::UNAUTHORIZED,
            Error::NotFound | Error::NoRoute => StatusCode::NOT_FOUND,
            Error::Conflict { .. } => StatusCode::CONFLICT,
            Error::Gone(_) => StatusCode::GONE,
            Error::PayloadTooLarge | Error::QuotaExceeded(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::UriTooLong => StatusCode::URI_TOO_LONG,
            Error::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Error::Db(_) | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Error::BadRequest(_) => "bad_request",
            Error::Unauthorized | Error::BadCredentials => "unauthorized",
            Error::Forbidden(_) => "forbidden",
            Error::Held(code) | Error::SecondFactor(code) => code,
            Error::NotFound | Error::NoRoute => "not_found",
            Error::Conflict { .. } => "conflict",
            Error::Gone(_) => "gone",
            Error::PayloadTooLarge => "payload_too_large",
            Error::UriTooLong => "uri_too_long",
            Error::QuotaExceeded(_) => "quota_exceeded",
            Error::UnsupportedMediaType(_) => "unsupported_media_type",
            Error::Validation(_) => "validation",
            Error::RateLimited(_) => "rate_limited",
            Error::Db(_) | Error::Internal(_) => "internal",
        }
    }
}

fn held_message(code: &str) -> &'static str {
    if code == "password_change_required" {
        "choose your own password first (POST /api/me/password)"
    } else {
        "set up a second factor first (POST /api/me/totp)"
    }
}

fn second_factor_message(code: &str) -> &'static str {
    if code == "second_factor_invalid" {
        "the code is wrong or was already used"
    } else {
        "enter the code of your authenticator app or a recovery code"
    }
}

#[derive(Serialize)]
struct ConflictBody {
    #[serde(flatten)]
    error: ErrorBody,
    current: serde_json::Value,
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut body = ErrorBody {
            error: self.code().to_owned(),
            message: self.to_string(),
            field: None,
            fields: BTreeMap::new(),
        };
        match self {
            Error::Db(ref error) => {
                tracing::error!(%error, "database error");
                body.message = "internal error".to_owned();
            }
            Error::Internal(ref error) => {
                tracing::error!(error = format!("{error:#}"), "internal error");
                body.message = "internal error".to_owned();
            }
            Error::Validation(fields) => {
                if let Some((field, message)) = fields.iter().next() {
                    body.field = Some(field.clone());
                    body.message = format!("{field}: {message}");
                }
                body.fields = fields;
            }
            Error::RateLimited(seconds) => {
                let mut response = (status, axum::Json(body)).into_response();
                if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                return response;
            }
            Error::Conflict {
                current: Some(current),
                ..
            } => {
                return (
                    status,
                    axum::Json(ConflictBody {
                        error: body,
                        current,
                    }),
                )
                    .into_response();
            }
            _ => {}
        }
        (status, axum::Json(body)).into_response()
    }
}

/// `axum::Json` whose rejections use the error envelope, with the offending field when serde
/// names one.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        // The body is read as a JSON value first, so that a control character is refused with
        // its field's path whatever type the handler expects.
        let axum::Json(value) =
            <axum::Json<serde_json::Value> as FromRequest<S>>::from_request(request, state)
                .await
                .map_err(json_rejection)?;
        // serde reads a struct from an array too; every request body of the API is an object.
        if !value.is_object() {
            return Err(Error::Validation(BTreeMap::from([(
                "body".to_owned(),
                "expected a JSON object".to_owned(),
            )])));
        }
        if let Some(field) = crate::text::find_control(&value) {
            return Err(Error::field(&field, crate::text::CONTROL_MESSAGE));
        }
        let bytes = serde_json::to_vec(&value).map_err(|error| Error::Internal(error.into()))?;
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// An optional body: none without a `Content-Type`, otherwise as [`Json`] reads it.
impl<T, S> OptionalFromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        if !request.headers().contains_key(header::CONTENT_TYPE) {
            return Ok(None);
        }
        <Json<T> as FromRequest<S>>::from_request(request, state)
            .await
            .map(Some)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

fn json_rejection(rejection: JsonRejection) -> Error {
    match rejection {
        JsonRejection::JsonDataError(error) => {
            // serde_path_to_error names the path: "tickets.category: unknown variant ...".
            let text = std::error::Error::source(&error)
                .map(ToString::to_string)
                .unwrap_or_else(|| error.body_text());
            match text.split_once(": ") {
                Some((path, message)) if !path.contains(' ') => Error::field(path, message),
                _ => {
                    if let Some(field) = missing_field(&text) {
                        Error::field(&field, "this field is required")
                    } else {
                        Error::Validation(BTreeMap::from([("body".to_owned(), text)]))
                    }
                }
            }
        }
        JsonRejection::JsonSyntaxError(error) => {
            Error::BadRequest(format!("malformed JSON: {}", error.body_text()))
        }
        JsonRejection::MissingJsonContentType(_) => Error::UnsupportedMediaType(
            "expected a body with Content-Type: application/json".into(),
        ),
        JsonRejection::BytesRejection(_) => Error::PayloadTooLarge,
        other => Error::BadRequest(other.body_text()),
    }
}

fn missing_field(text: &str) -> Option<String> {
    let start = text.find("missing field `")? + "missing field `".len();
    let end = text[start..].find('`')? + start;
    Some(text[start..end].to_owned())
}

/// The envelope's code for an answer of `status` that no [`Error`] made.
fn code_of(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::CONFLICT => "conflict",
        StatusCode::GONE => "gone",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::URI_TOO_LONG => "uri_too_long",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "validation",
        StatusCode::TOO_MANY_REQUESTS => "rate_limited",
        status if status.is_server_error() => "internal",
        _ => "bad_request",
    }
}

/// Puts every error answer of the API in the envelope: axum's own rejections (a path or query
/// parameter that does not parse, a method the route does not take) come as plain text or
/// with no body, and a URI over [`MAX_URI`] is refused here with 414.
pub async fn envelope(request: Request, next: Next) -> Response {
    if request.uri().to_string().len() > MAX_URI {
        return Error::UriTooLong.into_response();
    }
    let response = next.run(request).await;
    let status = response.status();
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = match http_body_util::BodyExt::collect(body).await {
        Ok(collected) => String::from_utf8_lossy(&collected.to_bytes())
            .trim()
            .to_owned(),
        Err(_) => String::new(),
    };
    // A query string that does not parse names its field: "Failed to deserialize query
    // string: limit: invalid digit found in string".
    let field = text
        .strip_prefix("Failed to deserialize query string: ")
        .and_then(|rest| rest.split_once(": "))
        .map(|(field, _)| field.to_owned())
        .filter(|field| !field.contains(' '));
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_lowercase()
    } else {
        text
    };
    let body = ErrorBody {
        error: code_of(status).to_owned(),
        message,
        field,
        fields: BTreeMap::new(),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    Response::from_parts(parts, Body::from(bytes))
}
