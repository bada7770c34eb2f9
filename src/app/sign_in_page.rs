//! `/sign-in`: email and password; afterwards back to where the person was
//! going (`?next=`), or to their current account.

use crate::entry::{safe_next, use_navigate};
use crate::state::session::use_session;
use crate::widgets::{LanguageSelect, SignInForm};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::NavigateOptions;

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let t = crate::i18n::t();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    Effect::new(move |_| {
        if session.signed_in() {
            let target = safe_next(query.read_untracked().get("next")).unwrap_or_else(|| session.home_path());
            navigate(&target, NavigateOptions { replace: true, ..Default::default() });
        }
    });
    view! {
        <main class="auth-page">
            <div class="auth-corner"><LanguageSelect/></div>
            <div class="auth-card">
                <div class="brand brand-large">
                    <span class="brand-mark" aria-hidden="true"></span>
                    {t.app_name}
                </div>
                <h1>{t.sign_in_title}</h1>
                <p class="hint">{t.sign_in_intro}</p>
                <SignInForm/>
            </div>
        </main>
    }
}
