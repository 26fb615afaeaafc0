//! The small shared context: who is signed in and in which language the interface speaks.

use leptos::prelude::*;
use shared::api::Me;
use shared::i18n::{Locale, Text};

#[derive(Clone, Copy)]
pub struct Session {
    /// `None` while loading, `Some(None)` when nobody is signed in.
    pub user: RwSignal<Option<Option<Me>>>,
    pub locale: RwSignal<Locale>,
    /// Whether the live event stream is connected.
    pub live: RwSignal<bool>,
    /// The last live event received; pages refetch what it names.
    pub last_event: RwSignal<Option<LiveMessage>>,
    /// Counts every live event, so a read can depend on "anything happened".
    pub live_count: RwSignal<u64>,
    started: RwSignal<bool>,
    /// The current time, ticking once a second: every countdown reads it.
    pub now: RwSignal<chrono::DateTime<chrono::Utc>>,
}

/// One message of `GET /api/events`.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct LiveMessage {
    pub id: i64,
    pub kind: String,
    #[serde(default)]
    pub reference: Option<String>,
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
            live: RwSignal::new(false),
            last_event: RwSignal::new(None),
            live_count: RwSignal::new(0),
            started: RwSignal::new(false),
            now: RwSignal::new(now()),
        }
    }

    pub fn set_locale(&self, locale: Locale) {
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = storage.set_item("rg_locale", locale.code());
        }
        self.locale.set(locale);
    }

    /// Opens the one live event stream of this session (once); the browser reconnects by itself
    /// with `Last-Event-ID`, so nothing is missed.
    pub fn start_live(&self) {
        if self.started.get_untracked() {
            return;
        }
        self.started.set(true);
        let live = self.live;
        let last_event = self.last_event;
        let live_count = self.live_count;
        crate::api::open_events(move |heard| match heard {
            crate::api::Live::Open => live.set(true),
            crate::api::Live::Lost => live.set(false),
            crate::api::Live::Event(message) => {
                live.set(true);
                last_event.set(Some(message));
                live_count.update(|count| *count += 1);
            }
        });
    }

    /// Starts the one 1 Hz timer of the app.
    pub fn start_clock(&self) {
        let now_signal = self.now;
        let interval = gloo_timers::callback::Interval::new(1_000, move || now_signal.set(now()));
        // The app never unmounts its root, so the timer lives as long as the page.
        interval.forget();
    }

    /// The viewer's time zone (reactive).
    pub fn zone(&self) -> String {
        self.user
            .get()
            .flatten()
            .map(|me| me.time_zone)
            .unwrap_or_else(|| "Europe/Moscow".to_owned())
    }

    /// Whether the viewer works for the vendor (reactive).
    pub fn is_staff(&self) -> bool {
        self.user.get().flatten().is_some_and(|me| me.is_staff())
    }

    /// The viewer's role in `shared`'s terms (reactive).
    pub fn role(&self) -> shared::ticket::Role {
        self.user
            .get()
            .flatten()
            .map(|me| me.role)
            .unwrap_or(shared::ticket::Role::Customer)
    }

    /// A reactive translation of `text`.
    pub fn t(&self, text: Text) -> &'static str {
        text.get(self.locale.get())
    }

    /// A view of `text` that follows the language: `{session.text(Text::Queue)}` in a view is
    /// `{session.text(Text::Queue)}`, but every call returns the same closure type, so the
    /// bundle holds one copy of the reactive rendering code for all of them instead of one per
    /// place.
    pub fn text(self, text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(text)
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

/// The browser's clock as a `chrono` instant.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    let millis = js_sys::Date::now() as i64;
    chrono::DateTime::from_timestamp_millis(millis).unwrap_or_default()
}
