//! `<AccessApp/>`: the entry point a client reaches from an access-link
//! email (`access.html`, `src/bin/access.rs`, mounted by
//! [`crate::start_access`]; the server answers `/access/:token` with it). It
//! holds only the access-link page (with its own sign-in form) and no
//! router, so the partner application is not downloaded to answer one
//! request. Any other address is loaded afresh from the server, which
//! answers with the full app.

mod access_page;

use crate::state::session::provide_session;
use access_page::AccessPage;
use leptos::prelude::*;

/// The access-link entry point.
#[component]
pub fn AccessApp() -> impl IntoView {
    if crate::entry::leave_if_elsewhere() {
        return view! { <crate::widgets::Loading/> }.into_any();
    }
    provide_session();
    view! { <AccessPage/> }.into_any()
}
