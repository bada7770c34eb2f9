//! The super admin vs Partner Admin comparison of SPEC §3, shown wherever a
//! client decides.

use leptos::prelude::*;

/// The comparison table.
#[component]
pub fn ComparisonTable() -> impl IntoView {
    let t = crate::i18n::t();
    // Each capability's answers for a super admin and a Partner Admin
    // (SPEC §3), and which of them are a plain or qualified yes.
    let answers =
        [(t.yes, t.yes), (t.yes, t.no_billing_if_kept), (t.yes, t.yes_not_seat_based), (t.no, t.yes), (t.yes, t.no)];
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
                                    <td class=class(SUPER_ADMIN_YES[i]) data-label=t.super_admin>{answers[i].0}</td>
                                    <td class=class(PARTNER_ADMIN_YES[i]) data-label=t.access_labels[0]>{answers[i].1}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
