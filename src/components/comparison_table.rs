//! The super admin vs Partner Admin comparison of SPEC §3, shown wherever a
//! client decides.

use leptos::prelude::*;

/// The comparison table.
#[component]
pub fn ComparisonTable() -> impl IntoView {
    let t = crate::i18n::t();
    let yes_class = |v: &str| if v.starts_with("Yes") { "yes" } else { "no" };
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
                    {t
                        .comparison_rows
                        .iter()
                        .map(|(what, sa, pa)| {
                            view! {
                                <tr>
                                    <th scope="row">{*what}</th>
                                    <td class=yes_class(sa)>{*sa}</td>
                                    <td class=yes_class(pa)>{*pa}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
