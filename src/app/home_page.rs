//! `/`: sends the person to their current account.

use crate::entry::Redirect;
use crate::state::session::use_session;
use crate::widgets::Shell;
use leptos::prelude::*;

/// The root page.
#[component]
pub fn HomePage() -> impl IntoView {
    let t = crate::i18n::t();
    let session = use_session();
    view! {
        <Shell>
            {move || match session.info().and_then(|i| i.current_account_id) {
                Some(_) => view! { <Redirect path=session.home_path()/> }.into_any(),
                None => view! { <section class="page"><p class="notice">{t.no_accounts}</p></section> }.into_any(),
            }}
        </Shell>
    }
}
