//! The partner-terms entry point (`terms.html`, `src/bin/terms.rs`, mounted
//! by [`crate::start_terms`]): what a client account sets for one partner
//! (R18) — its ceiling and the end of the relationship — opened from
//! Settings > Partner access. Only the people who change them download its
//! code. Its route table is `<TermsApp/>` below.

mod terms_page;

use crate::widgets::EntryRoutes;
use leptos::prelude::*;
use leptos_router::components::Route;
use leptos_router::path;
use terms_page::PartnerTermsPage;

/// One partner's terms in a client account.
#[component]
pub fn TermsApp() -> impl IntoView {
    view! {
        <EntryRoutes>
            <Route path=path!("/accounts/:account_id/settings/partner-access/:partner_id") view=PartnerTermsPage/>
        </EntryRoutes>
    }
}
