//! The language menu: in the top bar of every screen, on sign-in and on the
//! access-link page. Each language is named in itself.

use crate::state::session::Session;
use domain::i18n::Lang;
use leptos::prelude::*;

/// A dropdown of the product's languages; choosing one shows the page in it.
#[component]
pub fn LanguageSelect() -> impl IntoView {
    let t = crate::i18n::t();
    // Signed-in users keep their choice on the server too.
    let session = use_context::<Session>();
    let on_change = move |ev: leptos::ev::Event| {
        if let Ok(lang) = Lang::try_from(event_target_value(&ev)) {
            let signed_in = session.is_some_and(|s| s.signed_in());
            crate::state::language::choose(lang, signed_in);
        }
    };
    view! {
        <select class="input language-select" aria-label=t.language title=t.language on:change=on_change>
            {Lang::ALL
                .iter()
                .map(|l| view! { <option value=l.tag() lang=l.tag() selected=*l == t.lang>{l.native_name()}</option> })
                .collect_view()}
        </select>
    }
}
