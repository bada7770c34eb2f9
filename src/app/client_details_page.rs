//! `/accounts/:id/client-access-manager/clients/:client_id`: one client, its
//! relationship, and the partner's employees in it.

use crate::api;
use crate::format;
use crate::state::list_query::{use_account_id, use_id_param};
use crate::state::read::read;
use crate::state::toasts::use_toasts;
use crate::state::write::{toast_failures, write};
use crate::widgets::cam::{AddEmployeesPanel, ChangeSetDialog, MigrateDialog, MigrateVia, RemoveEmployeesWizard};
use crate::widgets::data_table::RowActions;
use crate::widgets::{
    ends_cell, CheckBadge, Column, DataTable, EndCheck, EndDateDialog, EndOf, Loaded, MenuAction, Shell,
};
use domain::api::ClientEmployee;
use domain::{AccessType, MembershipStatus, Perms, PricingModel};
use leptos::prelude::*;
use std::sync::Arc;

/// The client details page.
#[component]
pub fn ClientDetailsPage() -> impl IntoView {
    let t = crate::i18n::t();
    let account_id = use_account_id();
    let client_id = use_id_param("client_id");
    let toasts = use_toasts();
    let selected = RwSignal::new(Vec::<i64>::new());
    let change_for = RwSignal::new(None::<ClientEmployee>);
    let change_open = RwSignal::new(false);
    let migrate_for = RwSignal::new(None::<(i64, String)>);
    let migrate_open = RwSignal::new(false);
    let remove_open = RwSignal::new(false);
    let add_open = RwSignal::new(false);
    let ends_for = RwSignal::new(None::<ClientEmployee>);
    let ends_open = RwSignal::new(false);
    let data = read(move || {
        let ids = account_id.get().zip(client_id.get());
        async move {
            match ids {
                Some((a, c)) => api::cam::client(a, c).await,
                None => Err(api::ApiError { status: 404, code: "not_found".into(), message: String::new() }),
            }
        }
    });
    let on_done = Callback::new(move |_| data.refetch());
    // Deactivate or reactivate one employee (a row action, so failures toast).
    let status_change = write(
        move |(account, client, uid, name, to_active): (i64, i64, i64, String, bool)| async move {
            let action = if to_active { "reactivate" } else { "deactivate" };
            api::cam::set_status(account, client, uid, action).await.map(|()| (name, to_active))
        },
        move |(name, to_active): (String, bool)| {
            toasts.show(if to_active { t.reactivated_toast(&name) } else { t.deactivated_toast(&name) });
            data.refetch();
        },
    );
    toast_failures(status_change, toasts);
    let back = move || format!("/accounts/{}/client-access-manager/clients", account_id.get().unwrap_or_default());
    view! {
        <Shell>
            <section class="page">
                <nav class="breadcrumbs" aria-label=t.breadcrumb>
                    <a href=back>{"← "}{t.back_to_clients}</a>
                </nav>
                <Loaded data=data content={move |c: domain::api::ClientDetails| {
                                let official = (c.official_name != c.crm_name).then(|| t.official_name(&c.official_name));
                                let pricing = match c.pricing_model {
                                    PricingModel::SeatBased => t.pricing_seat_based,
                                    PricingModel::Classic => t.pricing_classic,
                                };
                                let account = account_id.get_untracked().unwrap_or_default();
                                let client = c.id;
                                let client_name = c.crm_name.clone();
                                let my_permissions = c.my_permissions;
                                // R18: the client's ceiling for this partner, if it sets one.
                                let ceiling = c.ceiling.unwrap_or(Perms::all());
                                let limited = c.ceiling.is_some();
                                selected.set(vec![]);
                                // Every row action shows what its §9 decision answers the
                                // signed-in user for this person (the server decides with
                                // the account's real facts); a refused one is disabled with
                                // the decision's own reason.
                                let reason = move |r: &Option<domain::api::ErrorDetail>| r.as_ref().map(|r| t.api_error(r));
                                let actions: RowActions<ClientEmployee> = Arc::new(move |e: &ClientEmployee| {
                                    let refused = &e.refused;
                                    let mut items = vec![];
                                    if e.access != AccessType::SuperAdmin {
                                        let target = e.clone();
                                        let mut change = MenuAction::button(
                                            t.change_permission_set,
                                            Callback::new(move |_| {
                                                change_for.set(Some(target.clone()));
                                                change_open.set(true);
                                            }),
                                        );
                                        change.disabled_reason = reason(&refused.change);
                                        items.push(change);
                                        let target = e.clone();
                                        let mut ends = MenuAction::button(
                                            t.change_end_date,
                                            Callback::new(move |_| {
                                                ends_for.set(Some(target.clone()));
                                                ends_open.set(true);
                                            }),
                                        );
                                        // Setting an earlier end is the narrowest change the dialog offers.
                                        ends.disabled_reason = reason(&refused.end);
                                        items.push(ends);
                                    }
                                    let (uid, name) = (e.user_id, e.name.clone());
                                    let to_active = e.status == MembershipStatus::Deactivated;
                                    let mut status = MenuAction::button(
                                        if to_active { t.reactivate } else { t.deactivate },
                                        Callback::new(move |_| {
                                            status_change.dispatch((account, client, uid, name.clone(), to_active));
                                        }),
                                    );
                                    status.disabled_reason = reason(&refused.status);
                                    items.push(status);
                                    if e.access == AccessType::SuperAdmin && refused.convert.is_none() {
                                        let name = e.name.clone();
                                        items.push(MenuAction::button(
                                            t.change_to_partner_admin,
                                            Callback::new(move |_| {
                                                migrate_for.set(Some((uid, name.clone())));
                                                migrate_open.set(true);
                                            }),
                                        ));
                                    }
                                    items
                                });
                                let everyone = StoredValue::new(c.employees.clone());
                                let name = StoredValue::new(c.crm_name.clone());
                                let add_refused = domain::authority::partner_admin_gate(c.my_access == AccessType::PartnerAdmin)
                                    .err()
                                    .map(|r| t.refusal(&r));
                                let columns = vec![
                                    Column::new(t.col_name, move |e: &ClientEmployee| {
                                        view! {
                                            <span class="cell-title">{e.name.clone()}</span>
                                            <div class="cell-sub">
                                                {e.email.clone()}
                                                {e.verified_domain.then(|| view! { <CheckBadge label=t.verified_domain/> })}
                                            </div>
                                        }
                                        .into_any()
                                    }),
                                    Column::new(t.col_permission_set, move |e: &ClientEmployee| {
                                        let label = match e.access {
                                            AccessType::SuperAdmin => t.super_admin.to_string(),
                                            _ => e.set_name.as_deref().map(|n| t.set_name(n)).unwrap_or_else(|| t.no_permission_set.to_string()),
                                        };
                                        let held = if limited { t.of_ceiling(e.permissions.intersection(ceiling).len(), ceiling.len()) } else { String::new() };
                                        view! { <span>{label}</span><div class="cell-sub">{held}</div> }.into_any()
                                    }),
                                    Column::new(t.col_seat, move |e: &ClientEmployee| view! { <span>{t.seat(e.seat)}</span> }.into_any()),
                                    Column::new(t.col_status, move |e: &ClientEmployee| {
                                        let class = if e.status == MembershipStatus::Active { "pill pill-ok" } else { "pill pill-warn" };
                                        view! { <span class=class>{t.status(e.status)}</span> }.into_any()
                                    }),
                                    Column::new(t.col_last_activity, move |e: &ClientEmployee| {
                                        view! { <span>{e.last_activity.map(crate::format::date).unwrap_or_else(|| t.never.to_string())}</span> }.into_any()
                                    }),
                                    Column::new(t.col_access_ends, |e: &ClientEmployee| {
                                        if e.status == MembershipStatus::Active { ends_cell(e.ends_at) } else { ends_cell(None) }
                                    }),
                                    Column::new(t.col_assets, |e: &ClientEmployee| view! { <span>{e.assets_owned}</span> }.into_any()).class("num"),
                                ];
                                view! {
                                    <header class="page-header">
                                        <div>
                                            <h1>{c.crm_name.clone()}</h1>
                                            {official.map(|o| view! { <p class="subtitle">{o}</p> })}
                                        </div>
                                        <span class=format::relationship_class(c.status)>{format::relationship(t, c.status)}</span>
                                    </header>
                                    <dl class="facts">
                                        <div><dt>{t.col_your_access}</dt><dd>{t.access_type(c.my_access)}</dd></div>
                                        <div><dt>{t.last_partner_activity_label}</dt><dd>{crate::format::date(c.last_partner_activity)}</dd></div>
                                        <div><dt>{t.pricing}</dt><dd>{pricing}</dd></div>
                                        <div><dt>{t.ceiling}</dt><dd>{format::ceiling(t, c.ceiling, None)}</dd></div>
                                        <div><dt>{t.relationship_ends}</dt><dd>{ends_cell(c.relationship_end)}</dd></div>
                                    </dl>
                                    {(c.pricing_model == PricingModel::SeatBased).then(|| view! { <p class="notice notice-info">{t.seat_based_note}</p> })}
                                    {c.suspended.then(|| view! { <p class="notice notice-warn" role="status">{t.suspended_by_client}</p> })}
                                    <div class="section-header">
                                        <h2 class="section-title">{t.partner_employees_heading}</h2>
                                        <div class="button-row">
                                            // R2: adding needs the actor to be an active Partner Admin here.
                                            <button
                                                type="button"
                                                class="btn btn-primary"
                                                disabled=add_refused.is_some()
                                                title=add_refused.clone().unwrap_or_default()
                                                on:click=move |_| add_open.set(true)
                                            >
                                                {t.add_employees}
                                            </button>
                                            // Destructive: quiet until someone is chosen.
                                            <button
                                                type="button"
                                                class="btn"
                                                class:btn-danger=move || !selected.with(Vec::is_empty)
                                                disabled=move || selected.with(Vec::is_empty)
                                                on:click=move |_| remove_open.set(true)
                                            >
                                                {t.remove_partner_employee}
                                            </button>
                                        </div>
                                    </div>
                                    {add_refused.clone().map(|r| view! { <p class="hint">{r}</p> })}
                                    {add_refused.is_none().then(|| view! {
                                        <AddEmployeesPanel account_id=account client_id=client client_name=c.crm_name.clone() open=add_open on_done=on_done/>
                                    })}
                                    <DataTable
                                        label=t.partner_employees_heading
                                        columns=columns
                                        rows=c.employees
                                        row_name=|e: &ClientEmployee| e.name.clone()
                                        actions=actions
                                        selection=selected
                                        row_id=|e: &ClientEmployee| e.user_id
                                        empty=t.no_partner_employees
                                    />
                                    {move || change_for.get().map(|e| view! {
                                        <ChangeSetDialog
                                            account_id=account
                                            client_id=client
                                            client_name=client_name.clone()
                                            employee=e
                                            my_permissions=my_permissions
                                            ceiling=ceiling
                                            open=change_open
                                            on_done=on_done
                                        />
                                    })}
                                    {move || ends_for.get().map(|e| {
                                        let uid = e.user_id;
                                        let end_check = |e: &ClientEmployee| -> EndCheck {
                                            let (current, refused) = (e.ends_at, e.refused.clone());
                                            Arc::new(move |at| refused.for_end(current, at).map(|r| t.api_error(r)))
                                        };
                                        view! {
                                            <EndDateDialog
                                                title=t.change_end_date_for(&e.name)
                                                of=EndOf::Employee { account_id: account, client_id: client, user_id: uid }
                                                current=e.ends_at
                                                open=ends_open
                                                on_done=on_done
                                                check=end_check(&e)
                                            />
                                        }
                                    })}
                                    {move || migrate_for.get().map(|(uid, name)| view! {
                                        <MigrateDialog
                                            account_id=account
                                            via=MigrateVia::Partner { client_id: client, user_id: Some(uid) }
                                            title=t.change_to_partner_admin_for(&name)
                                            open=migrate_open
                                            on_done=on_done
                                        />
                                    })}
                                    {move || remove_open.get().then(|| {
                                        let chosen = selected.get_untracked();
                                        let employees: Vec<ClientEmployee> =
                                            everyone.get_value().into_iter().filter(|e| chosen.contains(&e.user_id)).collect();
                                        view! {
                                            <RemoveEmployeesWizard
                                                account_id=account
                                                client_id=client
                                                employees=employees
                                                client_name=name.get_value()
                                                open=remove_open
                                                on_done=on_done
                                            />
                                        }
                                    })}
                                }
                                .into_any()
                }}/>
            </section>
        </Shell>
    }
}
