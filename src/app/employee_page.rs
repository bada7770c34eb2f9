//! `/accounts/:id/client-access-manager/employees/:user_id`: one partner
//! employee, with **Actions** → **Copy access link**.

use crate::api;
use crate::format;
use crate::state::list_query::{use_account_id, use_id_param};
use crate::state::read::read;
use crate::widgets::{
    ends_cell, AccessLinkDialog, ActionsMenu, CheckBadge, Column, DataTable, Loaded, MenuAction, Shell,
};
use domain::api::EmployeeClient;
use domain::MembershipStatus;
use leptos::prelude::*;

/// The employee page.
#[component]
pub fn EmployeePage() -> impl IntoView {
    let t = crate::i18n::t();
    let account_id = use_account_id();
    let user_id = use_id_param("user_id");
    let session = crate::state::session::use_session();
    let partner_program =
        account_id.get_untracked().and_then(|a| session.membership(a)).and_then(|m| m.partner_program);
    let data = read(move || {
        let ids = account_id.get().zip(user_id.get());
        async move {
            match ids {
                Some((a, u)) => api::cam::employee(a, u).await,
                None => Err(api::ApiError { status: 404, code: "not_found".into(), message: String::new() }),
            }
        }
    });
    let back = move || format!("/accounts/{}/client-access-manager/employees", account_id.get().unwrap_or_default());
    view! {
        <Shell>
            <section class="page">
                <nav class="breadcrumbs" aria-label=t.breadcrumb>
                    <a href=back>{"← "}{t.back_to_employees}</a>
                </nav>
                <Loaded data=data content={move |e: domain::api::EmployeeDetails| {
                                let link_open = RwSignal::new(false);
                                let mut copy = MenuAction::button(t.copy_access_link, Callback::new(move |_| link_open.set(true)));
                                // The same rule the server applied, worded in the user's language.
                                copy = copy.refused_by(partner_program.map_or(Ok(()), domain::access_link::may_have_access_link));
                                let account = account_id.get_untracked().unwrap_or_default();
                                view! {
                                    <header class="page-header">
                                        <div>
                                            <h1>{e.name.clone()}</h1>
                                            <p class="subtitle">
                                                {e.email.clone()}
                                                {e.verified_domain.then(|| view! { " " <CheckBadge label=t.verified_domain/> })}
                                            </p>
                                        </div>
                                        <ActionsMenu label=t.actions_for(&e.name) items=vec![copy]/>
                                    </header>
                                    <dl class="facts">
                                        <div><dt>{t.col_role}</dt><dd>{format::role(t, e.super_admin, e.set_name.as_deref())}</dd></div>
                                        <div><dt>{t.col_status}</dt><dd>{t.status(e.status)}</dd></div>
                                        <div><dt>{t.col_clients}</dt><dd>{e.clients}</dd></div>
                                    </dl>
                                    <EmployeeClients account_id=account user_id=e.user_id/>
                                    <AccessLinkDialog account_id=account user_id=e.user_id title=t.access_link_for(&e.name) open=link_open/>
                                }
                                .into_any()
                }}/>
            </section>
        </Shell>
    }
}

/// The clients the employee works in for the partner: status and when the
/// access ends (R14).
#[component]
fn EmployeeClients(account_id: i64, user_id: i64) -> impl IntoView {
    let t = crate::i18n::t();
    let clients = crate::widgets::cam::employee_clients(account_id, user_id, true);
    view! {
        <h2 class="section-title">{t.clients_heading}</h2>
        <Loaded data=clients content={move |rows: Vec<EmployeeClient>| {
            let columns = vec![
                Column::new(t.col_client, move |c: &EmployeeClient| {
                    let href = format!("/accounts/{account_id}/client-access-manager/clients/{}", c.client_id);
                    view! { <a class="cell-title" href=href>{c.crm_name.clone()}</a> }.into_any()
                }),
                Column::new(t.col_status, move |c: &EmployeeClient| {
                    let class = if c.status == MembershipStatus::Active { "pill pill-ok" } else { "pill pill-warn" };
                    view! { <span class=class>{t.status(c.status)}</span> }.into_any()
                }),
                Column::new(t.col_access_ends, |c: &EmployeeClient| {
                    ends_cell(c.ends_at.filter(|_| c.status == MembershipStatus::Active))
                }),
            ];
            view! {
                <DataTable
                    label=t.clients_heading
                    columns=columns
                    rows=rows
                    row_name=|c: &EmployeeClient| c.crm_name.clone()
                    empty=t.not_in_any_client
                />
            }
            .into_any()
        }}/>
    }
}
