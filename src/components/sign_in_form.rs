//! Email and password, checked by the server; on success the session
//! context holds the signed-in user (the page decides where to go next).

use crate::api;
use crate::state::session::use_session;
use domain::api::SignInRequest;
use domain::Email;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// The sign-in form.
#[component]
pub fn SignInForm() -> impl IntoView {
    let t = crate::i18n::t();
    let session = use_session();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

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
    }
}
