//! How pages and dialogs show what they read: while the resource loads, a
//! spinner (the previous content stays while it reloads: `<Transition>`);
//! when the read failed, an `<ErrorBoundary>` shows the API's message (a
//! page's [`ErrorView`], or a dialog's own way, e.g. [`inline_error`]);
//! otherwise the content. [`PagedList`] adds the pager under a page of rows.

use super::{ErrorView, Loading, Pager};
use crate::api::ApiError;
use crate::state::read::{Erased, Read};
use domain::api::Page;
use leptos::prelude::*;
use std::any::Any;
use std::sync::Arc;

/// A read shown as loading, its error, or `content` of its value.
#[component]
pub fn Loaded<T, V, F>(
    /// What is read.
    data: Read<T>,
    /// The view of the value.
    content: F,
    /// How a failure is shown; a page's error panel when not given.
    #[prop(optional)]
    error: Option<fn(ApiError) -> AnyView>,
) -> impl IntoView
where
    T: Clone + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let show_error = error.unwrap_or(page_error);
    let render: Render = Arc::new(move |value: &dyn Any| match value.downcast_ref::<T>() {
        Some(v) => content(v.clone()).into_any(),
        None => show_error(ApiError::network()),
    });
    loaded_view(data.erased(), render, show_error)
}

/// How a value is shown, its type erased.
type Render = Arc<dyn Fn(&dyn Any) -> AnyView + Send + Sync>;

/// The one body of every [`Loaded`]: its Transition, ErrorBoundary and
/// Suspend are compiled once, not once per type shown.
#[inline(never)]
fn loaded_view(resource: LocalResource<Erased>, render: Render, show_error: fn(ApiError) -> AnyView) -> AnyView {
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            <ErrorBoundary fallback=move |errors| show_error(first_api_error(&errors.get()))>
                {move || {
                    let render = render.clone();
                    Suspend::new(async move { resource.await.map(|v| render(&*v)) })
                }}
            </ErrorBoundary>
        </Transition>
    }
    .into_any()
}

/// A page's error panel.
fn page_error(e: ApiError) -> AnyView {
    view! { <ErrorView error=e/> }.into_any()
}

/// A page of a list: `rows` renders its rows (a `DataTable`), followed by
/// the pager, which calls `on_page` with the page to show.
#[component]
pub fn PagedList<T, V, F>(
    /// The page read.
    data: Read<Page<T>>,
    /// The view of the rows.
    rows: F,
    /// Called with the page to show.
    on_page: Callback<u32>,
) -> impl IntoView
where
    T: Clone + 'static,
    F: Fn(Vec<T>) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let content = move |page: Page<T>| {
        let pages = page.page_count();
        let (total, current) = (page.total, page.page);
        view! {
            {rows(page.rows)}
            <Pager total=total page=current pages=pages on_page=on_page/>
        }
    };
    view! { <Loaded data=data content=content/> }
}

/// A failure inside a dialog or form: the API's message as the form's error.
pub fn inline_error(e: ApiError) -> AnyView {
    view! { <p class="form-error" role="alert">{e.message}</p> }.into_any()
}

/// The first error the boundary caught, as the API's error (anything else
/// reads as an unexpected error).
fn first_api_error(errors: &Errors) -> ApiError {
    errors.iter().next().and_then(|(_, e)| e.downcast_ref::<ApiError>().cloned()).unwrap_or_else(|| ApiError {
        status: 0,
        code: "unexpected".into(),
        message: crate::i18n::t().error_title.into(),
    })
}
