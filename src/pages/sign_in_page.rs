//! `/sign-in`: email and password; afterwards back to where the person was
//! going (`?next=`), or to their current account.

use crate::api;
use crate::state::session::use_session;
use domain::api::SignInRequest;
use domain::Email;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
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
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    Effect::new(move |_| {
        if session.signed_in() {
            let target = safe_next(query.read_untracked().get("next")).unwrap_or_else(|| session.home_path());
            navigate(&target, NavigateOptions { replace: true, ..Default::default() });
        }
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let parsed = match Email::parse(&email.get_untracked()) {
            Ok(e) => e,
            Err(e) => {
                error.set(Some(e.to_string()));
                return;
            }
        };
        if password.get_untracked().is_empty() {
            error.set(Some(t.enter_password.to_string()));
            return;
        }
        error.set(None);
        pending.set(true);
        let req = SignInRequest { email: parsed, password: password.get_untracked() };
        leptos::task::spawn_local(async move {
            match api::session::sign_in(&req).await {
                Ok(info) => session.set(info),
                Err(e) => {
                    error.set(Some(e.message));
                    pending.set(false);
                }
            }
        });
    };

    view! {
        <main class="auth-page">
            <div class="auth-card">
                <div class="brand brand-large">
                    <span class="brand-mark" aria-hidden="true"></span>
                    {t.app_name}
                </div>
                <h1>{t.sign_in_title}</h1>
                <p class="hint">{t.sign_in_intro}</p>
                <form class="form" on:submit=submit novalidate>
                    <div class="field">
                        <label for="email">{t.email}</label>
                        <input
                            id="email"
                            class="input"
                            type="email"
                            autocomplete="username"
                            required
                            prop:value=move || email.get()
                            on:input=move |ev| email.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label for="password">{t.password}</label>
                        <input
                            id="password"
                            class="input"
                            type="password"
                            autocomplete="current-password"
                            required
                            prop:value=move || password.get()
                            on:input=move |ev| password.set(event_target_value(&ev))
                        />
                    </div>
                    {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>
                        {move || if pending.get() { t.signing_in } else { t.sign_in }}
                    </button>
                </form>
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
