//! Email and password, checked by the server; on success the session
//! context holds the signed-in user (the page decides where to go next).
//! Each field is checked at the field (see [`crate::widgets::field`]): the
//! email by the domain's own parser, the password for being there.

use crate::api;
use crate::state::session::use_session;
use crate::state::write::{failure, write};
use crate::widgets::{check_fields_in, FieldError, FieldMessage};
use domain::api::SignInRequest;
use domain::Email;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The sign-in form.
#[component]
pub fn SignInForm() -> impl IntoView {
    let t = crate::i18n::t();
    let session = use_session();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let email_error =
        FieldError::new("email", move || Email::parse(&email.get_untracked()).err().map(|e| t.email_error(&e).into()));
    let password_error = FieldError::new("password", move || {
        password.with_untracked(String::is_empty).then(|| t.enter_password.to_string())
    });
    let sign_in = write(
        move |req: SignInRequest| async move { api::session::sign_in(&req).await },
        move |info| session.set(info),
    );

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sign_in.pending().get_untracked() {
            return;
        }
        let form = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        if form.is_some_and(|form| !check_fields_in(&form)) {
            return;
        }
        let Ok(parsed) = Email::parse(&email.get_untracked()) else { return };
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
                <FieldMessage error=email_error/>
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
                <FieldMessage error=password_error/>
            </div>
            {move || failure(sign_in).map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
            <button type="submit" class="btn btn-primary btn-block" disabled=move || sign_in.pending().get()>
                {move || if sign_in.pending().get() { t.signing_in } else { t.sign_in }}
            </button>
        </form>
    }
}
