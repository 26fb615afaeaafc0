//! `Remote<T>`: a read from the server, shown inside `<Transition>` like a `LocalResource<T>`.
//!
//! Every `LocalResource<T>` compiles its own copy of Leptos's async machinery (the derived
//! signal, its scoped future, the send wrapper) for its output type and fetcher. A page has
//! dozens of reads, so `Remote<T>` keeps one `LocalResource` of a type-erased value and one boxed
//! fetcher type for all of them, and gives the page back its `T` when it reads. This module must
//! not grow page logic: it only erases and restores the type.

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;

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
