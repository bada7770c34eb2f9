//! `/security/verify`: a sign-in's second step. The password was right;
//! the person gives their second factor — a code from their authenticator
//! app, a recovery code, or a passkey — and goes on to where sign-in was
//! going (the page that sent it here: the same-origin referrer). Until then the session grants nothing.

use super::code_field::CodeField;
use super::error_text;
use crate::api;
use crate::entry::use_navigate;
use crate::i18n::security::st;
use crate::state::read::read;
use crate::state::write::{failure, write};
use crate::widgets::{LanguageSelect, Loaded};
use leptos::prelude::*;
use leptos_router::NavigateOptions;

/// The second step of a sign-in.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let t = crate::i18n::t();
    let st = st();
    let navigate = use_navigate();
    // Back where sign-in was asked for (the sign-in page too, which then
    // goes where it was going).
    let next = || crate::entry::return_path().unwrap_or_else(|| "/".to_string());
    let methods = read(api::security::pending);
    let code = RwSignal::new(String::new());
    let go_on = navigate.clone();
    let complete = write(
        move |c: String| async move {
            // The waiting sign-in's CSRF token comes with its methods; asked
            // again right before, since the page's first session read (signed
            // out: none) may have cleared it.
            api::security::pending().await?;
            api::security::complete(c).await
        },
        move |_| go_on(&next(), NavigateOptions { replace: true, ..Default::default() }),
    );
    let passkey = super::factors_page::passkey_sign_in(move || {
        navigate(&next(), NavigateOptions { replace: true, ..Default::default() })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked();
        if !typed.trim().is_empty() && !complete.pending().get_untracked() {
            complete.dispatch(typed);
        }
    };
    view! {
        <main class="auth-page">
            <div class="auth-corner"><LanguageSelect/></div>
            <div class="auth-card">
                <div class="brand brand-large">
                    <span class="brand-mark" aria-hidden="true"></span>
                    {t.app_name}
                </div>
                <h1>{st.verify_title}</h1>
                <Loaded
                    data=methods
                    error={|_| view! {
                        <p class="hint">{crate::i18n::t().error_unauthorized}</p>
                        <p class="spaced"><a class="btn btn-primary btn-block" href="/sign-in" rel="external">{crate::i18n::t().sign_in}</a></p>
                    }.into_any()}
                    content={move |m: domain::api::PendingFactor| view! {
                        <p class="hint">{st.verify_intro}</p>
                        <form class="form" on:submit=submit novalidate>
                            <CodeField id="code" label=st.code_label hint=st.current_code_hint code=code autofocus=true/>
                            {move || failure(complete).map(|e| view! { <p class="form-error" role="alert">{error_text(&e)}</p> })}
                            <button type="submit" class="btn btn-primary btn-block" disabled=move || complete.pending().get()>
                                {st.verify}
                            </button>
                        </form>
                        {m.passkey.then(|| view! {
                            <div class="spaced">
                                {move || failure(passkey).map(|_| view! { <p class="form-error" role="alert">{st.passkey_failed}</p> })}
                                <button type="button" class="btn btn-block" disabled=move || passkey.pending().get() on:click=move |_| passkey.dispatch(())>
                                    {st.use_passkey}
                                </button>
                            </div>
                        })}
                        {(m.recovery_codes_left > 0).then(|| view! { <p class="hint spaced">{st.codes_left(m.recovery_codes_left)}</p> })}
                    }}
                />
            </div>
        </main>
    }
}
