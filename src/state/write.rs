//! The one way pages and dialogs change data: a write is an [`Action`]
//! dispatched with its request. While it runs its `pending()` is true; its
//! last failure is shown by [`FormActions`](crate::components::FormActions)
//! (or as a toast); each success runs the caller's `on_ok` once.

use crate::api::http::ApiResult;
use crate::api::ApiError;
use leptos::prelude::*;
use std::future::Future;

/// A write calling `call` with each dispatched input; `on_ok` runs with
/// each successful answer.
pub fn write<I, O, Fu>(call: impl Fn(I) -> Fu + 'static, on_ok: impl Fn(O) + 'static) -> Action<I, ApiResult<O>>
where
    I: Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
    Fu: Future<Output = ApiResult<O>> + 'static,
{
    let action = Action::new_unsync(move |input: &I| call(input.clone()));
    Effect::new(move |_| {
        if let Some(Ok(answer)) = action.value().get() {
            on_ok(answer);
        }
    });
    action
}

/// The failure of the last attempt of `action`, if it failed.
pub fn failure<I, O>(action: Action<I, ApiResult<O>>) -> Option<ApiError>
where
    I: Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    action.value().get().and_then(Result::err)
}

/// Shows each failure of `action` as an error toast: for writes started from
/// a list row or a page button, which have no form to hold the message.
pub fn toast_failures<I, O>(action: Action<I, ApiResult<O>>, toasts: crate::state::toasts::Toasts)
where
    I: Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(e) = failure(action) {
            toasts.error(e.message);
        }
    });
}
