//! The check mark shown next to an email on a partner's verified domain.

use leptos::prelude::*;

/// A check mark with an accessible name (and a tooltip of the same text).
#[component]
pub fn CheckBadge(
    /// What the check mark means, e.g. "Verified partner domain".
    label: &'static str,
) -> impl IntoView {
    view! {
        <span class="check-badge" role="img" aria-label=label title=label>
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
                <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/>
            </svg>
        </span>
    }
}
