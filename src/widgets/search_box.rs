//! A search field that reports what was typed after a short pause.

use leptos::prelude::*;
use std::time::Duration;

/// A labelled search input; `on_search` runs 250 ms after typing stops.
#[component]
pub fn SearchBox(
    /// Accessible name and placeholder, e.g. "Search clients".
    label: &'static str,
    /// The text to start with.
    #[prop(into)]
    value: String,
    /// Called with the trimmed text.
    on_search: Callback<String>,
) -> impl IntoView {
    let generation = StoredValue::new(0u64);
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        let g = generation.get_value() + 1;
        generation.set_value(g);
        set_timeout(
            move || {
                // The box may be gone (the person navigated away) by now.
                if generation.try_get_value() == Some(g) {
                    on_search.try_run(text.trim().to_string());
                }
            },
            Duration::from_millis(250),
        );
    };
    view! {
        <div class="search-box">
            <svg class="search-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
                <circle cx="7" cy="7" r="5" fill="none" stroke="currentColor" stroke-width="1.6"/>
                <path d="M11 11l3.5 3.5" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>
            </svg>
            <input type="search" class="input" aria-label=label placeholder=label value=value on:input=on_input/>
        </div>
    }
}
