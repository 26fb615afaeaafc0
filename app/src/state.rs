//! The small shared context: who is signed in and in which language the interface speaks.

use leptos::prelude::*;
use shared::api::Me;
use shared::i18n::{Locale, Text};

#[derive(Clone, Copy)]
pub struct Session {
    /// `None` while loading, `Some(None)` when nobody is signed in.
    pub user: RwSignal<Option<Option<Me>>>,
    pub locale: RwSignal<Locale>,
}

impl Session {
    pub fn new() -> Session {
        let stored = window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|storage| storage.get_item("rg_locale").ok().flatten());
        Session {
            user: RwSignal::new(None),
            locale: RwSignal::new(
                stored
                    .map(|code| Locale::from_code(&code))
                    .unwrap_or_default(),
            ),
        }
    }

    pub fn set_locale(&self, locale: Locale) {
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = storage.set_item("rg_locale", locale.code());
        }
        self.locale.set(locale);
    }

    /// A reactive translation of `text`.
    pub fn t(&self, text: Text) -> &'static str {
        text.get(self.locale.get())
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

pub fn session() -> Session {
    expect_context::<Session>()
}
