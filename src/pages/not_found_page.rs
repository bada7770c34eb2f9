//! The page for URLs that lead nowhere.

use crate::components::Shell;
use crate::state::session::use_session;
use leptos::prelude::*;

/// The not-found message, inside a page.
#[component]
pub fn NotFoundContent() -> impl IntoView {
    let t = crate::i18n::t();
    let session = use_session();
    view! {
        <section class="page">
            <div class="notice" role="alert">
                <h1>{t.not_found_title}</h1>
                <p>{t.not_found_text}</p>
                <p><a href=session.home_path()>{t.go_home}</a></p>
            </div>
        </section>
    }
}

/// The route fallback.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <Shell><NotFoundContent/></Shell> }
}
