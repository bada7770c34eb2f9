//! Client Access Manager > **Coverage** (R17): the partner's clients by its
//! employees as a grid coloured by access, with how recently each acted
//! there — gaps and over-provisioning at a glance. Clients are paged (and
//! searched) on the server, employees a screen of columns at a time.

use crate::api;
use crate::api::cam::ListParams;
use crate::state::list_query::{use_list_controls, use_list_query, DefaultSort};
use crate::state::read::read;
use crate::widgets::cam_frame::{CamFrame, CamTab};
use crate::widgets::{Loaded, Pager, SearchBox};
use domain::api::{Coverage, CoverageCell, Recency};
use domain::AccessType;
use leptos::prelude::*;

fn cell_class(c: CoverageCell) -> String {
    let access = match c.access {
        AccessType::PartnerAdmin => "cov-pa",
        AccessType::OtherSet => "cov-set",
        AccessType::SuperAdmin => "cov-sa",
        AccessType::Deactivated => "cov-off",
        AccessType::None => "cov-none",
    };
    let recency = match c.recency {
        Recency::Week => "rec-week",
        Recency::Month => "rec-month",
        Recency::Quarter => "rec-quarter",
        Recency::Older => "rec-older",
        Recency::Never => "rec-never",
    };
    format!("cov-cell {access} {recency}")
}

/// `/accounts/:id/client-access-manager/coverage`.
#[component]
pub fn CamCoveragePage() -> impl IntoView {
    view! { <CamFrame tab=CamTab::Coverage content=|id| view! { <CoverageTab account_id=id/> }.into_any()/> }
}

/// The Coverage tab.
#[component]
pub fn CoverageTab(account_id: i64) -> impl IntoView {
    let t = crate::i18n::t();
    let lq = use_list_query();
    let list = use_list_controls(lq, DefaultSort::by(""));
    let data = read(move || {
        let p = lq.params.get();
        async move { api::review::coverage(account_id, &p).await }
    });
    let on_columns = list.change(|p: &mut ListParams, columns: u32| p.columns = columns, false);
    let legend = [
        (AccessType::PartnerAdmin, "cov-pa"),
        (AccessType::OtherSet, "cov-set"),
        (AccessType::SuperAdmin, "cov-sa"),
        (AccessType::Deactivated, "cov-off"),
        (AccessType::None, "cov-none"),
    ];
    let recencies = [
        (Recency::Week, "rec-week"),
        (Recency::Month, "rec-month"),
        (Recency::Quarter, "rec-quarter"),
        (Recency::Older, "rec-older"),
        (Recency::Never, "rec-never"),
    ];
    view! {
        <div class="toolbar">
            <SearchBox label=t.search_clients value=lq.params.get_untracked().q on_search=list.on_search/>
        </div>
        <div class="legend" aria-label=t.legend role="group">
            {legend.into_iter().map(|(a, class)| view! {
                <span class="legend-item"><span class=format!("cov-swatch {class}") aria-hidden="true"></span>{t.access_type(a)}</span>
            }).collect_view()}
            <span class="legend-gap"></span>
            {recencies.into_iter().map(|(r, class)| view! {
                <span class="legend-item"><span class=format!("cov-swatch cov-recency {class}") aria-hidden="true"></span>{t.recency(r)}</span>
            }).collect_view()}
        </div>
        <Loaded data=data content={move |c: Coverage| {
            let pages = c.clients.page_count();
            let col_pages = (c.employee_total.div_ceil(u64::from(c.columns_per_page.max(1)))).max(1) as u32;
            let first = u64::from(c.columns - 1) * u64::from(c.columns_per_page) + 1;
            let last = (first + c.employees.len() as u64).saturating_sub(1);
            let names: Vec<String> = c.employees.iter().map(|e| e.name.clone()).collect();
            let columns = c.columns;
            view! {
                <nav class="pager column-pager" aria-label=t.employee_columns>
                    <span class="pager-total">{t.employees_shown(first, last, c.employee_total)}</span>
                    <span class="pager-spacer"></span>
                    <button type="button" class="btn btn-small" disabled={columns <= 1} on:click=move |_| on_columns.run(columns - 1)>
                        {t.previous_employees}
                    </button>
                    <button type="button" class="btn btn-small" disabled={columns >= col_pages} on:click=move |_| on_columns.run(columns + 1)>
                        {t.next_employees}
                    </button>
                </nav>
                <div class="table-wrap coverage-wrap">
                    <table class="coverage" aria-label=t.tab_coverage>
                        <thead><tr>
                            <th scope="col" class="cov-client">{t.col_client}</th>
                            {c.employees.iter().map(|e| view! {
                                <th scope="col" class="cov-head"><a rel="external" href=format!("/accounts/{account_id}/client-access-manager/employees/{}", e.user_id) title=e.name.clone()>{e.name.clone()}</a></th>
                            }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {if c.clients.rows.is_empty() {
                                view! { <tr class="empty-row"><td colspan=(names.len() + 1).to_string()>{t.no_clients}</td></tr> }.into_any()
                            } else {
                                c.clients.rows.iter().map(|row| {
                                    let href = format!("/accounts/{account_id}/client-access-manager/clients/{}", row.client_id);
                                    view! {
                                        <tr>
                                            <th scope="row" class="cov-client"><a rel=crate::entry::rel(&href) href=href.clone()>{row.crm_name.clone()}</a></th>
                                            {row.cells.iter().zip(&names).map(|(cell, name)| {
                                                let label = t.coverage_cell(name.clone(), t.access_type(cell.access), t.recency(cell.recency));
                                                view! { <td class=cell_class(*cell) title=label.clone() aria-label=label><span aria-hidden="true"></span></td> }
                                            }).collect_view()}
                                        </tr>
                                    }
                                }).collect_view().into_any()
                            }}
                        </tbody>
                    </table>
                </div>
                <Pager total=c.clients.total page=c.clients.page pages=pages on_page=list.on_page/>
            }
            .into_any()
        }}/>
    }
}
