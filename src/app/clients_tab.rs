//! Partner > Client Access Manager: the **Clients** and **Employees** tabs.

use crate::api;
use crate::api::cam::ListParams;
use crate::components::cam::{
    AddEmployeesPanel, LinkClientsDialog, MigrateDialog, MigrateVia, RemoveFromClientsWizard,
};
use crate::components::data_table::RowActions;
use crate::components::{
    ends_cell, AccessLinkDialog, CheckBadge, Column, DataTable, ErrorView, MenuAction, MultiSelect, PagedList,
    SearchBox, SelectOption, Shell, TabLink, Tabs,
};
use crate::format;
use crate::pages::history_page::HistoryView;
use crate::pages::InAccount;
use crate::state::list_query::{use_account_id, use_list_controls, use_list_query, use_set_list_query, ListControls};
use crate::state::read::{read, Read};
use crate::state::session::use_session;
use domain::access_link::may_have_access_link;
use domain::api::MembershipSummary;
use domain::api::{ClientRow, EmployeeRow, Page};
use domain::rules::may_be_migrated;
use domain::AccessType;
use leptos::prelude::*;
use std::sync::Arc;

/// Which tab is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CamTab {
    Clients,
    Employees,
    Review,
    Coverage,
    History,
}

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

/// `/accounts/:id/client-access-manager/employees`.
#[component]
pub fn CamEmployeesPage() -> impl IntoView {
    view! { <CamFrame tab=CamTab::Employees content=|id| view! { <EmployeesTab account_id=id/> }.into_any()/> }
}

/// `/accounts/:id/client-access-manager/history`.
#[component]
pub fn CamHistoryPage() -> impl IntoView {
    view! { <CamFrame tab=CamTab::History content=|id| view! { <HistoryView account_id=id partner=true/> }.into_any()/> }
}

/// How the Clients tab is shown, from its list being read.
type ClientsView = fn(i64, Read<Page<ClientRow>>) -> AnyView;

/// The page frame: R1 first (the refusal names the rule), then the tabs.
/// Each tab's page passes its own content, so that an entry point holds
/// the code of its own tabs only (R17's are in `bulk.html`).
#[component]
pub(crate) fn CamFrame(
    tab: CamTab,
    /// The Clients tab's list, already being read, and its view.
    #[prop(optional)]
    clients: Option<(Read<Page<ClientRow>>, ClientsView)>,
    /// Any other tab's content, for the account.
    #[prop(optional)]
    content: Option<fn(i64) -> AnyView>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let session = use_session();
    // The Clients tab appears with its first rows (once answered, it stays).
    let ready: Signal<bool> = match clients {
        Some((c, _)) => Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || c.get().is_some()).into(),
        None => Signal::stored(true),
    };
    view! {
        <Shell ready=ready>
            <InAccount content=move |m: MembershipSummary| {
                let id = m.account_id;
                if !m.can_open_client_access_manager {
                    return view! { <CamRefused kind=m.kind/> }.into_any();
                }
                let base = format!("/accounts/{id}/client-access-manager");
                let me = session.info().map(|i| i.user.id).unwrap_or_default();
                let links_refusal = m.partner_program.map(may_have_access_link).and_then(Result::err).map(|r| t.refusal(&r));
                let link_open = RwSignal::new(false);
                let tabs = vec![
                    TabLink { label: t.tab_clients, href: format!("{base}/clients"), selected: tab == CamTab::Clients },
                    TabLink { label: t.tab_employees, href: format!("{base}/employees"), selected: tab == CamTab::Employees },
                    TabLink { label: t.tab_review, href: format!("{base}/review"), selected: tab == CamTab::Review },
                    TabLink { label: t.tab_coverage, href: format!("{base}/coverage"), selected: tab == CamTab::Coverage },
                    TabLink { label: t.tab_history, href: format!("{base}/history"), selected: tab == CamTab::History },
                ];
                view! {
                    <section class="page">
                        <header class="page-header">
                            <div>
                                <p class="eyebrow">{t.nav_partner}</p>
                                <h1>{t.client_access_manager}</h1>
                                <p class="subtitle">{m.account_name.clone()}</p>
                            </div>
                            <div class="header-actions">
                                {match links_refusal {
                                    None => view! {
                                        <button type="button" class="btn btn-primary" on:click=move |_| link_open.set(true)>
                                            {t.get_access_link}
                                        </button>
                                    }.into_any(),
                                    Some(why) => view! {
                                        <button type="button" class="btn" disabled aria-describedby="links-unavailable">{t.get_access_link}</button>
                                        <p id="links-unavailable" class="hint header-hint">{why}</p>
                                    }.into_any(),
                                }}
                            </div>
                        </header>
                        <AccessLinkDialog account_id=id user_id=me title=t.your_access_link open=link_open/>
                        <Tabs label=t.client_access_manager tabs=tabs>
                            {match (clients, content) {
                                (Some((data, clients_view)), _) => clients_view(id, data),
                                (None, Some(content)) => content(id),
                                (None, None) => ().into_any(),
                            }}
                        </Tabs>
                    </section>
                }
                .into_any()
            }/>
        </Shell>
    }
}

/// Shown instead of Client Access Manager when R1 does not hold; the reason
/// is the server's own refusal.
#[component]
fn CamRefused(kind: domain::AccountKind) -> impl IntoView {
    let t = crate::i18n::t();
    // R1's own refusal, as the server words it: no request needed to say why.
    let refusal = domain::rules::client_access_manager_refused(kind);
    let error = api::ApiError { status: 403, code: "forbidden".into(), message: crate::i18n::t().refusal(&refusal) };
    view! {
        <section class="page">
            <header class="page-header"><h1>{t.client_access_manager}</h1></header>
            <ErrorView error=error/>
        </section>
    }
}

pub(crate) fn access_cell(t: &'static crate::i18n::Strings, access: AccessType, set_name: Option<&str>) -> AnyView {
    let label = match (access, set_name) {
        (AccessType::OtherSet, Some(name)) => t.set_name(name),
        (a, _) => t.access_type(a).to_string(),
    };
    let class = match access {
        AccessType::PartnerAdmin => "pill pill-ok",
        AccessType::SuperAdmin => "pill pill-info",
        AccessType::Deactivated => "pill pill-warn",
        AccessType::None => "pill pill-muted",
        AccessType::OtherSet => "pill",
    };
    view! { <span class=class>{label}</span> }.into_any()
}

/// The Clients tab: search, **Access types** filter, sortable columns, paging.
#[component]
fn ClientsTab(account_id: i64, data: Read<Page<ClientRow>>) -> impl IntoView {
    let t = crate::i18n::t();
    let lq = use_list_query();
    let set = use_set_list_query();
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
    let ListControls { on_search, on_sort, on_page, sort } = use_list_controls(lq, "name");
    let set_access = set;
    let on_access = Callback::new(move |v: Vec<String>| {
        // Every type chosen is the same as no filter.
        let access = if v.len() >= AccessType::ALL.len() {
            Vec::new()
        } else {
            AccessType::ALL.iter().copied().filter(|a| v.iter().any(|x| x == a.key())).collect()
        };
        set_access(ListParams { access, page: 1, ..lq.params.get_untracked() }, false)
    });
    let ending = Signal::derive(move || lq.params.get().ending);
    let set_ending = use_set_list_query();
    let on_ending = Callback::new(move |on: bool| {
        set_ending(ListParams { ending: on, page: 1, ..lq.params.get_untracked() }, false)
    });

    view! {
        <div class="toolbar">
            <SearchBox label=t.search_clients value=lq.params.get_untracked().q on_search=on_search/>
            <MultiSelect label=t.access_types options=options selected=selected_access on_change=on_access/>
            <label class="filter-check">
                <input type="checkbox" prop:checked=ending on:change=move |ev| on_ending.run(event_target_checked(&ev))/>
                {t.ending_within_30}
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
        <PagedList data=data on_page={on_page} rows={move |rows: Vec<ClientRow>| {
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
                            Column::new(t.col_access_ends, |r: &ClientRow| ends_cell(r.next_end)),
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
                                sort=sort
                                on_sort=on_sort
                                empty=t.no_clients
                            />
                        }
        }}/>
    }
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
    let ListControls { on_search, on_sort, on_page, sort } = use_list_controls(lq, "name");

    view! {
        <div class="toolbar">
            <SearchBox label=t.search_employees value=lq.params.get_untracked().q on_search=on_search/>
        </div>
        {move || link_for.get().map(|(id, name)| view! {
            <LinkClientsDialog account_id=account_id user_id=id name=name open=link_open on_done=on_done/>
        })}
        {move || remove_for.get().map(|(id, name)| view! {
            <RemoveFromClientsWizard account_id=account_id user_id=id name=name open=remove_open on_done=on_done/>
        })}
        <PagedList data=data on_page={on_page} rows={move |rows: Vec<EmployeeRow>| {
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
                            Column::new(t.col_access_ends, |r: &EmployeeRow| ends_cell(r.next_end)),
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
                                sort=sort
                                on_sort=on_sort
                                empty=t.no_employees
                            />
                        }
        }}/>
    }
}
