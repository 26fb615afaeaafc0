//! Classification, statuses, roles and the ticket lifecycle (SPEC §3 and §5).
//!
//! The transition function is the one rulebook the API and the UI consult: the server refuses
//! what it refuses, the app shows only the buttons [`allowed_actions`] returns. This module must
//! not know about storage, HTTP or the clock.

mod lifecycle;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use lifecycle::{
    Action, Role, Status, TransitionError, allowed_actions, clock_effect, transition,
};

/// The category of a request [001].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
