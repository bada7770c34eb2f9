//! What a grant will do, before it is confirmed: the permissions granted and
//! taken away, and — with the reason — those left alone because the acting
//! user does not hold them (SPEC R3). The change comes from the domain's
//! grant rule, the same function the server decides with.

use crate::format::permission_list;
use domain::PermissionChange;
use leptos::prelude::*;

/// The preview of one grant, announced politely to screen readers.
#[component]
pub fn GrantPreview(
    /// The change as the grant rule computes it.
    #[prop(into)]
    change: Signal<PermissionChange>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let limited = move || {
        let c = change.get();
        !(c.not_granted.is_empty() && c.not_removed.is_empty())
    };
    view! {
        <section class="grant-preview" aria-live="polite" aria-label=t.grant_preview>
            <dl class="preview">
                <div><dt>{t.perms_added}</dt><dd>{move || permission_list(change.get().added)}</dd></div>
                <div><dt>{t.perms_removed}</dt><dd>{move || permission_list(change.get().removed)}</dd></div>
                <Show when=move || !change.get().not_granted.is_empty()>
                    <div><dt>{t.perms_not_granted}</dt><dd>{move || permission_list(change.get().not_granted)}</dd></div>
                </Show>
                <Show when=move || !change.get().above_ceiling.is_empty()>
                    <div><dt>{t.perms_above_ceiling}</dt><dd>{move || permission_list(change.get().above_ceiling)}</dd></div>
                </Show>
                <Show when=move || !change.get().not_removed.is_empty()>
                    <div><dt>{t.perms_kept}</dt><dd>{move || permission_list(change.get().not_removed)}</dd></div>
                </Show>
            </dl>
            <Show when=limited>
                <p class="hint">{t.grant_rule_why}</p>
            </Show>
        </section>
    }
}
