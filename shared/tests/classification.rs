//! Classification: which category and severity combinations are valid, and their JSON.

use shared::ticket::{Category, Classification, ClassificationError, Severity};

#[test]
fn classification_validation() {
    assert_eq!(
        Classification::new(Category::C, None, false),
        Err(ClassificationError::SeverityRequired)
    );
    assert_eq!(
        Classification::new(Category::A, Some(Severity::Minor), false),
        Err(ClassificationError::SeverityNotAllowed)
    );
    assert_eq!(
        Classification::new_final(Category::C, Some(Severity::NotADefect), false),
        Err(ClassificationError::NotFinal)
    );
    assert!(Classification::new_final(Category::C, Some(Severity::Critical), true).is_ok());
    let parsed: Result<Classification, _> =
        serde_json::from_str(r#"{"category": "C", "severity": 5}"#);
    assert!(parsed.unwrap_err().to_string().contains("severity must be"));
    let parsed: Result<Classification, _> =
        serde_json::from_str(r#"{"category": "D", "severity": 2}"#);
    assert!(parsed.is_err());
    let ok: Classification =
        serde_json::from_str(r#"{"category": "C", "severity": 2, "special": true}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&ok).unwrap(),
        r#"{"category":"C","severity":2,"special":true}"#
    );
    assert_eq!(ClassificationError::NotFinal.field(), "severity");
}
