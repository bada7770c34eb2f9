//! Where toasts appear.

use crate::state::toasts::use_toasts;
use leptos::prelude::*;

/// The live region that shows the toasts of the context.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = use_toasts();
    let t = crate::i18n::t();
    view! {
        <div class="toasts" role="status" aria-live="polite" aria-label=t.notifications_region>
            <For each=move || toasts.items() key=|toast| toast.id let:toast>
                <div class="toast" class:toast-error=toast.error>
                    <span>{toast.text.clone()}</span>
                    <button type="button" class="icon-button" aria-label=t.close on:click=move |_| toasts.dismiss(toast.id)>"×"</button>
                </div>
            </For>
        </div>
    }
}
