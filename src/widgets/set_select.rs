//! The **Permission set** dropdown of the standard sets, used wherever a
//! set is chosen: Add employees, Change permission set, Create user's
//! template, Edit permissions.

use domain::StandardSet;
use leptos::prelude::*;

/// A dropdown of the standard sets holding the chosen set's key.
#[component]
pub fn SetSelect(
    /// The chosen set's key (empty for the "none" entry).
    value: RwSignal<String>,
    /// The element id (the label points at it).
    #[prop(default = "permission-set")]
    id: &'static str,
    /// The label; "Permission set" when not given.
    #[prop(optional)]
    label: Option<&'static str>,
    /// An entry for no set at all, with this text.
    #[prop(optional)]
    none: Option<&'static str>,
    /// The sets offered; every standard set when not given.
    #[prop(optional)]
    sets: Option<Vec<StandardSet>>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let sets = sets.unwrap_or_else(|| StandardSet::ALL.to_vec());
    view! {
        <div class="field">
            <label for=id>{label.unwrap_or(t.permission_set)}</label>
            <select id=id class="input" on:change=move |ev| value.set(event_target_value(&ev))>
                {none.map(|text| view! { <option value="" selected=move || value.get().is_empty()>{text}</option> })}
                {sets
                    .into_iter()
                    .map(|s| view! { <option value=s.key() selected=move || value.get() == s.key()>{crate::i18n::t().standard_set(s)}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}
