//! `/sign-in`: email and password; afterwards back to where the person was
//! going (`?next=`), or to their current account.

use crate::entry::use_navigate;
use crate::state::session::use_session;
use crate::widgets::{LanguageSelect, SignInForm};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::NavigateOptions;

/// Only same-site paths are followed after sign-in (no open redirect).
pub fn safe_next(next: Option<String>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") && !n.starts_with("/sign-in"))
}

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

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_same_site_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/accounts/1".into())).as_deref(), Some("/accounts/1"));
        for bad in ["//evil.example", "https://evil.example", "/\\evil.example", "/sign-in?next=/x", ""] {
            assert_eq!(safe_next(Some(bad.into())), None, "{bad}");
        }
    }
}
