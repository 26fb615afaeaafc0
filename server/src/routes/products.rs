//! Products and their supported versions: admins keep them; every signed-in user reads them
//! (the new-ticket form offers them with their fields).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use shared::api::{Meta, NewProduct, Product, ProductList};

use crate::auth::AuthUser;
use crate::db::{self, products as p};
use crate::error::{Error, FieldErrors, Json, Result};
use crate::state::AppState;

/// The most supported versions a product lists.
const MAX_VERSIONS: usize = 100;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/products", get(list_products))
        .route(
            "/admin/products",
            get(list_admin_products).post(create_product),
        )
        .route("/admin/products/{id}", put(update_product))
}

async fn all(state: &AppState) -> Result<Json<ProductList>> {
    Ok(Json(ProductList {
        products: p::list(&state.db).await?,
        meta: Meta::default(),
    }))
}

/// `GET /api/products`: what the new-ticket form offers.
async fn list_products(
    State(state): State<AppState>,
    _user: AuthUser,
) -> Result<Json<ProductList>> {
    all(&state).await
}

/// `GET /api/admin/products` (supervisors, admins).
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
