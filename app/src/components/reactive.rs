//! Reactive parts of a view behind one type each.
//!
//! Leptos compiles its rendering machinery (the render effect, its build and rebuild steps and
//! the state they keep) once for every closure type a view holds, and every `{move || ...}` is a
//! type of its own. These helpers box the page's closure and hand Leptos one closure type of
//! their own instead, so the bundle holds one copy of that machinery for all of them. This module
//! must not grow page logic: it only erases types.

use leptos::prelude::*;
use shared::i18n::Text;

use crate::state::session;

/// The one closure type every boxed view part runs.
type ViewFn = Box<dyn Fn() -> Option<AnyView> + Send + Sync>;

/// What a `transition` shows while its reads load for the first time.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// Nothing.
    Quietly,
    /// The "Loading" line.
    Loading,
    /// The "Loading" line as a status region.
    Status,
}

/// `<Transition>` around `view`: `waiting` until the reads `view` makes have loaded, then
/// `view`, drawn again whenever a signal it read changes (keeping the old one while a read
/// loads again).
pub fn transition(
    waiting: Waiting,
    view: impl Fn() -> Option<AnyView> + Send + Sync + 'static,
) -> AnyView {
    erased_transition(waiting, Box::new(view))
}

/// The one `<Transition>` the whole app instantiates.
#[inline(never)]
fn erased_transition(waiting: Waiting, view: ViewFn) -> AnyView {
    let session = session();
    let fallback = move || match waiting {
        Waiting::Quietly => None,
        Waiting::Loading => {
            Some(view! { <p class="loading">{session.t(Text::Loading)}</p> }.into_any())
        }
        Waiting::Status => Some(
            view! { <p class="loading" role="status">{session.t(Text::Loading)}</p> }.into_any(),
        ),
    };
    view! { <Transition fallback=fallback>{move || view()}</Transition> }.into_any()
}

/// One row of a `keyed` list: its key and how to draw it the first time it appears.
struct Row {
    key: String,
    view: Box<dyn FnOnce() -> AnyView + Send + Sync>,
}

/// `<For>` over the items `each` returns: a row is drawn by `row` when its `key` first appears,
/// kept (and moved) while the key stays and removed when it goes. The items become erased rows,
/// so the bundle holds one `<For>` for every keyed list.
pub fn keyed<T: Send + Sync + 'static>(
    each: impl Fn() -> Vec<T> + Send + Sync + 'static,
    key: impl Fn(&T) -> String + Send + Sync + 'static,
    row: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    let row = std::sync::Arc::new(row);
    erased_keyed(Box::new(move || {
        each()
            .into_iter()
            .map(|item| {
                let row = row.clone();
                Row {
                    key: key(&item),
                    view: Box::new(move || row(item)),
                }
            })
            .collect()
    }))
}

/// The one `<For>` the whole app instantiates.
#[inline(never)]
fn erased_keyed(rows: Box<dyn Fn() -> Vec<Row> + Send + Sync>) -> AnyView {
    view! {
        <For each=move || rows() key=|row: &Row| row.key.clone() children=|row: Row| (row.view)()/>
    }
    .into_any()
}
