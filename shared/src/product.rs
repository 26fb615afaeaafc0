//! Products, their supported versions and the fields a product asks for on a new ticket.
//!
//! Support covers up-to-date products only [000]: a ticket on a version its product does not
//! list is flagged, and its plan says what happens to it ([`UnsupportedVersions`]). Some products
//! need more than one version to place a problem [003: the server's and the mobile app's
//! versions, the phone's OS]: a product declares those as optional [`ProductField`]s.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The most fields a product declares.
pub const MAX_FIELDS: usize = 10;
/// The longest value of a product field.
pub const MAX_FIELD_VALUE: usize = 200;

/// What a plan does with a ticket on a version its product does not support.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnsupportedVersions {
    /// Registered as any other ticket, flagged.
    #[default]
    Accept,
    /// Registered as a consultation (category D, no special flag): advice, not a fix.
    AdviceOnly,
    /// Refused with 422 naming `version`.
    Refuse,
}

/// An optional field a product asks for on the new-ticket form, e.g. the mobile OS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductField {
    /// The key the ticket stores the value under: lowercase letters, digits and `_`.
    pub key: String,
    /// The label in English.
    pub label_en: String,
    /// The label in Russian.
    pub label_ru: String,
}

impl ProductField {
    /// The label in `locale`.
    pub fn label(&self, locale: crate::i18n::Locale) -> &str {
        match locale {
            crate::i18n::Locale::En => &self.label_en,
            crate::i18n::Locale::Ru => &self.label_ru,
        }
    }
}

/// Whether `version` is supported: equal to one of `supported`, or a release of one of them
/// (`5.2.1` of `5.2`). Surrounding spaces do not count.
///
/// # Examples
/// ```
/// use shared::product::is_supported;
/// let supported = ["5.2".to_owned(), "6.0".to_owned()];
/// assert!(is_supported("5.2", &supported));
/// assert!(is_supported(" 5.2.1 ", &supported));
/// assert!(!is_supported("5.20", &supported));
/// assert!(!is_supported("4.9", &supported));
/// ```
pub fn is_supported(version: &str, supported: &[String]) -> bool {
    let version = version.trim();
    supported.iter().map(|known| known.trim()).any(|known| {
        !known.is_empty()
            && (version == known
                || version
                    .strip_prefix(known)
                    .is_some_and(|rest| rest.starts_with('.')))
    })
}

/// Checks the values a new ticket gives for its product's `declared` fields: each key must be
/// declared and each value at most [`MAX_FIELD_VALUE`] characters. Empty values are dropped.
///
/// # Errors
/// The field (`product_fields.<key>`) and what is wrong, for the first bad value.
pub fn check_fields(
    declared: &[ProductField],
    given: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, (String, String)> {
    let mut kept = BTreeMap::new();
    for (key, value) in given {
        let field = format!("product_fields.{key}");
        if !declared.iter().any(|declared| &declared.key == key) {
            return Err((field, "this product does not ask for this field".to_owned()));
        }
        if value.chars().count() > MAX_FIELD_VALUE {
            return Err((field, format!("at most {MAX_FIELD_VALUE} characters")));
        }
        let value = value.trim();
        if !value.is_empty() {
            kept.insert(key.clone(), value.to_owned());
        }
    }
    Ok(kept)
}

/// Checks the fields a product declares: at most [`MAX_FIELDS`], keys of lowercase letters,
/// digits and `_` (1–40), each once, both labels given.
///
/// # Errors
/// The field (`fields[i].key`, …) and what is wrong, for the first bad one.
pub fn check_declared(fields: &[ProductField]) -> Result<(), (String, String)> {
    if fields.len() > MAX_FIELDS {
        return Err(("fields".to_owned(), format!("at most {MAX_FIELDS} fields")));
    }
    for (index, field) in fields.iter().enumerate() {
        let key_ok = (1..=40).contains(&field.key.len())
            && field
                .key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !key_ok {
            return Err((
                format!("fields[{index}].key"),
                "1 to 40 lowercase letters, digits or _".to_owned(),
            ));
        }
        if fields[..index].iter().any(|other| other.key == field.key) {
            return Err((format!("fields[{index}].key"), "used twice".to_owned()));
        }
        for (name, label) in [("label_en", &field.label_en), ("label_ru", &field.label_ru)] {
            if label.trim().is_empty() || label.chars().count() > 100 {
                return Err((
                    format!("fields[{index}].{name}"),
                    "between 1 and 100 characters".to_owned(),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str) -> ProductField {
        ProductField {
            key: key.to_owned(),
            label_en: "Mobile OS".to_owned(),
            label_ru: "ОС телефона".to_owned(),
        }
    }

    #[test]
    fn versions_match_whole_components() {
        let supported = vec!["5.2".to_owned(), "6".to_owned(), " ".to_owned()];
        for (version, expected) in [
            ("5.2", true),
            ("5.2.0", true),
            ("5.2.1.7", true),
            ("6.1", true),
            ("5.20", false),
            ("5", false),
            ("5.1.9", false),
            ("", false),
            ("60", false),
        ] {
            assert_eq!(is_supported(version, &supported), expected, "{version}");
        }
        assert!(!is_supported("5.2", &[]));
    }

    #[test]
    fn fields_must_be_declared_and_short() {
        let declared = [field("mobile_os"), field("app_version")];
        let given = BTreeMap::from([
            ("mobile_os".to_owned(), " Android 14 ".to_owned()),
            ("app_version".to_owned(), "  ".to_owned()),
        ]);
        assert_eq!(
            check_fields(&declared, &given),
            Ok(BTreeMap::from([(
                "mobile_os".to_owned(),
                "Android 14".to_owned()
            )]))
        );
        let unknown = BTreeMap::from([("colour".to_owned(), "red".to_owned())]);
        assert_eq!(
            check_fields(&declared, &unknown).map_err(|(field, _)| field),
            Err("product_fields.colour".to_owned())
        );
        let long = BTreeMap::from([("mobile_os".to_owned(), "x".repeat(MAX_FIELD_VALUE + 1))]);
        assert!(check_fields(&declared, &long).is_err());
    }

    #[test]
    fn declared_fields_have_clean_unique_keys() {
        assert_eq!(check_declared(&[field("server_version")]), Ok(()));
        let errors = [
            (vec![field("Mobile OS")], "fields[0].key"),
            (vec![field("os"), field("os")], "fields[1].key"),
            (
                vec![ProductField {
                    label_ru: String::new(),
                    ..field("os")
                }],
                "fields[0].label_ru",
            ),
            (vec![field("a"); MAX_FIELDS + 1], "fields"),
        ];
        for (fields, expected) in errors {
            assert_eq!(
                check_declared(&fields).map_err(|(field, _)| field),
                Err(expected.to_owned())
            );
        }
    }
}
