//! The loading state of a view.

use leptos::prelude::*;

/// A quiet spinner with "Loading…" for screen readers and sighted users alike.
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <div class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            {crate::i18n::t().loading}
        </div>
    }
}
