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

/// A reactive value of a view (an attribute, a property, a text) as one closure type per value
/// type: `disabled={erase(move || save.pending().get())}` draws like `disabled=move || ...`, but
/// Leptos compiles its render effect for `erase`'s closure once instead of for each place.
pub fn erase<T: 'static>(
    value: impl Fn() -> T + Send + Sync + 'static,
) -> impl Fn() -> T + Send + Sync + 'static {
    erased(Box::new(value))
}

/// The one closure type of every erased value of type `T`.
fn erased<T: 'static>(
    value: Box<dyn Fn() -> T + Send + Sync>,
) -> impl Fn() -> T + Send + Sync + 'static {
    move || value()
}
