//! The one field a second factor is typed into: six digits of an
//! authenticator app or a recovery code, `autocomplete="one-time-code"` so
//! that phones offer a code they received, labelled and described for
//! screen readers.

use leptos::prelude::*;

/// A code field bound to `code`.
#[component]
pub fn CodeField(
    /// The field's id (its label points at it).
    id: &'static str,
    /// The label.
    label: &'static str,
    /// The sentence under the label.
    hint: &'static str,
    code: RwSignal<String>,
    /// Focused when shown.
    #[prop(optional)]
    autofocus: bool,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <input
                id=id
                class="input mono"
                type="text"
                inputmode="text"
                autocomplete="one-time-code"
                autocapitalize="off"
                spellcheck="false"
                maxlength="20"
                required
                autofocus=autofocus
                aria-describedby=hint_id
                prop:value=move || code.get()
                on:input=move |ev| code.set(event_target_value(&ev))
            />
        </div>
    }
}
