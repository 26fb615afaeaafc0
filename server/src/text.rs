//! Text the product accepts: no control characters other than tab and line breaks, in any
//! field of any JSON body, query string, path or multipart text; mail has them removed.
//! PostgreSQL cannot store a NUL in text and SQLite would keep it, so both databases see the
//! same refusal before any query runs.

use serde_json::Value;

/// The message of the 422 for a control character.
pub const CONTROL_MESSAGE: &str = "control characters other than tab and new line are not allowed";

/// Whether `c` is refused: a C0 or C1 control character other than tab, line feed and carriage
/// return (a line break from a form).
fn refused(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Whether `text` holds a refused control character.
pub fn has_control(text: &str) -> bool {
    text.chars().any(refused)
}

/// `text` without refused control characters.
pub fn strip_control(text: &str) -> String {
    text.chars().filter(|&c| !refused(c)).collect()
}

/// The path (`subject`, `items[2].name`) of the first string or key in `value` with a refused
/// control character, or `None` when there is none.
pub fn find_control(value: &Value) -> Option<String> {
    fn walk(value: &Value, path: &mut String) -> bool {
        match value {
            Value::String(text) => has_control(text),
            Value::Array(items) => items.iter().enumerate().any(|(index, item)| {
                let length = path.len();
                path.push_str(&format!("[{index}]"));
                let found = walk(item, path);
                if !found {
                    path.truncate(length);
                }
                found
            }),
            Value::Object(fields) => fields.iter().any(|(name, item)| {
                let length = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(name);
                let found = has_control(name) || walk(item, path);
                if !found {
                    path.truncate(length);
                }
                found
            }),
            _ => false,
        }
    }
    let mut path = String::new();
    walk(value, &mut path).then(|| {
        if path.is_empty() {
            "body".to_owned()
        } else {
            path
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_of_the_first_control_character_is_named() {
        let value =
            serde_json::json!({ "a": "fine\ttab\nline", "b": [ "x", { "c": "nul\u{0}" } ] });
        assert_eq!(find_control(&value).as_deref(), Some("b[1].c"));
        assert_eq!(find_control(&serde_json::json!({ "a": "ok\r\n" })), None);
        assert_eq!(
            find_control(&serde_json::json!("\u{1b}")).as_deref(),
            Some("body")
        );
        assert_eq!(strip_control("a\u{0}b\u{85}c\nd"), "abc\nd");
    }
}
