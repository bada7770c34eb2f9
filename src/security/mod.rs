//! The sign-in security entry point (`security.html`, `src/bin/security.rs`,
//! mounted by [`crate::start_security`]), R20: the user's own second factors
//! (`/security`; `/security/required` where an account that requires one
//! sends a member without one), the second step of a sign-in (`/security/verify`), and an
//! account's requirement with its members' factors
//! (`/security/accounts/:id`). Its words are in their own
//! catalogue ([`crate::i18n::security`]), which only this page downloads.

mod account_page;
mod code_field;
mod factors_page;
mod passkey;
mod verify_page;

use crate::widgets::EntryRoutes;
use leptos::prelude::*;
use leptos_router::components::Route;
use leptos_router::path;

/// Sign-in security's routes.
#[component]
pub fn SecurityApp() -> impl IntoView {
    view! {
        <EntryRoutes>
            <Route path=path!("/security") view=factors_page::FactorsPage/>
            <Route path=path!("/security/required") view=factors_page::FactorsPage/>
            <Route path=path!("/security/verify") view=verify_page::VerifyPage/>
            <Route path=path!("/security/accounts/:account_id") view=account_page::AccountSecurityPage/>
        </EntryRoutes>
    }
}

/// An error of these pages in the user's words: the codes only they meet,
/// from their own catalogue; anything else as the shared texts word it.
fn error_text(e: &crate::api::ApiError) -> String {
    let st = crate::i18n::security::st();
    match e.code.as_str() {
        "code_invalid" => st.code_invalid.to_string(),
        "forbidden" => st.reset_not_allowed.to_string(),
        "invalid_state" => st.no_choice.to_string(),
        _ => e.message.clone(),
    }
}
