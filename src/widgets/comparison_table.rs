//! The super admin vs Partner Admin comparison of SPEC §3, shown wherever a
//! client decides.

use leptos::prelude::*;

/// The comparison table.
#[component]
pub fn ComparisonTable() -> impl IntoView {
    let t = crate::i18n::t();
    // The answers that are a plain or qualified yes, by position in
    // `comparison_super_admin` / `comparison_partner_admin` (SPEC §3).
    const SUPER_ADMIN_YES: [bool; 5] = [true, true, true, false, true];
    const PARTNER_ADMIN_YES: [bool; 5] = [true, false, true, true, false];
    let class = |yes: bool| if yes { "yes" } else { "no" };
    view! {
        <div class="table-wrap">
            <table class="data-table comparison" aria-label=t.comparison_caption>
                <thead>
                    <tr>
                        <th scope="col">{t.capability}</th>
                        <th scope="col">{t.super_admin}</th>
                        <th scope="col">{t.access_labels[0]}</th>
                    </tr>
                </thead>
                <tbody>
                    {(0..5)
                        .map(|i| {
                            view! {
                                <tr>
                                    <th scope="row">{t.comparison_capabilities[i]}</th>
                                    <td class=class(SUPER_ADMIN_YES[i])>{t.comparison_super_admin[i]}</td>
                                    <td class=class(PARTNER_ADMIN_YES[i])>{t.comparison_partner_admin[i]}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
