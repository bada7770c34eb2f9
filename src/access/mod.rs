//! `<AccessApp/>`: the entry point a client reaches from an access-link
//! email. It holds only the access-link page (with its own sign-in form) and
//! no router, so the partner application is not downloaded to answer one
//! request. Any other address is loaded afresh from the server, which
//! answers with the full app.

use crate::pages::AccessPage;
use crate::state::session::provide_session;
use leptos::prelude::*;

/// The access-link entry point.
#[component]
pub fn AccessApp() -> impl IntoView {
    if crate::entry::leave_if_elsewhere() {
        return view! { <crate::components::Loading/> }.into_any();
    }
    provide_session();
    view! { <AccessPage/> }.into_any()
}
