//! The one way pages and dialogs read data they do not stream into a
//! `<Transition>`: a resource, fetched when created and again on
//! `refetch()`, read as *loading* (`None`), its error, or its value.
//!
//! Every read is the same Leptos [`LocalResource`] type underneath (its value
//! type-erased), so the reactive machinery is compiled once, not once per
//! answer type: that keeps the bundle small.

use crate::api::http::ApiResult;
use crate::api::ApiError;
use leptos::prelude::*;
use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;

type Erased = Result<Rc<dyn Any>, ApiError>;

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
    let erased = move || -> Pin<Box<dyn Future<Output = Erased>>> {
        let request = fetch();
        Box::pin(async move { request.await.map(|v| Rc::new(v) as Rc<dyn Any>) })
    };
    Read { resource: LocalResource::new(erased), value: PhantomData }
}
