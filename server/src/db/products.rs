//! Products and their supported versions.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, QueryOrder, Set};
use shared::api::{NewProduct, Product};

use super::entity::product;

fn to_wire(model: product::Model) -> Product {
    Product {
        id: model.id,
        name: model.name,
        supported_versions: serde_json::from_str(&model.supported_versions).unwrap_or_default(),
        fields: serde_json::from_str(&model.fields).unwrap_or_default(),
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, DbErr> {
    serde_json::to_string(value).map_err(|error| DbErr::Custom(error.to_string()))
}

/// Every product, by name.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Product>, DbErr> {
    Ok(product::Entity::find()
        .order_by_asc(product::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(to_wire)
        .collect())
}

/// The product `id`, if there is one.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<Product>, DbErr> {
    Ok(product::Entity::find_by_id(id).one(db).await?.map(to_wire))
}

/// Stores a new product.
pub async fn insert(
    db: &impl ConnectionTrait,
    input: &NewProduct,
    now: DateTime<Utc>,
) -> Result<Product, DbErr> {
    let created = product::ActiveModel {
        name: Set(input.name.clone()),
        supported_versions: Set(json(&input.supported_versions)?),
        fields: Set(json(&input.fields)?),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(to_wire(created))
}

/// Replaces the product `id` with `input`; `None` if there is no such product.
pub async fn update(
    db: &impl ConnectionTrait,
    id: i64,
    input: &NewProduct,
    now: DateTime<Utc>,
) -> Result<Option<Product>, DbErr> {
    let Some(found) = product::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let mut row: product::ActiveModel = found.into();
    row.name = Set(input.name.clone());
    row.supported_versions = Set(json(&input.supported_versions)?);
    row.fields = Set(json(&input.fields)?);
    row.updated_at = Set(now);
    Ok(Some(to_wire(row.update(db).await?)))
}
