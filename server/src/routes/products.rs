//! Products and their supported versions: admins keep them; every signed-in user reads them
//! (the new-ticket form offers them with their fields).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use shared::api::{Meta, NewProduct, Product, ProductList};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db::{self, products as p};
use crate::error::{Error, FieldErrors, Json, Result};
use crate::state::AppState;

/// The most supported versions a product lists.
const MAX_VERSIONS: usize = 100;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_products))
        .routes(routes!(list_admin_products, create_product))
        .routes(routes!(update_product))
}

async fn all(state: &AppState) -> Result<Json<ProductList>> {
    Ok(Json(ProductList {
        products: p::list(&state.db).await?,
        meta: Meta::default(),
    }))
}

/// `GET /api/products`: what the new-ticket form offers.
#[utoipa::path(
    get,
    path = "/products",
    tag = "products",
    summary = "products with their supported versions and fields",
    responses(
        (status = 200, description = "the products", body = shared::api::ProductList),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_products(
    State(state): State<AppState>,
    _user: AuthUser,
) -> Result<Json<ProductList>> {
    all(&state).await
}

/// `GET /api/admin/products` (supervisors, admins).
#[utoipa::path(
    get,
    path = "/admin/products",
    tag = "products",
    summary = "products (supervisors, admins)",
    responses(
        (status = 200, description = "the products", body = shared::api::ProductList),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_admin_products(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<ProductList>> {
    user.require_manager()?;
    all(&state).await
}

/// The product as stored: the name and versions trimmed, every field checked.
fn checked(input: NewProduct) -> Result<NewProduct> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        errors.insert("name".into(), "between 1 and 200 characters".into());
    }
    let versions: Vec<String> = input
        .supported_versions
        .iter()
        .map(|version| version.trim().to_owned())
        .collect();
    if versions.len() > MAX_VERSIONS
        || versions
            .iter()
            .any(|version| version.is_empty() || version.chars().count() > 100)
    {
        errors.insert(
            "supported_versions".into(),
            format!("at most {MAX_VERSIONS} versions of 1 to 100 characters"),
        );
    }
    if let Err((field, message)) = shared::product::check_declared(&input.fields) {
        errors.insert(field, message);
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    Ok(NewProduct {
        name,
        supported_versions: versions,
        fields: input.fields,
    })
}

/// `POST /api/admin/products` (admins).
#[utoipa::path(
    post,
    path = "/admin/products",
    tag = "products",
    summary = "a product (admins)",
    request_body = shared::api::NewProduct,
    responses(
        (status = 201, description = "created", body = shared::api::Product),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn create_product(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<NewProduct>,
) -> Result<(StatusCode, Json<Product>)> {
    user.require_admin()?;
    let input = checked(input)?;
    let now = state.clock.now();
    let txn = db::begin(&state.db).await?;
    let created = p::insert(&txn, &input, now)
        .await
        .map_err(Error::unique("name", "a product with this name exists"))?;
    audit(&txn, &user, "product.create", &created, now).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// `PUT /api/admin/products/{id}` (admins): tickets filed before keep their flag.
#[utoipa::path(
    put,
    path = "/admin/products/{id}",
    tag = "products",
    summary = "replace a product's name, versions and fields (admins)",
    params(
        ("id" = i64, Path, description = "the id")
    ),
    request_body = shared::api::NewProduct,
    responses(
        (status = 200, description = "changed", body = shared::api::Product),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 404, description = "not_found: no such resource, or not one the caller may see", body = shared::api::ErrorBody),
        (status = 413, description = "payload_too_large: the body is over the limit", body = shared::api::ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not of the expected Content-Type", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn update_product(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
    Json(input): Json<NewProduct>,
) -> Result<Json<Product>> {
    user.require_admin()?;
    let input = checked(input)?;
    let now = state.clock.now();
    let txn = db::begin(&state.db).await?;
    let updated = p::update(&txn, id, &input, now)
        .await
        .map_err(Error::unique("name", "a product with this name exists"))?
        .ok_or(Error::NotFound)?;
    audit(&txn, &user, "product.update", &updated, now).await?;
    txn.commit().await?;
    Ok(Json(updated))
}

async fn audit(
    txn: &db::Write,
    user: &AuthUser,
    action: &str,
    product: &Product,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    db::audit(
        txn,
        now,
        Some(user.id),
        action,
        "product",
        product.id,
        serde_json::json!({
            "name": product.name,
            "supported_versions": product.supported_versions,
            "fields": product.fields.iter().map(|field| &field.key).collect::<Vec<_>>(),
        }),
    )
    .await?;
    Ok(())
}
