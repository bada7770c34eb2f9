//! How a page shows what it reads: while the resource loads, a spinner (the
//! previous content stays while it reloads: `<Transition>`); when the read
//! failed, an `<ErrorBoundary>` shows the API's message ([`ErrorView`]);
//! otherwise the content. [`PagedList`] adds the pager under a page of rows.

use super::{ErrorView, Loading, Pager};
use crate::api::ApiError;
use crate::state::read::Read;
use domain::api::Page;
use leptos::prelude::*;

/// A read shown as loading, its error, or `content` of its value.
#[component]
pub fn Loaded<T, V, F>(
    /// What is read.
    data: Read<T>,
    /// The view of the value.
    content: F,
) -> impl IntoView
where
    T: Clone + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView error=first_api_error(&errors.get())/> }>
                {move || {
                    let content = content.clone();
                    Suspend::new(async move { data.value().await.map(content) })
                }}
            </ErrorBoundary>
        </Transition>
    }
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

/// The first error the boundary caught, as the API's error (anything else
/// reads as an unexpected error).
fn first_api_error(errors: &Errors) -> ApiError {
    errors.iter().next().and_then(|(_, e)| e.downcast_ref::<ApiError>().cloned()).unwrap_or_else(|| ApiError {
        status: 0,
        code: "unexpected".into(),
        message: crate::i18n::t().error_title.into(),
    })
}
