//! Classification, statuses, roles and the ticket lifecycle (SPEC §3 and §5).
//!
//! The transition function is the one rulebook the API and the UI consult: the server refuses
//! what it refuses, the app shows only the buttons [`allowed_actions`] returns. This module must
//! not know about storage, HTTP or the clock.

mod lifecycle;
pub mod scheduled;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use lifecycle::{
    Action, Role, Status, TransitionError, allowed_actions, clock_effect, staff_only_event,
    transition,
};

/// The category of a request [001].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Category {
    /// Environment: hardware, OS, customer-side software.
    A,
    /// Third-party components shipped with the product.
    B,
    /// A product defect; the only category with a severity.
    C,
    /// Configuration or usage question.
    D,
    /// Feature request; only recorded.
    E,
}

impl Category {
    /// Every category, in order.
    pub const ALL: [Self; 5] = [Self::A, Self::B, Self::C, Self::D, Self::E];

    /// The one-letter code.
    pub fn code(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
            Self::D => "D",
            Self::E => "E",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The severity of a product defect (category C), JSON 1–4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Severity {
    /// The system cannot be used at all.
    Critical = 1,
    /// Serious, no workaround.
    Serious = 2,
    /// Minor, has a workaround.
    Minor = 3,
    /// Not a defect: must be reclassified to A or D, never final.
    NotADefect = 4,
}

/// The number the JSON has: 1 (critical) to 4 (not a defect).
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Severity {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .enum_values(Some([1, 2, 3, 4]))
            .description(Some(
                "1 critical, 2 serious, 3 minor (has a workaround), 4 not a defect",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Severity {}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Self; 4] = [Self::Critical, Self::Serious, Self::Minor, Self::NotADefect];

    /// The number 1–4.
    pub fn number(self) -> u8 {
        self as u8
    }
}

impl TryFrom<u8> for Severity {
    type Error = ClassificationError;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        match value {
            1 => Ok(Self::Critical),
            2 => Ok(Self::Serious),
            3 => Ok(Self::Minor),
            4 => Ok(Self::NotADefect),
            other => Err(ClassificationError::SeverityOutOfRange(other)),
        }
    }
}

impl From<Severity> for u8 {
    fn from(value: Severity) -> Self {
        value.number()
    }
}

/// An invalid classification; [`field`](Self::field) names the form field it is about.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClassificationError {
    #[error("severity must be 1, 2, 3 or 4, not {0}")]
    SeverityOutOfRange(u8),
    #[error("a product defect (category C) needs a severity")]
    SeverityRequired,
    #[error("only a product defect (category C) has a severity")]
    SeverityNotAllowed,
    #[error("severity 4 is not a defect: reclassify the request to category A or D")]
    NotFinal,
}

impl ClassificationError {
    /// The field the error is about: always `severity`.
    pub fn field(&self) -> &'static str {
        "severity"
    }
}

/// Category, severity (C only) and the special-request flag of a ticket.
///
/// JSON: `{"category": "C", "severity": 2, "special": false}`; deserializing validates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "ClassificationJson")]
pub struct Classification {
    pub category: Category,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// A restore-service emergency, worked out of turn and 24x7 [000, 004].
    #[serde(default)]
    pub special: bool,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
struct ClassificationJson {
    category: Category,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(default)]
    special: bool,
}

impl TryFrom<ClassificationJson> for Classification {
    type Error = ClassificationError;

    fn try_from(value: ClassificationJson) -> Result<Self, Self::Error> {
        Self::new(value.category, value.severity, value.special)
    }
}

impl Classification {
    /// A classification as filed or proposed: severity is required for C and refused otherwise.
    /// Severity 4 is accepted here (a customer may file it); see [`check_final`](Self::check_final).
    ///
    /// # Errors
    ///
    /// [`ClassificationError::SeverityRequired`] for C without severity,
    /// [`ClassificationError::SeverityNotAllowed`] for a severity outside C.
    ///
    /// # Examples
    ///
    /// ```
    /// use shared::ticket::{Category, Classification, Severity};
    ///
    /// let defect = Classification::new(Category::C, Some(Severity::Serious), false).unwrap();
    /// assert!(defect.check_final().is_ok());
    /// let error = Classification::new(Category::D, Some(Severity::Minor), false).unwrap_err();
    /// assert_eq!(error.field(), "severity");
    /// ```
    pub fn new(
        category: Category,
        severity: Option<Severity>,
        special: bool,
    ) -> Result<Self, ClassificationError> {
        match (category, severity) {
            (Category::C, None) => Err(ClassificationError::SeverityRequired),
            (Category::C, Some(_)) | (_, None) => Ok(Self {
                category,
                severity,
                special,
            }),
            (_, Some(_)) => Err(ClassificationError::SeverityNotAllowed),
        }
    }

    /// A classification that may stand when the ticket is resolved: never C with severity 4.
    ///
    /// # Errors
    ///
    /// [`ClassificationError::NotFinal`] for severity 4, and the errors of [`new`](Self::new).
    pub fn new_final(
        category: Category,
        severity: Option<Severity>,
        special: bool,
    ) -> Result<Self, ClassificationError> {
        let classification = Self::new(category, severity, special)?;
        classification.check_final()?;
        Ok(classification)
    }

    /// Checks that the classification may be final (a ticket with severity 4 cannot be resolved).
    ///
    /// # Errors
    ///
    /// [`ClassificationError::NotFinal`] for severity 4.
    pub fn check_final(&self) -> Result<(), ClassificationError> {
        if self.severity == Some(Severity::NotADefect) {
            Err(ClassificationError::NotFinal)
        } else {
            Ok(())
        }
    }

    /// A short label such as `C2`, `B` or `A special`.
    pub fn label(&self) -> String {
        let mut label = self.category.code().to_owned();
        if let Some(severity) = self.severity {
            label.push_str(&severity.number().to_string());
        }
        if self.special {
            label.push_str(" special");
        }
        label
    }
}

/// Why a ticket is on hold [000, 003 §4.5, 004]; the free-text reason says the rest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HoldKind {
    /// Waiting for a fix from the vendor (a new version, a third-party component).
    VendorFix,
    /// The customer's copy of the product is not licensed.
    UnlicensedCopy,
    /// Work scheduled for an agreed date.
    ScheduledWork,
    #[default]
    Other,
}

impl HoldKind {
    /// Every kind, in the order a form lists them.
    pub const ALL: [Self; 4] = [
        Self::VendorFix,
        Self::UnlicensedCopy,
        Self::ScheduledWork,
        Self::Other,
    ];

    /// The JSON name, such as `vendor_fix`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VendorFix => "vendor_fix",
            Self::UnlicensedCopy => "unlicensed_copy",
            Self::ScheduledWork => "scheduled_work",
            Self::Other => "other",
        }
    }

    /// The kind of a JSON name; `None` for another text.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// The kind's words in the catalogue.
    pub fn text(self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            Self::VendorFix => Text::HoldVendorFix,
            Self::UnlicensedCopy => Text::HoldUnlicensedCopy,
            Self::ScheduledWork => Text::HoldScheduledWork,
            Self::Other => Text::HoldOther,
        }
    }
}

/// How a ticket reached support [000, 002 §1, 004]: the customer's own portal or mail, or
/// staff registering it for the customer from a call, the intranet or another channel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    #[default]
    Portal,
    Email,
    Phone,
    Intranet,
    Other,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Self; 5] = [
        Self::Portal,
        Self::Email,
        Self::Phone,
        Self::Intranet,
        Self::Other,
    ];

    /// The JSON name, such as `phone`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Portal => "portal",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Intranet => "intranet",
            Self::Other => "other",
        }
    }

    /// The channel of a JSON name; `None` for another text.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|channel| channel.as_str() == text)
    }

    /// The channel's words in the catalogue.
    pub fn text(self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            Self::Portal => Text::ChannelPortal,
            Self::Email => Text::ChannelEmail,
            Self::Phone => Text::ChannelPhone,
            Self::Intranet => Text::ChannelIntranet,
            Self::Other => Text::ChannelOther,
        }
    }
}
