//! The one way pages and dialogs read data: a resource, fetched when created
//! (and again whenever a signal it read changes) and on `refetch()`, shown
//! by [`Loaded`](crate::widgets::Loaded) (a `<Transition>` with an
//! `<ErrorBoundary>`) or read as *loading* (`None`), its error, or its value.
//!
//! Every read is the same Leptos [`LocalResource`] type underneath (its value
//! type-erased), so the reactive machinery is compiled once, not once per
//! answer type: that keeps the bundle small.

use crate::api::http::ApiResult;
use crate::api::ApiError;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;

/// A read's answer with its value's type erased.
pub(crate) type Erased = Result<Rc<dyn Any>, ApiError>;

/// A read of a `T`: see the module.
pub struct Read<T> {
    resource: LocalResource<Erased>,
    value: PhantomData<fn() -> T>,
}

impl<T> Clone for Read<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Read<T> {}

impl<T: Clone + 'static> Read<T> {
    /// Loading (`None`), the error, or the value; tracked.
    pub fn get(&self) -> Option<ApiResult<T>> {
        match self.resource.get()? {
            Ok(v) => v.downcast_ref::<T>().cloned().map(Ok),
            Err(e) => Some(Err(e)),
        }
    }

    /// The resource underneath, its value's type erased.
    pub(crate) fn erased(&self) -> LocalResource<Erased> {
        self.resource
    }

    /// Fetches again.
    pub fn refetch(&self) {
        self.resource.refetch();
    }
}

/// A read of what `fetch` answers.
pub fn read<T, Fu>(fetch: impl Fn() -> Fu + 'static) -> Read<T>
where
    T: 'static,
    Fu: Future<Output = ApiResult<T>> + 'static,
{
    let erased: Fetch = Rc::new(move || -> Running {
        let request = fetch();
        Box::pin(async move { request.await.map(|v| Rc::new(v) as Rc<dyn Any>) })
    });
    Read { resource: erased_resource(SendWrapper::new(erased)), value: PhantomData }
}

type Running = Pin<Box<dyn Future<Output = Erased>>>;
type Fetch = Rc<dyn Fn() -> Running>;

/// The one place a resource is made: its fetcher is always this closure's
/// type, so Leptos's resource machinery (an async derived signal and its
/// future) is compiled once for every read, not once per call site.
#[inline(never)]
#[allow(clippy::redundant_closure)] // the closure is the point: one type for every read
fn erased_resource(fetch: SendWrapper<Fetch>) -> LocalResource<Erased> {
    LocalResource::new(move || fetch())
}
