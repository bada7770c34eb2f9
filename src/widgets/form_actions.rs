//! The end of every form and dialog: the last failure of its write, Cancel,
//! and the button that sends it (disabled while the write runs).

use crate::state::write::WriteState;
use leptos::prelude::*;

/// Error, Cancel and submit of a form whose write is `action`.
#[component]
pub fn FormActions(
    /// The form's write.
    #[prop(into)]
    action: WriteState,
    /// The submit button's label.
    label: &'static str,
    /// Sends the form (usually dispatches `action`).
    on_submit: Callback<()>,
    /// Closes the form without sending.
    on_cancel: Callback<()>,
    /// The submit button is also disabled while this is true.
    #[prop(optional, into)]
    disabled: Signal<bool>,
    /// The submit button is a destructive one.
    #[prop(optional)]
    danger: bool,
    /// The submit button's label while the write runs (else `label`).
    #[prop(optional)]
    pending_label: Option<&'static str>,
    /// The other button's label (else *Cancel*), e.g. *Back* in a wizard.
    #[prop(optional)]
    cancel_label: Option<&'static str>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let class = if danger { "btn btn-danger" } else { "btn btn-primary" };
    view! {
        {move || action.failure().map(|e| view! { <p class="form-error spaced" role="alert">{e.message}</p> })}
        <div class="button-row">
            <button type="button" class="btn" disabled=move || action.pending().get() on:click=move |_| on_cancel.run(())>
                {cancel_label.unwrap_or(t.cancel)}
            </button>
            <button
                type="button"
                class=class
                disabled=move || action.pending().get() || disabled.get()
                on:click=move |_| on_submit.run(())
            >
                {move || if action.pending().get() { pending_label.unwrap_or(label) } else { label }}
            </button>
        </div>
    }
}
