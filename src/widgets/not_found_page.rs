//! The page for URLs that lead nowhere, and the guard of every account
//! page: an account the person is not a member of does not exist for them.

use crate::state::list_query::use_account_id;
use crate::state::session::use_session;
use crate::widgets::{HomeLink, Shell};
use domain::api::MembershipSummary;
use leptos::prelude::*;

/// The page of the account in the address, given the person's membership
/// there; the not-found message when they have none.
#[component]
pub fn InAccount<F, V>(
    /// The page, given the membership.
    content: F,
) -> impl IntoView
where
    F: Fn(MembershipSummary) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let session = use_session();
    let account_id = use_account_id();
    move || match account_id.get().and_then(|id| session.membership(id)) {
        Some(m) => content(m).into_any(),
        None => view! { <NotFoundContent/> }.into_any(),
    }
}

/// The not-found message, inside a page.
#[component]
pub fn NotFoundContent() -> impl IntoView {
    let t = crate::i18n::t();
    view! {
        <section class="page">
            <div class="notice" role="alert">
                <h1>{t.not_found_title}</h1>
                <p>{t.not_found_text}</p>
                <p><HomeLink/></p>
            </div>
        </section>
    }
}

/// The route fallback.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <Shell><NotFoundContent/></Shell> }
}

/// A URL without a screen here: another entry point's page, or not found.
#[component]
pub fn Elsewhere() -> impl IntoView {
    if crate::entry::leave_if_elsewhere() {
        return ().into_any();
    }
    view! { <NotFoundPage/> }.into_any()
}
