//! What a grant will do, before it is confirmed: the permissions granted and
//! taken away, and — with the reason — those left alone because the acting
//! user does not hold them (SPEC R3) or the client's ceiling for the
//! person's partner leaves them out (R18). The change comes from the domain's
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
    /// What the ceiling's row is called: whose ceiling, for which partner
    /// ("Above Acme's ceiling for Northwind").
    above: String,
) -> impl IntoView {
    let t = crate::i18n::t();
    let limited = move || {
        let c = change.get();
        !(c.not_granted.is_empty() && c.not_removed.is_empty())
    };
    // Added and removed always; what was left alone, and why, when there is some.
    let rows = move || {
        let c = change.get();
        [
            (t.perms_added, c.added, true),
            (t.perms_removed, c.removed, true),
            (t.perms_not_granted, c.not_granted, false),
            (t.perms_kept, c.not_removed, false),
            ("", c.above_ceiling, false),
        ]
        .into_iter()
        .filter(|(_, perms, always)| *always || !perms.is_empty())
        .map(|(label, perms, _)| {
            let label = if label.is_empty() { above.clone() } else { label.to_string() };
            view! { <div><dt>{label}</dt><dd>{permission_list(perms)}</dd></div> }
        })
        .collect_view()
    };
    view! {
        <section class="grant-preview" aria-live="polite" aria-label=t.grant_preview>
            <dl class="preview">{rows}</dl>
            <Show when=limited>
                <p class="hint">{t.grant_rule_why}</p>
            </Show>
        </section>
    }
}
