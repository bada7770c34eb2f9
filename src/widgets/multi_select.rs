//! A dropdown of checkboxes (optionally searchable) for choosing several values.

use crate::widgets::close_on_escape;
use leptos::prelude::*;

/// One choice: its value and its label; disabled ones say why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub disabled_reason: Option<String>,
}

impl SelectOption {
    /// An enabled option.
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> SelectOption {
        SelectOption { value: value.into(), label: label.into(), disabled_reason: None }
    }
}

/// A button named `label` that opens a list of checkboxes.
#[component]
pub fn MultiSelect(
    /// The control's name, e.g. "Access types".
    label: &'static str,
    /// The choices.
    #[prop(into)]
    options: Signal<Vec<SelectOption>>,
    /// The values currently chosen.
    #[prop(into)]
    selected: Signal<Vec<String>>,
    /// Called with the new choice after every change.
    on_change: Callback<Vec<String>>,
    /// Offer a search box above the choices.
    #[prop(optional)]
    searchable: bool,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let filter = RwSignal::new(String::new());
    let count = move || selected.with(Vec::len);
    let toggle_value = move |value: String, on: bool| {
        let mut v = selected.get();
        v.retain(|x| *x != value);
        if on {
            v.push(value);
        }
        on_change.run(v);
    };
    view! {
        <div class="multi-select" on:keydown=move |ev| close_on_escape(ev, open)>
            <button
                type="button"
                class="btn multi-select-button"
                aria-haspopup="true"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {label}
                <span class="count-badge" aria-hidden="true">{count}</span>
                <span class="caret" aria-hidden="true">"▾"</span>
            </button>
            <Show when=move || open.get()>
                <div class="menu-backdrop" on:click=move |_| open.set(false)></div>
                <div class="menu multi-select-menu" role="group" aria-label=label>
                    {searchable.then(|| view! {
                        <input
                            type="search"
                            class="input"
                            aria-label=crate::i18n::t().search_in(crate::format::lower(label))
                            placeholder=crate::i18n::t().search_in(crate::format::lower(label))
                            prop:value=move || filter.get()
                            on:input=move |ev| filter.set(event_target_value(&ev))
                        />
                    })}
                    {move || {
                        let f = crate::format::lower(&filter.get());
                        options
                            .get()
                            .into_iter()
                            .filter(|o| f.is_empty() || crate::format::lower(&o.label).contains(&f))
                            .map(|o| {
                                let value = o.value.clone();
                                let checked = selected.with(|s| s.contains(&o.value));
                                let disabled = o.disabled_reason.is_some();
                                view! {
                                    <label class="check-option" class:disabled=disabled>
                                        <input
                                            type="checkbox"
                                            prop:checked=checked
                                            disabled=disabled
                                            on:change=move |ev| toggle_value(value.clone(), event_target_checked(&ev))
                                        />
                                        <span>{o.label}</span>
                                        {o.disabled_reason.map(|r| view! { <span class="option-reason">{r}</span> })}
                                    </label>
                                }
                            })
                            .collect_view()
                    }}
                </div>
            </Show>
        </div>
    }
}
