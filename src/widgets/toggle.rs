//! An on/off switch.

use leptos::prelude::*;

/// A labelled switch (`role="switch"`).
#[component]
pub fn Toggle(
    /// The switch's label (its accessible name).
    label: &'static str,
    /// Whether it is on.
    #[prop(into)]
    checked: Signal<bool>,
    /// Called with the new value.
    on_change: Callback<bool>,
    /// A sentence under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="toggle-row">
            <button
                type="button"
                role="switch"
                class="toggle"
                class:on=move || checked.get()
                aria-checked=move || checked.get().to_string()
                aria-label=label
                on:click=move |_| on_change.run(!checked.get_untracked())
            >
                <span class="toggle-knob" aria-hidden="true"></span>
            </button>
            <div>
                <div class="toggle-label" aria-hidden="true">{label}</div>
                {hint.map(|h| view! { <div class="hint">{h}</div> })}
            </div>
        </div>
    }
}
