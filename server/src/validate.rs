//! The limits of what people type, shared by every endpoint that stores it. Each check returns
//! the message of its 422, or `None` when the value is acceptable.
//!
//! | field | maximum |
//! |---|---|
//! | a person's, organisation's, calendar's or plan's name | [`MAX_NAME`] characters |
//! | an e-mail address | 254 bytes, RFC 5322 `addr-spec` without display name or comments |
//! | a ticket subject, a known error's or announcement's title | [`MAX_TITLE`] characters |
//! | a product version | [`MAX_VERSION`] characters |
//! | a description, steps, message, note, action comment | [`MAX_TEXT`] bytes |
//! | a rating comment | [`MAX_COMMENT`] bytes |
//! | a reclassification reason, a hold reason | [`MAX_REASON`] characters |
//! | a known error's symptoms, workaround, solution; an announcement's text | [`MAX_LONG_TEXT`] |
//! | a canned response's title / text | [`MAX_CANNED_TITLE`] / [`MAX_COMMENT`] characters |
//! | a search (`q`) | [`MAX_SEARCH`] characters |
//! | a password | 1024 bytes; a second-factor code 64 bytes |

use std::str::FromStr;

use email_address::{EmailAddress, Options};

/// The longest name of a person.
pub const MAX_NAME: usize = 200;
/// The longest reclassification or hold reason.
pub const MAX_REASON: usize = 2000;
/// The longest title: a ticket's subject, a known error's or an announcement's title.
pub const MAX_TITLE: usize = 200;
/// The longest product version of a ticket.
pub const MAX_VERSION: usize = 100;
/// The longest description, steps, message, internal note or action comment (bytes).
pub const MAX_TEXT: usize = 100_000;
/// The longest rating comment (bytes) and canned response text (characters).
pub const MAX_COMMENT: usize = 10_000;
/// The longest text of a known error's field or an announcement (characters; bytes for an
/// announcement's text).
pub const MAX_LONG_TEXT: usize = 20_000;
/// The longest canned response title.
pub const MAX_CANNED_TITLE: usize = 120;
/// The longest search text (`q`) of the ticket and known-error lists.
pub const MAX_SEARCH: usize = 200;

/// A search text: at most [`MAX_SEARCH`] characters.
pub fn search(text: &str) -> Option<String> {
    (text.chars().count() > MAX_SEARCH)
        .then(|| format!("search for at most {MAX_SEARCH} characters"))
}

/// An e-mail address as a mailbox takes it: `local@domain`, at most 254 bytes, the domain with
/// a dot, no display name.
pub fn email(address: &str) -> Option<String> {
    let options = Options::default()
        .with_required_tld()
        .without_display_text()
        .without_domain_literal();
    let valid = address.len() <= 254 && EmailAddress::parse_with_options(address, options).is_ok();
    (!valid).then(|| "not an e-mail address".to_owned())
}

/// A name: not empty, at most [`MAX_NAME`] characters.
pub fn name(name: &str) -> Option<String> {
    (name.trim().is_empty() || name.chars().count() > MAX_NAME)
        .then(|| format!("enter a name of at most {MAX_NAME} characters"))
}

/// A language of the interface: `en` or `ru`.
pub fn locale(code: &str) -> Option<String> {
    (!matches!(code, "en" | "ru")).then(|| "choose en or ru".to_owned())
}

/// A time zone of the supported list (the zones compiled in).
pub fn time_zone(zone: &str) -> Option<String> {
    chrono_tz::Tz::from_str(zone)
        .is_err()
        .then(|| format!("{zone:?} is not a supported time zone"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_zones_and_locales_are_checked() {
        assert!(email("vera@demo.example").is_none());
        for bad in [
            "@",
            "a@b",
            "a@b.c\r\nbcc: x@y.z",
            "Vera <v@demo.example>",
            "a@[1.2.3.4]",
        ] {
            assert!(email(bad).is_some(), "{bad}");
        }
        assert!(time_zone("Europe/Moscow").is_none());
        assert!(time_zone("Mars/Olympus").is_some());
        assert!(locale("xx").is_some() && locale("ru").is_none());
        assert!(name(&"x".repeat(10_000)).is_some() && name("Vera").is_none());
        assert!(search(&"x".repeat(MAX_SEARCH)).is_none());
        assert!(search(&"x".repeat(MAX_SEARCH + 1)).is_some());
    }
}
