//! Paging controls under a list.

use leptos::prelude::*;

/// "N results · Page p of n" with Previous and Next buttons.
#[component]
pub fn Pager(
    /// Rows in the whole list.
    total: u64,
    /// The page shown, from 1.
    page: u32,
    /// Number of pages.
    pages: u32,
    /// Called with the page to show.
    on_page: Callback<u32>,
) -> impl IntoView {
    let t = crate::i18n::t();
    view! {
        <nav class="pager" aria-label=t.pagination>
            <span class="pager-total">{t.results(total)}</span>
            <span class="pager-spacer"></span>
            <button type="button" class="btn btn-small" disabled={page <= 1} on:click=move |_| on_page.run(page - 1)>
                {t.previous_page}
            </button>
            <span class="pager-page" aria-current="page">{t.page_of(page, pages)}</span>
            <button type="button" class="btn btn-small" disabled={page >= pages} on:click=move |_| on_page.run(page + 1)>
                {t.next_page}
            </button>
        </nav>
    }
}
