//! The interface's words in English and Russian: one typed catalogue for the app and the mail.
//!
//! Every visible string is a [`Text`] variant, so a missing translation is a compile error rather
//! than an English word on a Russian screen.

use serde::{Deserialize, Serialize};

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Locale {
    #[default]
    En,
    Ru,
}

impl Locale {
    /// The code used in the API and in the user's profile.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ru => "ru",
        }
    }

    /// Parses `en` or `ru`; anything else is English.
    pub fn from_code(code: &str) -> Locale {
        match code {
            "ru" => Locale::Ru,
            _ => Locale::En,
        }
    }
}

macro_rules! catalogue {
    ($($key:ident => $en:expr, $ru:expr;)*) => {
        /// A string of the interface.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Text { $($key,)* }

        impl Text {
            /// This text in the given language.
            pub fn get(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $((Text::$key, Locale::En) => $en, (Text::$key, Locale::Ru) => $ru,)*
                }
            }
        }
    };
}

catalogue! {
    AppName => "Reglament", "Регламент";
    Email => "Email", "Эл. почта";
    Password => "Password", "Пароль";
    SignIn => "Sign in", "Войти";
    SignOut => "Sign out", "Выйти";
    SignInTitle => "Sign in to Reglament", "Вход в Регламент";
    SignInFailed => "Wrong email or password", "Неверная почта или пароль";
    MyTickets => "My tickets", "Мои обращения";
    Queue => "Queue", "Очередь";
    Language => "Language", "Язык";
    Loading => "Loading…", "Загрузка…";
    NoTickets => "No tickets yet", "Обращений пока нет";
    Reference => "Reference", "Номер";
    Subject => "Subject", "Тема";
    Status => "Status", "Статус";
    Organisation => "Organisation", "Организация";
    Deadline => "Deadline", "Срок";
    NewTicket => "New ticket", "Новое обращение";
    DemoAccounts => "Demo accounts use the password “demo”.", "Пароль демо-учётных записей — «demo».";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages() {
        for text in [Text::SignIn, Text::MyTickets, Text::Queue] {
            assert!(!text.get(Locale::En).is_empty());
            assert_ne!(text.get(Locale::En), text.get(Locale::Ru));
        }
        assert_eq!(Text::SignIn.get(Locale::En), "Sign in");
        assert_eq!(Locale::from_code("ru"), Locale::Ru);
        assert_eq!(Locale::from_code("de"), Locale::En);
    }
}
