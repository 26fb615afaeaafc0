use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub organisation_id: Option<i64>,
    pub locale: String,
    pub time_zone: String,
    pub active: bool,
    pub preferences: String,
    pub created_at: DateTimeUtc,
    /// The password was given by an administrator and must be changed before anything else.
    pub must_change_password: bool,
    /// The confirmed TOTP secret (base32), when the second factor is on.
    pub totp_secret: Option<String>,
    /// A secret being enrolled, until a code from it confirms it.
    pub totp_pending: Option<String>,
    /// The last TOTP time step accepted: a code works once.
    pub totp_last_step: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
