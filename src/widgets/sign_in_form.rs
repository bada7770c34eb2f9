//! Email and password, checked by the server; on success the session
//! context holds the signed-in user (the page decides where to go next).

use crate::api;
use crate::state::session::use_session;
use crate::state::write::{failure, write};
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
    // What the browser itself finds wrong (the email's form, no password).
    let invalid = RwSignal::new(None::<String>);
    let sign_in = write(
        move |req: SignInRequest| async move { api::session::sign_in(&req).await },
        move |info| session.set(info),
    );

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sign_in.pending().get_untracked() {
            return;
        }
        let parsed = match Email::parse(&email.get_untracked()) {
            Ok(e) => e,
            Err(e) => {
                invalid.set(Some(t.email_error(&e).to_string()));
                return;
            }
        };
        if password.get_untracked().is_empty() {
            invalid.set(Some(t.enter_password.to_string()));
            return;
        }
        invalid.set(None);
        sign_in.dispatch(SignInRequest { email: parsed, password: password.get_untracked(), language: Some(t.lang) });
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
            {move || {
                invalid
                    .get()
                    .or_else(|| failure(sign_in).map(|e| e.message))
                    .map(|e| view! { <p class="form-error" role="alert">{e}</p> })
            }}
            <button type="submit" class="btn btn-primary btn-block" disabled=move || sign_in.pending().get()>
                {move || if sign_in.pending().get() { t.signing_in } else { t.sign_in }}
            </button>
        </form>
    }
}
