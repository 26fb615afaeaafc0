//! The limits of what people type, shared by every endpoint that stores it. Each check returns
//! the message of its 422, or `None` when the value is acceptable.
//!
//! | field | maximum |
//! |---|---|
//! | a person's or organisation's name | [`MAX_NAME`] characters |
//! | an e-mail address | 254 bytes, RFC 5322 `addr-spec` without display name or comments |
//! | a ticket subject | 200 characters |
//! | a description, message, note, comment | 100,000 bytes |
//! | a reclassification reason, a hold reason | [`MAX_REASON`] characters |
//! | a password | 1024 bytes |

use std::str::FromStr;

use email_address::{EmailAddress, Options};

/// The longest name of a person.
pub const MAX_NAME: usize = 200;
/// The longest reclassification or hold reason.
pub const MAX_REASON: usize = 2000;

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
    }
}
