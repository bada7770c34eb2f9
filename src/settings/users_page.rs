//! `/accounts/:id/settings/users`: Settings > Users & Teams of a customer
//! account: search and filters by role, seat and partner, **Create user**, and
//! per user **Assign seat**, **Edit permissions**, **Deactivate** /
//! **Reactivate**, **Remove** and, for partner super admins, **Change to
//! Partner Admin**.

use crate::api;
use crate::api::cam::ListParams;
use crate::format;
use crate::settings::users_actions::{AssignSeatDialog, CreateUserWizard, EditPermissionsDialog, RemoveUserDialog};
use crate::state::list_query::{use_account_id, use_list_controls, use_list_query, DefaultSort};
use crate::state::read::read;
use crate::state::session::use_session;
use crate::state::toasts::use_toasts;
use crate::state::write::{toast_failures, write};
use crate::widgets::cam::{MigrateDialog, MigrateVia};
use crate::widgets::data_table::RowActions;
use crate::widgets::{ends_cell, Column, ComparisonTable, DataTable, MenuAction, PagedList, SearchBox, Shell};
use domain::api::AccountUserRow;
use domain::rules::{has_paid_feature, may_be_migrated, PaidFeature};
use domain::RoleFilter;
use domain::{MembershipStatus, PricingModel, Seat, StandardSet};
use leptos::prelude::*;
use std::sync::Arc;

/// Which dialog is open, for whom.
#[derive(Clone)]
enum UserDialog {
    Seat(AccountUserRow),
    Permissions(AccountUserRow),
    Remove(AccountUserRow),
    Migrate(AccountUserRow),
}

/// The Users & Teams page.
#[component]
pub fn UsersPage() -> impl IntoView {
    let t = crate::i18n::t();
    let session = use_session();
    let toasts = use_toasts();
    let account_id = use_account_id();
    let lq = use_list_query();
    let data = read(move || {
        let p = lq.params.get();
        let id = account_id.get();
        async move {
            match id {
                Some(id) => api::users::list(id, &p).await,
                None => Err(api::ApiError { status: 404, code: "not_found".into(), message: String::new() }),
            }
        }
    });
    let on_done = Callback::new(move |_| data.refetch());
    // Deactivate or reactivate one user (a row action, so failures toast).
    let status_change = write(
        move |(account, uid, name, to_active): (i64, i64, String, bool)| async move {
            let action = if to_active { "reactivate" } else { "deactivate" };
            api::users::set_status(account, uid, action).await.map(|()| (name, to_active))
        },
        move |(name, to_active): (String, bool)| {
            toasts.show(if to_active { t.reactivated_toast(&name) } else { t.deactivated_toast(&name) });
            data.refetch();
        },
    );
    toast_failures(status_change, toasts);
    let list = use_list_controls(lq, DefaultSort::by("name"));
    let filter = list.filter(|p: &mut ListParams, (key, value): (&'static str, String)| match key {
        "role" => p.role = RoleFilter::parse(&value),
        "seat" => p.seat = Seat::parse(&value),
        _ => p.partner = value.parse().ok(),
    });
    let initial = lq.params.get_untracked();
    let create_open = RwSignal::new(false);
    let dialog = RwSignal::new(None::<UserDialog>);
    let dialog_open = RwSignal::new(false);
    let seat_based = move || {
        account_id
            .get()
            .and_then(|id| session.membership(id))
            .is_some_and(|m| m.pricing_model == Some(PricingModel::SeatBased))
    };
    view! {
        <Shell>
            <section class="page">
                <header class="page-header">
                    <div>
                        <p class="eyebrow">{t.nav_settings}</p>
                        <h1>{t.users_and_teams}</h1>
                    </div>
                    <button type="button" class="btn btn-primary" on:click=move |_| create_open.set(true)>{t.create_user}</button>
                </header>
                <Show when=seat_based>
                    <p class="notice notice-info">{t.seat_based_note}</p>
                </Show>
                <details class="comparison-details">
                    <summary>{t.comparison_title}</summary>
                    <ComparisonTable/>
                </details>
                <div class="toolbar filters">
                    <SearchBox label=t.search_users value=initial.q.clone() on_search=list.on_search/>
                    <div class="field">
                        <label for="filter-role">{t.col_role}</label>
                        <select id="filter-role" class="input" on:change=move |ev| filter.run(("role", event_target_value(&ev)))>
                            <option value="">{t.all_roles}</option>
                            <option value="super_admin" selected=initial.role == Some(RoleFilter::SuperAdmin)>{t.super_admin}</option>
                            {StandardSet::ALL.iter().map(|s| view! { <option value=s.key() selected=initial.role == RoleFilter::parse(s.key())>{t.standard_set(*s)}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-seat">{t.col_seat}</label>
                        <select id="filter-seat" class="input" on:change=move |ev| filter.run(("seat", event_target_value(&ev)))>
                            <option value="">{t.all_seats}</option>
                            {Seat::ALL.iter().map(|s| view! { <option value=s.key() selected=initial.seat == Some(*s)>{t.seat(*s)}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-partner">{t.col_partner}</label>
                        <select id="filter-partner" class="input" on:change=move |ev| filter.run(("partner", event_target_value(&ev)))>
                            <option value="">{t.all_users}</option>
                            <option value="true" selected=initial.partner == Some(true)>{t.partner_users}</option>
                            <option value="false" selected=initial.partner == Some(false)>{t.own_users}</option>
                        </select>
                    </div>
                </div>
                {move || account_id.get().map(|id| view! { <CreateUserWizard account_id=id open=create_open on_done=on_done/> })}
                {move || account_id.get().zip(dialog.get()).map(|(id, d)| match d {
                    UserDialog::Seat(u) => view! { <AssignSeatDialog account_id=id user=u open=dialog_open on_done=on_done/> }.into_any(),
                    UserDialog::Permissions(u) => view! { <EditPermissionsDialog account_id=id user=u open=dialog_open on_done=on_done/> }.into_any(),
                    UserDialog::Remove(u) => view! { <RemoveUserDialog account_id=id user=u open=dialog_open on_done=on_done/> }.into_any(),
                    UserDialog::Migrate(u) => view! {
                        <MigrateDialog
                            account_id=id
                            via=MigrateVia::Client { user_id: u.user_id }
                            title=t.change_to_partner_admin_for(&u.name)
                            open=dialog_open
                            on_done=on_done
                        />
                    }
                    .into_any(),
                })}
                <PagedList data=data on_page=list.on_page rows={move |rows: Vec<AccountUserRow>| {
                                let id = account_id.get_untracked().unwrap_or_default();
                                let pricing = session.membership(id).and_then(|m| m.pricing_model).unwrap_or(PricingModel::Classic);
                                let columns = vec![
                                    Column::new(t.col_name, |u: &AccountUserRow| {
                                        view! { <span class="cell-title">{u.name.clone()}</span><div class="cell-sub">{u.email.clone()}</div> }.into_any()
                                    })
                                    .sortable("name"),
                                    Column::new(t.col_role, move |u: &AccountUserRow| {
                                        view! { <span>{format::role(t, u.super_admin, u.set_name.as_deref())}</span> }.into_any()
                                    }),
                                    Column::new(t.col_seat, move |u: &AccountUserRow| view! { <span>{t.seat(u.seat)}</span> }.into_any()),
                                    Column::new(t.paid_features, move |u: &AccountUserRow| {
                                        // SPEC §2: the partner seat gives Sales and Service, except in seat-based accounts.
                                        let names: Vec<&str> = [(PaidFeature::Sales, 0), (PaidFeature::Service, 1)]
                                            .into_iter()
                                            .filter(|(f, _)| has_paid_feature(u.seat, *f, pricing))
                                            .map(|(_, i)| t.paid_feature_names[i])
                                            .collect();
                                        let text = if names.is_empty() { t.nothing.to_string() } else { names.join(", ") };
                                        view! { <span>{text}</span> }.into_any()
                                    }),
                                    Column::new(t.col_status, move |u: &AccountUserRow| {
                                        let class = if u.status == MembershipStatus::Active { "pill pill-ok" } else { "pill pill-warn" };
                                        view! { <span class=class>{t.status(u.status)}</span> }.into_any()
                                    })
                                    .sortable("status"),
                                    Column::new(t.col_partner, |u: &AccountUserRow| {
                                        u.partner_name.clone().map(|p| view! { <span class="pill pill-info">{p}</span> }.into_any()).unwrap_or_else(|| ().into_any())
                                    }),
                                    // R14: this membership's own end, if it has one.
                                    Column::new(t.col_access_ends, |u: &AccountUserRow| ends_cell(u.ends_at)),
                                ];
                                // Each action shows what its §9 decision (A9, A10) answers
                                // the viewer for this member, decided by the server with the
                                // account's real facts; a refused one is disabled with the
                                // decision's own reason.
                                let actions: RowActions<AccountUserRow> = Arc::new(move |u: &AccountUserRow| {
                                    let open_with = move |d: UserDialog| {
                                        Callback::new(move |_| {
                                            dialog.set(Some(d.clone()));
                                            dialog_open.set(true);
                                        })
                                    };
                                    let decide = |r: &Option<domain::api::ErrorDetail>| r.as_ref().map(|r| t.api_error(r));
                                    let refused = &u.refused;
                                    let with = |label, action: Callback<()>, refused: Option<String>| {
                                        let mut item = MenuAction::button(label, action);
                                        item.disabled_reason = refused;
                                        item
                                    };
                                    let mut items = vec![
                                        with(
                                            t.assign_seat,
                                            open_with(UserDialog::Seat(u.clone())),
                                            decide(&refused.seat),
                                        ),
                                        with(
                                            t.edit_permissions,
                                            open_with(UserDialog::Permissions(u.clone())),
                                            decide(&refused.change),
                                        ),
                                    ];
                                    let (uid, name, to_active) = (u.user_id, u.name.clone(), u.status == MembershipStatus::Deactivated);
                                    let status_refused = decide(&refused.status);
                                    items.push(with(
                                        if to_active { t.reactivate } else { t.deactivate },
                                        Callback::new(move |_| {
                                            status_change.dispatch((id, uid, name.clone(), to_active));
                                        }),
                                        status_refused,
                                    ));
                                    items.push(with(t.remove, open_with(UserDialog::Remove(u.clone())), decide(&refused.remove)));
                                    if may_be_migrated(u.super_admin, u.partner_name.is_some()).is_ok() {
                                        items.push(with(
                                            t.change_to_partner_admin,
                                            open_with(UserDialog::Migrate(u.clone())),
                                            decide(&refused.convert),
                                        ));
                                    }
                                    items
                                });
                                view! {
                                    <DataTable
                                        label=t.users_and_teams
                                        columns=columns
                                        rows=rows
                                        row_name=|u: &AccountUserRow| u.name.clone()
                                        actions=actions
                                        list=list
                                        empty=t.no_users
                                    />
                                }
                }}/>
            </section>
        </Shell>
    }
}
