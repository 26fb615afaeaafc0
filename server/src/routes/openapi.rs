//! `GET /api/openapi.json`: the OpenAPI 3.1 document of the API, generated from the handlers'
//! `#[utoipa::path]` annotations and the `shared` wire types (`ToSchema` behind `shared`'s
//! `openapi` feature). The routes and the document come from one declaration
//! (`routes::api_routes`); a test walks the router and fails on any route the document lacks.

use std::sync::LazyLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Reglament API",
        description = "The JSON API of the Reglament helpdesk. Every error answer is the envelope \
                       `{error, message, field?, fields?}` (`ErrorBody`); a 409 adds `current`."
    ),
    modifiers(&SecuritySchemes),
    security(("bearer" = []), ("cookie" = [])),
)]
struct ApiDoc;

/// How callers prove who they are: the session token as a Bearer header or as the session
/// cookie the sign-in sets; the mail gateway has its own token.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("the `token` of `POST /api/auth/login`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::COOKIE,
                "the session cookie `POST /api/auth/login` sets; writes must come from the \
                 product's own origin",
            ))),
        );
        components.add_security_scheme(
            "inbound_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("the mail gateway's token (`RG_INBOUND_TOKEN`)"))
                    .build(),
            ),
        );
    }
}

/// The multipart body of `POST /api/tickets/{reference}/attachments`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct AttachmentUpload {
    /// The file; its name and type are the part's `filename` and `Content-Type`.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// One server-sent event of `GET /api/events`, as an `EventSource` reads it.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct ServerSentEvent {
    /// The event's id, which `Last-Event-ID` resumes after.
    id: Option<String>,
    /// The event type: `message`.
    event: Option<String>,
    /// A `shared::live::LiveEvent` as JSON.
    data: String,
}

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(find_openapi))
}

/// The whole document, its paths under `/api` as the server serves them.
pub(crate) fn document() -> Value {
    let (_, document) = OpenApiRouter::<AppState>::with_openapi(ApiDoc::openapi())
        .nest("/api", super::api_routes())
        .split_for_parts();
    let mut document = serde_json::to_value(document).expect("the document serializes");
    bound_integers(&mut document);
    if let Some(paths) = document["paths"].as_object_mut() {
        paths
            .values_mut()
            .filter_map(Value::as_object_mut)
            .flat_map(|item| item.values_mut())
            .filter_map(|operation| operation.get_mut("parameters"))
            .filter_map(Value::as_array_mut)
            .flatten()
            .filter(|parameter| parameter["in"] == "header")
            .filter_map(|parameter| parameter.get_mut("schema"))
            .for_each(not_null);
    }
    document
}

/// A header is there or not; it is never `null`, which utoipa allows for an optional one.
fn not_null(schema: &mut Value) {
    if let Some(types) = schema.get("type").and_then(Value::as_array) {
        let types: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        schema["type"] = match types.as_slice() {
            [only] => only.clone(),
            _ => Value::Array(types),
        };
    }
}

/// utoipa gives an unsigned or narrow integer its format (`uint32`, `int16`, ...) and a minimum
/// of 0; this adds the type's bounds, which the format alone does not tell a JSON Schema reader.
fn bound_integers(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let bounds: Option<(Value, Value)> = match map.get("format").and_then(Value::as_str) {
                Some("int8") => Some((i8::MIN.into(), i8::MAX.into())),
                Some("int16") => Some((i16::MIN.into(), i16::MAX.into())),
                Some("uint8") => Some((0.into(), u8::MAX.into())),
                Some("uint16") => Some((0.into(), u16::MAX.into())),
                Some("uint32") => Some((0.into(), u32::MAX.into())),
                Some("uint64") => Some((0.into(), u64::MAX.into())),
                _ => None,
            };
            if let Some((minimum, maximum)) = bounds {
                map.entry("minimum").or_insert(minimum);
                map.entry("maximum").or_insert(maximum);
            }
            map.values_mut().for_each(bound_integers);
        }
        Value::Array(items) => items.iter_mut().for_each(bound_integers),
        _ => {}
    }
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| document().to_string());

#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "openapi",
    summary = "this document",
    responses(
        (status = 200, description = "the OpenAPI 3.1 document", body = serde_json::Value),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
    security(()),
)]
async fn find_openapi() -> Response {
    let mut response = DOCUMENT.as_str().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
