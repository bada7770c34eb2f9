//! An API error shown to the person: a title for its kind and the server's
//! own message (which names the rule for refusals).

use crate::api::ApiError;
use crate::state::session::use_session;
use leptos::prelude::*;

/// A calm error panel.
#[component]
pub fn ErrorView(
    /// The error to explain.
    error: ApiError,
    /// An optional title instead of the one for the error's kind.
    #[prop(optional)]
    title: Option<&'static str>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let session = use_session();
    let heading = title.unwrap_or(match error.status {
        403 => t.forbidden_title,
        404 => t.not_found_title,
        401 => t.sign_in_title,
        _ => t.error_title,
    });
    let message = if error.status == 404 { t.not_found_text.to_string() } else { error.message.clone() };
    if error.is_unauthorized() {
        session.clear();
    }
    // What may pass (a server or network hiccup) offers Try again, which
    // loads the page afresh; a refusal or a missing page does not.
    let retry = !matches!(error.status, 401 | 403 | 404 | 422);
    view! {
        <section class="notice notice-error" role="alert">
            <h2>{heading}</h2>
            <p>{message}</p>
            <div class="button-row left">
                {retry.then(|| view! {
                    <button type="button" class="btn btn-primary" on:click=|_| { let _ = window().location().reload(); }>{t.try_again}</button>
                })}
                <HomeLink/>
            </div>
        </section>
    }
}

/// "Go to your home page": the person's landing page, which may be another
/// entry point's page (then the browser loads it).
#[component]
pub fn HomeLink() -> impl IntoView {
    let home = use_session().home_path();
    view! { <a class="btn" rel=crate::entry::rel(&home) href=home>{crate::i18n::t().go_home}</a> }
}
