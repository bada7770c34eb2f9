//! Partner > Client Access Manager: the **Employees** tab.

use super::clients_tab::soonest_end_cell;
use crate::api;
use crate::format;
use crate::state::list_query::{use_list_controls, use_list_query, DefaultSort};
use crate::state::read::read;
use crate::widgets::cam::{LinkClientsDialog, RemoveFromClientsWizard};
use crate::widgets::cam_frame::{CamFrame, CamTab};
use crate::widgets::data_table::RowActions;
use crate::widgets::{CheckBadge, Column, DataTable, MenuAction, PagedList, SearchBox};
use domain::api::EmployeeRow;
use leptos::prelude::*;
use std::sync::Arc;

/// `/accounts/:id/client-access-manager/employees`.
#[component]
pub fn CamEmployeesPage() -> impl IntoView {
    view! { <CamFrame tab=CamTab::Employees content=|id| view! { <EmployeesTab account_id=id/> }.into_any()/> }
}

/// The Employees tab: name, email with the verified-domain check mark,
/// number of clients, status.
#[component]
fn EmployeesTab(account_id: i64) -> impl IntoView {
    let t = crate::i18n::t();
    let lq = use_list_query();
    let data = read(move || {
        let p = lq.params.get();
        async move { api::cam::employees(account_id, &p).await }
    });
    let on_done = Callback::new(move |_| data.refetch());
    let link_for = RwSignal::new(None::<(i64, String)>);
    let link_open = RwSignal::new(false);
    let remove_for = RwSignal::new(None::<(i64, String)>);
    let remove_open = RwSignal::new(false);
    let list = use_list_controls(lq, DefaultSort::by("name"));

    view! {
        <div class="toolbar">
            <SearchBox label=t.search_employees value=lq.params.get_untracked().q on_search=list.on_search/>
        </div>
        {move || link_for.get().map(|(id, name)| view! {
            <LinkClientsDialog account_id=account_id user_id=id name=name open=link_open on_done=on_done/>
        })}
        {move || remove_for.get().map(|(id, name)| view! {
            <RemoveFromClientsWizard account_id=account_id user_id=id name=name open=remove_open on_done=on_done/>
        })}
        <PagedList data=data on_page=list.on_page rows={move |rows: Vec<EmployeeRow>| {
                        let columns = vec![
                            Column::new(t.col_name, move |r: &EmployeeRow| {
                                let role = format::role(t, r.super_admin, r.set_name.as_deref());
                                let href = format!("/accounts/{account_id}/client-access-manager/employees/{}", r.user_id);
                                view! { <a class="cell-title" href=href>{r.name.clone()}</a><div class="cell-sub">{role}</div> }.into_any()
                            })
                            .sortable("name"),
                            Column::new(t.col_email, move |r: &EmployeeRow| {
                                view! {
                                    <span class="email">{r.email.clone()}</span>
                                    {r.verified_domain.then(|| view! { <CheckBadge label=t.verified_domain/> })}
                                }
                                .into_any()
                            })
                            .sortable("email"),
                            Column::new(t.col_clients, |r: &EmployeeRow| view! { <span>{r.clients}</span> }.into_any()).sortable("clients").class("num"),
                            Column::new(t.col_status, move |r: &EmployeeRow| {
                                let class = if r.status == domain::MembershipStatus::Active { "pill pill-ok" } else { "pill pill-warn" };
                                view! { <span class=class>{t.status(r.status)}</span> }.into_any()
                            })
                            .sortable("status"),
                            // One date for many clients: the soonest of the employee's ends.
                            Column::new(t.col_next_end, |r: &EmployeeRow| soonest_end_cell(r.next_end, None, r.ends)),
                        ];
                        let employee_actions: RowActions<EmployeeRow> = Arc::new(move |r: &EmployeeRow| {
                            let (id, name) = (r.user_id, r.name.clone());
                            let for_link = name.clone();
                            let here = format!("/accounts/{account_id}/client-access-manager/employees/{id}");
                            vec![
                                MenuAction::link(t.add_to_clients, format!("{here}/add-to-clients")),
                                MenuAction::link(t.change_set_in_clients, format!("{here}/change-set-in-clients")),
                                MenuAction::button(
                                    t.link_clients,
                                    Callback::new(move |_| {
                                        link_for.set(Some((id, for_link.clone())));
                                        link_open.set(true);
                                    }),
                                ),
                                MenuAction::button(
                                    t.remove_from_clients,
                                    Callback::new(move |_| {
                                        remove_for.set(Some((id, name.clone())));
                                        remove_open.set(true);
                                    }),
                                ),
                            ]
                        });
                        view! {
                            <DataTable
                                label=t.tab_employees
                                columns=columns
                                rows=rows
                                row_name=|r: &EmployeeRow| r.name.clone()
                                actions=employee_actions
                                list=list
                                empty=t.no_employees
                            />
                        }
        }}/>
    }
}
