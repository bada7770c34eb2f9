//! Permissions as a list of checkboxes grouped like the catalogue. R15: the
//! Partner Admin permissions, which the approving client may untick before
//! granting access (what the approver does not hold is shown, unticked and
//! not to be ticked, R3). R18: the permissions a ceiling is chosen from.

use domain::{Permission, PermissionGroup, Perms};
use leptos::prelude::*;

/// The `offered` permissions, grouped; `keep` holds the ticked ones.
#[component]
pub fn NarrowPermissions(
    /// The permissions listed.
    offered: Perms,
    /// Those that may be ticked (what the approver holds).
    you_hold: Perms,
    keep: RwSignal<Perms>,
    /// The list's name, and a line under it (none when empty).
    legend: &'static str,
    hint: &'static str,
) -> impl IntoView {
    let t = crate::i18n::t();
    let set = offered;
    let groups = PermissionGroup::ALL
        .iter()
        .filter_map(|g| {
            let perms: Vec<Permission> = g.permissions().filter(|p| offered.contains(*p)).collect();
            (!perms.is_empty()).then_some((*g, perms))
        })
        .collect::<Vec<_>>();
    let all_on = move || keep.get() == set.intersection(you_hold);
    view! {
        <fieldset class="narrow">
            <legend>{legend}</legend>
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <div class="button-row left">
                <button
                    type="button"
                    class="btn btn-link"
                    disabled=all_on
                    on:click=move |_| keep.set(set.intersection(you_hold))
                >
                    {t.tick_all}
                </button>
            </div>
            <div class="narrow-groups">
                {groups
                    .into_iter()
                    .map(|(g, perms)| {
                        view! {
                            <div class="narrow-group" role="group" aria-label=t.group(g)>
                                <h4>{t.group(g)}</h4>
                                {perms
                                    .into_iter()
                                    .map(|p| {
                                        let held = you_hold.contains(p);
                                        view! {
                                            <label class="check-option" class:disabled=!held>
                                                <input
                                                    type="checkbox"
                                                    disabled=!held
                                                    prop:checked=move || keep.get().contains(p)
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        keep.update(|k| *k = if on { k.with(p) } else { k.without(p) });
                                                    }
                                                />
                                                <span>{t.permission(p)}</span>
                                                {(!held).then(|| view! { <span class="option-reason">{t.you_lack}</span> })}
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}
