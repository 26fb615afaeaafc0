//! The typed client of the JSON API: components call these functions and never build URLs.
//!
//! The session travels in the HttpOnly cookie the server sets on sign-in, so the app never
//! touches the token.

use gloo_net::http::{Request, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::api::{ErrorBody, LoginRequest, LoginResponse, Me};

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
