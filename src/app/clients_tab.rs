//! Partner > Client Access Manager: the **Clients** tab.

use crate::api;
use crate::api::cam::ListParams;
use crate::format;
use crate::state::list_query::{use_account_id, use_list_controls, use_list_query, DefaultSort};
use crate::state::read::{read, Read};
use crate::widgets::cam::{AddEmployeesPanel, MigrateDialog, MigrateVia};
use crate::widgets::cam_frame::{access_cell, CamFrame, CamTab, ClientsView};
use crate::widgets::data_table::RowActions;
use crate::widgets::{ends_cell, Column, DataTable, MenuAction, MultiSelect, PagedList, SearchBox, SelectOption};
use domain::api::{ClientRow, Page};
use domain::rules::may_be_migrated;
use domain::{AccessType, UnixTime};
use leptos::prelude::*;
use std::sync::Arc;

/// `/accounts/:id/client-access-manager/clients`. The list is read as soon
/// as the address is known, alongside the session, not after it: the first
/// page of clients is the first thing a partner admin waits for.
#[component]
pub fn CamClientsPage() -> impl IntoView {
    let account_id = use_account_id();
    let lq = use_list_query();
    let clients = read(move || {
        let (id, p) = (account_id.get().unwrap_or_default(), lq.params.get());
        async move { api::cam::clients(id, &p).await }
    });
    // The tab's view travels as a function, so that only the entry point
    // that shows the Clients tab holds its code (and its dialogs').
    let tab: ClientsView = |id, data| view! { <ClientsTab account_id=id data=data/> }.into_any();
    view! { <CamFrame tab=CamTab::Clients clients=(clients, tab)/> }
}

/// The Clients tab: search, **Access types** filter, sortable columns, paging.
#[component]
fn ClientsTab(account_id: i64, data: Read<Page<ClientRow>>) -> impl IntoView {
    let t = crate::i18n::t();
    let lq = use_list_query();
    let list = use_list_controls(lq, DefaultSort::by("name"));
    let on_done = Callback::new(move |_| data.refetch());
    let add_for = RwSignal::new(None::<(i64, String)>);
    let add_open = RwSignal::new(false);
    let migrate_for = RwSignal::new(None::<(i64, String)>);
    let migrate_open = RwSignal::new(false);
    let selected_access = Signal::derive(move || {
        let a = lq.params.get().access;
        let shown = if a.is_empty() { AccessType::ALL.to_vec() } else { a };
        shown.into_iter().map(|a| a.key().to_string()).collect::<Vec<_>>()
    });
    let options = Signal::derive(move || {
        let selected = selected_access.get();
        AccessType::ALL
            .iter()
            .map(|a| SelectOption {
                value: a.key().to_string(),
                label: t.access_type(*a).to_string(),
                disabled_reason: (selected.len() == 1 && selected[0] == a.key())
                    .then(|| t.keep_one_access_type.to_string()),
            })
            .collect::<Vec<_>>()
    });
    let on_access = list.filter(|p: &mut ListParams, v: Vec<String>| {
        // Every type chosen is the same as no filter.
        p.access = if v.len() >= AccessType::ALL.len() {
            Vec::new()
        } else {
            AccessType::ALL.iter().copied().filter(|a| v.iter().any(|x| x == a.key())).collect()
        };
    });
    let ending = Signal::derive(move || lq.params.get().ending);
    let on_ending = list.filter(|p: &mut ListParams, on: bool| p.ending = on);
    let rel_ending = Signal::derive(move || lq.params.get().relationship_ending);
    let on_rel_ending = list.filter(|p: &mut ListParams, on: bool| p.relationship_ending = on);

    view! {
        <div class="toolbar">
            <SearchBox label=t.search_clients value=lq.params.get_untracked().q on_search=list.on_search/>
            <MultiSelect label=t.access_types options=options selected=selected_access on_change=on_access/>
            <label class="filter-check">
                <input type="checkbox" prop:checked=ending on:change=move |ev| on_ending.run(event_target_checked(&ev))/>
                {t.ending_within_30}
            </label>
            <label class="filter-check">
                <input type="checkbox" prop:checked=rel_ending on:change=move |ev| on_rel_ending.run(event_target_checked(&ev))/>
                {t.relationship_ending_30}
            </label>
        </div>
        {move || add_for.get().map(|(id, name)| view! {
            <AddEmployeesPanel account_id=account_id client_id=id client_name=name open=add_open on_done=on_done/>
        })}
        {move || migrate_for.get().map(|(id, name)| view! {
            <MigrateDialog
                account_id=account_id
                via=MigrateVia::Partner { client_id: id, user_id: None }
                title=format!("{} · {}", t.change_to_partner_admin, name)
                open=migrate_open
                on_done=on_done
            />
        })}
        <PagedList data=data on_page=list.on_page rows={move |rows: Vec<ClientRow>| {
                        let base = format!("/accounts/{account_id}/client-access-manager/clients");
                        let details_base = base.clone();
                        let columns = vec![
                            Column::new(t.col_client, move |r: &ClientRow| {
                                let href = format!("{details_base}/{}", r.id);
                                let official = (r.official_name != r.crm_name).then(|| r.official_name.clone());
                                view! {
                                    <a class="cell-title" href=href>{r.crm_name.clone()}</a>
                                    {official.map(|o| view! { <div class="cell-sub">{o}</div> })}
                                }
                                .into_any()
                            })
                            .sortable("name"),
                            Column::new(t.col_your_access, move |r: &ClientRow| access_cell(t, r.my_access, r.my_set_name.as_deref())).sortable("access"),
                            Column::new(t.col_partner_employees, move |r: &ClientRow| {
                                view! {
                                    <span>{r.partner_employees}</span>
                                    <div class="cell-sub">{t.active_of(r.active_partner_employees, r.partner_employees)}</div>
                                }
                                .into_any()
                            })
                            .sortable("employees")
                            .class("num"),
                            Column::new(t.col_relationship, move |r: &ClientRow| {
                                view! { <span class=format::relationship_class(r.status)>{format::relationship(t, r.status)}</span> }.into_any()
                            })
                            .sortable("status"),
                            // Not the viewer's end: the soonest of the partner's people there, and whose.
                            Column::new(t.col_next_end, |r: &ClientRow| soonest_end_cell(r.next_end, r.next_end_name.as_deref(), r.ends)),
                            // R18: what the client sets for the partner as a whole.
                            Column::new(t.relationship_ends, move |r: &ClientRow| {
                                view! {
                                    {ends_cell(r.relationship_end)}
                                    <div class="cell-sub">{if r.ceiling { t.ceiling } else { "" }}</div>
                                }
                                .into_any()
                            })
                            .sortable("relationship_end"),
                        ];
                        let actions: RowActions<ClientRow> = Arc::new(move |r: &ClientRow| {
                            let (id, name) = (r.id, r.crm_name.clone());
                            let for_add = name.clone();
                            // R2: adding needs the actor to be an active Partner Admin in the client.
                            let is_pa = r.my_access == AccessType::PartnerAdmin;
                            let add = MenuAction::button(
                                t.add_employees,
                                Callback::new(move |_| {
                                    add_for.set(Some((id, for_add.clone())));
                                    add_open.set(true);
                                }),
                            )
                            .refused_by(domain::authority::partner_admin_gate(is_pa));
                            let mut items = vec![add, MenuAction::link(t.details, format!("{base}/{id}"))];
                            // R9: only a super admin (here: the partner employee herself) can be changed.
                            if may_be_migrated(r.my_access == AccessType::SuperAdmin, true).is_ok() {
                                items.push(MenuAction::button(
                                    t.change_to_partner_admin,
                                    Callback::new(move |_| {
                                        migrate_for.set(Some((id, name.clone())));
                                        migrate_open.set(true);
                                    }),
                                ));
                            }
                            items
                        });
                        view! {
                            <DataTable
                                label=t.tab_clients
                                columns=columns
                                rows=rows
                                row_name=|r: &ClientRow| r.crm_name.clone()
                                actions=actions
                                list=list
                                empty=t.no_clients
                            />
                        }
        }}/>
    }
}

/// The soonest of several ends (R14), saying whose it is and of how many:
/// "3 Mar 2027 · Dan Reyes", then "12 days left · soonest of 3" when
/// `of` people (or accesses) have an end.
pub(crate) fn soonest_end_cell(at: Option<UnixTime>, whose: Option<&str>, of: u32) -> AnyView {
    let t = crate::i18n::t();
    let Some(at) = at else { return ends_cell(None) };
    let days = format::now().days_until(at);
    let left = t.days_left(days);
    let sub = if of > 1 { format!("{left} · {}", t.soonest_of(of)) } else { left };
    let whose = whose.map(|name| format!(" · {name}"));
    view! {
        <span class="ends" class:ends-soon=days <= 30>{format::date(at)}</span>{whose}
        <div class="cell-sub">{sub}</div>
    }
    .into_any()
}
