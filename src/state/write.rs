//! The one way pages and dialogs change data: a write is dispatched with its
//! request; while it runs its `pending()` is true; its last failure is shown
//! by [`FormActions`](crate::widgets::FormActions) (or as a toast); each
//! success runs the caller's `on_ok` with the answer.
//!
//! Every write is the same Leptos [`Action`] type underneath (a job that
//! resolves to its failure, if any), so the reactive machinery is compiled
//! once, not once per request type: that keeps the bundle small.

use crate::api::http::ApiResult;
use crate::api::ApiError;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::any::Any;
use std::cell::RefCell;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;

type Running = Pin<Box<dyn Future<Output = Option<ApiError>>>>;
/// One dispatched write: starts its request (once) and resolves to its failure.
type Job = SendWrapper<Rc<dyn Fn() -> Running>>;

/// What a form shows of its write: whether it runs and how it last failed.
#[derive(Clone, Copy)]
pub struct WriteState(Action<Job, Option<ApiError>>);

impl WriteState {
    fn new() -> WriteState {
        WriteState(Action::new_unsync(|job: &Job| {
            let start: &Rc<dyn Fn() -> Running> = job;
            start()
        }))
    }

    /// Whether the write is running.
    pub fn pending(self) -> Memo<bool> {
        self.0.pending()
    }

    /// The failure of the last attempt, if it failed.
    pub fn failure(self) -> Option<ApiError> {
        self.0.value().get().flatten()
    }

    /// Forgets the last attempt (a form opened anew shows no old failure).
    pub fn clear(self) {
        self.0.clear();
    }
}

/// A write taking `I`: see the module.
pub struct Write<I: 'static> {
    state: WriteState,
    /// The `Start<I>` of the write, stored as `dyn Any` so that every write
    /// uses the same stored-value type (compiled once, not once per request
    /// type).
    start: StoredValue<Rc<dyn Any>, LocalStorage>,
    input: PhantomData<fn(I)>,
}

/// What starts a write's request for its input.
type Start<I> = Rc<dyn Fn(I) -> Running>;

impl<I: 'static> Clone for Write<I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static> Copy for Write<I> {}

impl<I: 'static> Write<I> {
    /// Sends the request for `input`.
    pub fn dispatch(&self, input: I) {
        let start = self.start.with_value(|start| start.downcast_ref::<Start<I>>().cloned());
        // Always there: `write` stores a `Start<I>`.
        let Some(start) = start else { return };
        let input = RefCell::new(Some(input));
        let job: Rc<dyn Fn() -> Running> = Rc::new(move || match input.borrow_mut().take() {
            Some(input) => start(input),
            None => Box::pin(async { None }),
        });
        self.state.0.dispatch(SendWrapper::new(job));
    }

    /// Whether the write is running.
    pub fn pending(&self) -> Memo<bool> {
        self.state.pending()
    }

    /// Forgets the last attempt.
    pub fn clear(&self) {
        self.state.clear();
    }
}

impl<I: 'static> From<Write<I>> for WriteState {
    fn from(w: Write<I>) -> WriteState {
        w.state
    }
}

/// A write calling `call` with each dispatched input; `on_ok` runs with each
/// successful answer.
pub fn write<I, O, Fu>(call: impl Fn(I) -> Fu + 'static, on_ok: impl Fn(O) + 'static) -> Write<I>
where
    I: 'static,
    O: 'static,
    Fu: Future<Output = ApiResult<O>> + 'static,
{
    let on_ok = Rc::new(on_ok);
    let start: Start<I> = Rc::new(move |input: I| {
        let request = call(input);
        let on_ok = on_ok.clone();
        Box::pin(async move {
            match request.await {
                Ok(answer) => {
                    on_ok(answer);
                    None
                }
                Err(e) => Some(e),
            }
        })
    });
    Write { state: WriteState::new(), start: stored(Rc::new(start)), input: PhantomData }
}

/// The stored value of a write's start: one copy, not one per request type.
#[inline(never)]
fn stored(start: Rc<dyn Any>) -> StoredValue<Rc<dyn Any>, LocalStorage> {
    StoredValue::new_local(start)
}

/// The failure of the last attempt of a write, if it failed.
pub fn failure(write: impl Into<WriteState>) -> Option<ApiError> {
    write.into().failure()
}

/// Shows each failure of a write as an error toast: for writes started from
/// a list row or a page button, which have no form to hold the message.
pub fn toast_failures(write: impl Into<WriteState>, toasts: crate::state::toasts::Toasts) {
    let state = write.into();
    Effect::new(move |_| {
        if let Some(e) = state.failure() {
            toasts.error(e.message);
        }
    });
}
