//! `Remote<T>`, a read from the server shown inside `<Transition>` like a `LocalResource<T>`,
//! `Submit<I, O>`, a write like an `Action<I, O>`, and `effect`, an `Effect::new`.
//!
//! Every `LocalResource<T>` and `Action<I, O>` compiles its own copy of Leptos's async machinery
//! (the derived signal, its scoped future, the send wrapper, the dispatch task) for its types and
//! its closure. A page has dozens of reads and writes, so these wrappers keep one `LocalResource`
//! and one `Action` of type-erased values and one boxed closure type for all of them, and give the
//! page back its own types when it reads. This module must not grow page logic: it only erases
//! and restores types.

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;

/// The one value type every read stores.
type Erased = Rc<dyn Any>;

/// The one fetcher type every read runs.
type ErasedFetch = Box<dyn Fn() -> Pin<Box<dyn Future<Output = Erased>>>>;

/// A read whose value is a `T`, reactive like a `LocalResource<T>`: reading it inside a
/// `<Transition>` or `<Suspense>` waits for it, and the fetcher runs again when a signal it read
/// changes.
pub struct Remote<T> {
    inner: LocalResource<Erased>,
    value: PhantomData<fn() -> T>,
}

impl<T> Clone for Remote<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Remote<T> {}

impl<T: Clone + 'static> Remote<T> {
    /// Starts the read; `fetcher` is run again whenever a signal it reads changes.
    pub fn new<Fut>(fetcher: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = T> + 'static,
    {
        let erased: ErasedFetch = Box::new(move || {
            let future = fetcher();
            Box::pin(async move { Rc::new(future.await) as Erased })
        });
        Remote {
            inner: erased_resource(erased),
            value: PhantomData,
        }
    }

    /// The value once loaded (reactive; inside a `<Transition>` it waits for the load).
    pub fn get(&self) -> Option<T> {
        self.inner
            .get()
            .and_then(|value| value.downcast_ref::<T>().cloned())
    }

    /// The value once loaded, without subscribing to it.
    pub fn get_untracked(&self) -> Option<T> {
        self.inner
            .get_untracked()
            .and_then(|value| value.downcast_ref::<T>().cloned())
    }

    /// Runs the fetcher again.
    pub fn refetch(&self) {
        self.inner.refetch();
    }
}

/// The one `LocalResource` the whole app instantiates.
#[inline(never)]
fn erased_resource(fetcher: ErasedFetch) -> LocalResource<Erased> {
    LocalResource::new(fetcher)
}

/// The one input and output type every write stores.
type ErasedShared = Arc<dyn Any + Send + Sync>;

/// The one closure type every write runs.
type ErasedRun = Box<dyn Fn(&ErasedShared) -> Pin<Box<dyn Future<Output = ErasedShared>>>>;

/// A write taking an `I` and answering an `O`, like an `Action<I, O>` made with `new_unsync`:
/// `dispatch` starts it, `pending` says whether one is in flight and `value` holds the last answer.
pub struct Submit<I, O> {
    inner: Action<ErasedShared, ErasedShared>,
    types: PhantomData<fn(I) -> O>,
}

impl<I, O> Clone for Submit<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I, O> Copy for Submit<I, O> {}

impl<I, O> Submit<I, O>
where
    I: Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    /// A write that runs `run` on each dispatched input.
    pub fn new<Fut>(run: impl Fn(&I) -> Fut + 'static) -> Self
    where
        Fut: Future<Output = O> + 'static,
    {
        let erased: ErasedRun = Box::new(move |input| {
            let future = input.downcast_ref::<I>().map(&run);
            Box::pin(async move {
                match future {
                    Some(future) => Arc::new(future.await) as ErasedShared,
                    None => Arc::new(()),
                }
            })
        });
        Submit {
            inner: erased_action(erased),
            types: PhantomData,
        }
    }

    /// Runs the write on `input`.
    pub fn dispatch(&self, input: I) {
        self.inner.dispatch(Arc::new(input));
    }

    /// The answer of the last write that finished (reactive).
    pub fn value(&self) -> Option<O> {
        self.inner
            .value()
            .get()
            .and_then(|value| value.downcast_ref::<O>().cloned())
    }

    /// Whether a write is in flight.
    pub fn pending(&self) -> Memo<bool> {
        self.inner.pending()
    }
}

/// Runs `run` now and again whenever a signal it read changes, like `Effect::new`; `run` is given
/// `None` on its first run and `Some(())` after.
///
/// `Effect::new` compiles its own task loop for every closure it is given; this boxes the closure
/// so the app holds one.
pub fn effect(run: impl FnMut(Option<()>) + 'static) {
    erased_effect(Box::new(run));
}

/// The one `Effect` the whole app instantiates.
#[inline(never)]
fn erased_effect(mut run: Box<dyn FnMut(Option<()>)>) {
    Effect::new(move |previous: Option<()>| run(previous));
}

/// The one `Action` the whole app instantiates.
#[inline(never)]
fn erased_action(run: ErasedRun) -> Action<ErasedShared, ErasedShared> {
    Action::new_unsync(run)
}
