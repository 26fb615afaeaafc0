//! A ticket row's classification and status in `shared`'s terms.

use sea_orm::DbErr;
use shared::ticket::{Category, Classification, Severity, Status};

use crate::db::entity::ticket;

/// The classification a ticket row holds.
pub fn classification_of(ticket: &ticket::Model) -> Option<Classification> {
    stored_classification(&ticket.category, ticket.severity, ticket.special)
}

/// A classification as stored: the category's code, the severity's number, the special flag.
pub fn stored_classification(
    category: &str,
    severity: Option<i16>,
    special: bool,
) -> Option<Classification> {
    let category = match category {
        "A" => Category::A,
        "B" => Category::B,
        "C" => Category::C,
        "D" => Category::D,
        "E" => Category::E,
        _ => return None,
    };
    let severity = match severity {
        Some(number) => Some(
            u8::try_from(number)
                .ok()
                .and_then(|n| Severity::try_from(n).ok())?,
        ),
        None => None,
    };
    Classification::new(category, severity, special).ok()
}

/// A ticket's stored status; a value outside the closed set is a storage error, never a guess.
///
/// # Errors
/// `DbErr::Type` for an unknown status.
pub fn status_of(ticket: &ticket::Model) -> Result<Status, DbErr> {
    Status::parse(&ticket.status).ok_or_else(|| {
        DbErr::Type(format!(
            "ticket {} has the unknown status {:?}",
            ticket.id, ticket.status
        ))
    })
}
