//! The Client Access Manager procedures of SPEC §5 as panels, dialogs and
//! wizards: Add employees (R4 with the R3 preview), Change to Partner Admin
//! (R9), Change permission set (R3), Remove partner employee (R7), Link
//! clients (R5) and Remove employee from clients (R6). Each previews with the
//! domain's rule functions and leaves the decision to the server.

use crate::api;
use crate::api::ApiError;
use crate::components::{Dialog, GrantPreview, Loading, MultiSelect, SelectOption, SidePanel, Toggle, WizardSteps};
use crate::format::permission_list;
use crate::state::toasts::use_toasts;
use domain::api::{
    AddEmployeesRequest, ChangeSetRequest, ClientDetails, ClientEmployee, EmployeeClient, LinkClientRequest,
    MigrateRequest, RemoveEmployeesRequest, RemoveFromClientsRequest,
};
use domain::grant::{grant, Granter, Requested};
use domain::{Perms, SetKey, StandardSet};
use leptos::prelude::*;

/// A standard set by its key (the dropdowns offer only standard sets).
fn set_perms(key: &str) -> (SetKey, Perms) {
    let set = StandardSet::parse(key).unwrap_or(StandardSet::ViewOnly);
    (SetKey::Standard(set), set.perms())
}

/// The **Permission set** dropdown of the standard sets.
#[component]
fn SetSelect(value: RwSignal<String>) -> impl IntoView {
    let t = crate::i18n::t();
    view! {
        <div class="field">
            <label for="permission-set">{t.permission_set}</label>
            <select id="permission-set" class="input" on:change=move |ev| value.set(event_target_value(&ev))>
                {StandardSet::ALL
                    .iter()
                    .map(|s| view! { <option value=s.key() selected=move || value.get() == s.key()>{s.name()}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}

/// R4: the **Add employees** side panel of a client.
#[component]
pub fn AddEmployeesPanel(
    account_id: i64,
    client_id: i64,
    client_name: String,
    open: RwSignal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let details = RwSignal::new(None::<Result<ClientDetails, ApiError>>);
    let options = RwSignal::new(Vec::<SelectOption>::new());
    let names = RwSignal::new(Vec::<(i64, String)>::new());
    let selected = RwSignal::new(Vec::<String>::new());
    let set = RwSignal::new(StandardSet::PartnerAdmin.key().to_string());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        let d = api::cam::client(account_id, client_id).await;
        let people = api::cam::all_employees(account_id).await;
        if let (Ok(d), Ok(people)) = (&d, &people) {
            let present: Vec<i64> = d.employees.iter().map(|e| e.user_id).collect();
            names.set(people.rows.iter().map(|p| (p.user_id, p.name.clone())).collect());
            options.set(
                people
                    .rows
                    .iter()
                    .map(|p| SelectOption {
                        value: p.user_id.to_string(),
                        label: p.name.clone(),
                        disabled_reason: present.contains(&p.user_id).then(|| t.already_in_client.to_string()),
                    })
                    .collect(),
            );
        }
        details.set(Some(d.and_then(|d| people.map(|_| d))));
    });
    let mine = move || {
        details.with(|d| d.as_ref().and_then(|d| d.as_ref().ok()).map(|d| d.my_permissions).unwrap_or_default())
    };
    let submit = move |_| {
        let user_ids: Vec<i64> = selected.get_untracked().iter().filter_map(|s| s.parse().ok()).collect();
        if user_ids.is_empty() {
            return;
        }
        busy.set(true);
        let req = AddEmployeesRequest { user_ids, permission_set: set_perms(&set.get_untracked()).0 };
        leptos::task::spawn_local(async move {
            match api::cam::add_employees(account_id, client_id, &req).await {
                Ok(done) => {
                    toasts.show((t.added_employees)(done.len()));
                    open.set(false);
                    on_done.run(());
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <SidePanel open=open title=(t.add_employees_to)(&client_name) on_close=Callback::new(move |_| open.set(false))>
            {move || match details.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                Some(Ok(_)) => view! {
                    <div class="field">
                        <MultiSelect
                            label=t.employees_label
                            options=options
                            selected=selected
                            on_change=Callback::new(move |v| selected.set(v))
                            searchable=true
                        />
                    </div>
                    <SetSelect value=set/>
                    <ul class="preview-list">
                        {move || {
                            let s = set_perms(&set.get());
                            let a = mine();
                            selected
                                .get()
                                .into_iter()
                                .filter_map(|id| id.parse::<i64>().ok())
                                .map(|id| {
                                    let name = names.with(|n| n.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()).unwrap_or_default());
                                    let change = grant(Granter::holding(a), Perms::EMPTY, &Requested::set(s.0, s.1)).change();
                                    let left_out = (!change.not_granted.is_empty()).then(|| (t.left_out)(&permission_list(change.not_granted)));
                                    view! {
                                        <li>
                                            <strong>{name}</strong>
                                            " · "
                                            {(t.will_get)(change.new.len())}
                                            {left_out.map(|l| view! { <div class="hint">{l}</div> })}
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                    {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                    <div class="button-row">
                        <button type="button" class="btn" on:click=move |_| open.set(false)>{t.cancel}</button>
                        <button
                            type="button"
                            class="btn btn-primary"
                            disabled=move || busy.get() || selected.with(Vec::is_empty)
                            on:click=submit
                        >
                            {t.add_employees}
                        </button>
                    </div>
                }
                .into_any(),
            }}
        </SidePanel>
    }
}

/// Which migration a [`MigrateDialog`] asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrateVia {
    /// Partner side: in a client, the signed-in user (no `user_id`) or another
    /// partner super admin.
    Partner { client_id: i64, user_id: Option<i64> },
    /// Client side (Users & Teams): a partner super admin of this account.
    Client { user_id: i64 },
}

/// R9: the **Change to Partner Admin** dialog, with **Keep billing permissions**.
#[component]
pub fn MigrateDialog(
    account_id: i64,
    via: MigrateVia,
    #[prop(into)] title: String,
    open: RwSignal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let keep = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let confirm = move |_| {
        busy.set(true);
        error.set(None);
        let keep_billing = keep.get_untracked();
        leptos::task::spawn_local(async move {
            let result = match via {
                MigrateVia::Partner { client_id, user_id } => {
                    api::cam::migrate(account_id, client_id, &MigrateRequest { user_id, keep_billing }).await
                }
                MigrateVia::Client { user_id } => {
                    api::users::migrate(account_id, user_id, &MigrateRequest { user_id: None, keep_billing }).await
                }
            };
            match result {
                Ok(()) => {
                    toasts.show(t.migrated);
                    open.set(false);
                    on_done.run(());
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <Dialog open=open title=title on_close=Callback::new(move |_| open.set(false))>
            <p class="hint">{t.migrate_intro}</p>
            <Toggle label=t.keep_billing checked=keep on_change=Callback::new(move |v| keep.set(v)) hint=t.keep_billing_hint/>
            {move || error.get().map(|e| view! { <p class="form-error spaced" role="alert">{e}</p> })}
            <div class="button-row">
                <button type="button" class="btn" on:click=move |_| open.set(false)>{t.cancel}</button>
                <button type="button" class="btn btn-primary" disabled=move || busy.get() on:click=confirm>{t.confirm}</button>
            </div>
        </Dialog>
    }
}

/// R3: the **Change permission set** dialog with its preview.
#[component]
pub fn ChangeSetDialog(
    account_id: i64,
    client_id: i64,
    employee: ClientEmployee,
    my_permissions: Perms,
    open: RwSignal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let set = RwSignal::new(StandardSet::PartnerAdmin.key().to_string());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let current = employee.permissions;
    let change = Signal::derive(move || {
        let (key, perms) = set_perms(&set.get());
        grant(Granter::holding(my_permissions), current, &Requested::set(key, perms)).change()
    });
    let uid = employee.user_id;
    let confirm = move |_| {
        busy.set(true);
        let req = ChangeSetRequest { permission_set: set_perms(&set.get_untracked()).0 };
        leptos::task::spawn_local(async move {
            match api::cam::change_set(account_id, client_id, uid, &req).await {
                Ok(_) => {
                    toasts.show(t.set_changed);
                    open.set(false);
                    on_done.run(());
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <Dialog open=open title=(t.change_permission_set_for)(&employee.name) on_close=Callback::new(move |_| open.set(false))>
            <SetSelect value=set/>
            <GrantPreview change=change/>
            {move || error.get().map(|e| view! { <p class="form-error spaced" role="alert">{e}</p> })}
            <div class="button-row">
                <button type="button" class="btn" on:click=move |_| open.set(false)>{t.cancel}</button>
                <button type="button" class="btn btn-primary" disabled=move || busy.get() on:click=confirm>{t.confirm}</button>
            </div>
        </Dialog>
    }
}

fn asset_list(assets: &[domain::api::AssetSummary]) -> AnyView {
    let t = crate::i18n::t();
    if assets.is_empty() {
        return view! { <span class="hint">{t.no_assets}</span> }.into_any();
    }
    view! {
        <ul class="asset-list">
            {assets.iter().map(|a| view! { <li>{a.name.clone()} <span class="hint">{format!(" ({})", a.kind.key())}</span></li> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// R7: the **Remove partner employee** wizard of a client.
#[component]
pub fn RemoveEmployeesWizard(
    account_id: i64,
    client_id: i64,
    employees: Vec<ClientEmployee>,
    open: RwSignal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let ids: Vec<i64> = employees.iter().map(|e| e.user_id).collect();
    let n = ids.len();
    let employees = StoredValue::new(employees);
    let confirm = move |_| {
        busy.set(true);
        let req = RemoveEmployeesRequest { user_ids: ids.clone() };
        leptos::task::spawn_local(async move {
            match api::cam::remove_employees(account_id, client_id, &req).await {
                Ok(()) => {
                    toasts.show((t.removed_toast)(n));
                    open.set(false);
                    on_done.run(());
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <Dialog open=open title=t.remove_partner_employee on_close=Callback::new(move |_| open.set(false))>
            <p class="hint">{t.remove_review}</p>
            <ul class="review-list">
                {employees
                    .get_value()
                    .into_iter()
                    .map(|e| view! { <li><strong>{e.name.clone()}</strong> {asset_list(&e.assets)}</li> })
                    .collect_view()}
            </ul>
            {move || error.get().map(|e| view! { <p class="form-error spaced" role="alert">{e}</p> })}
            <div class="button-row">
                <button type="button" class="btn" on:click=move |_| open.set(false)>{t.cancel}</button>
                <button type="button" class="btn btn-danger" disabled=move || busy.get() on:click=confirm.clone()>
                    {move || if busy.get() { t.removing } else { t.confirm_removal }}
                </button>
            </div>
        </Dialog>
    }
}

/// R5: the **Link clients** dialog of an employee.
#[component]
pub fn LinkClientsDialog(
    account_id: i64,
    user_id: i64,
    name: String,
    open: RwSignal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let clients = RwSignal::new(None::<Result<Vec<EmployeeClient>, ApiError>>);
    let chosen = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    leptos::task::spawn_local(async move {
        clients.set(Some(
            api::cam::employee_clients(account_id, user_id)
                .await
                .map(|v| v.into_iter().filter(|c| !c.linked).collect()),
        ));
    });
    let confirm = move |_| {
        let Ok(client_id) = chosen.get_untracked().parse::<i64>() else { return };
        leptos::task::spawn_local(async move {
            match api::cam::link_client(account_id, user_id, &LinkClientRequest { client_id }).await {
                Ok(()) => {
                    toasts.show(t.linked_toast);
                    open.set(false);
                    on_done.run(());
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <Dialog open=open title=(t.link_clients_for)(&name) on_close=Callback::new(move |_| open.set(false))>
            <p class="hint">{t.link_intro}</p>
            {move || match clients.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="notice">{t.nothing_to_link}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <div class="field">
                        <label for="link-client">{t.client_label}</label>
                        <select id="link-client" class="input" on:change=move |ev| chosen.set(event_target_value(&ev))>
                            <option value="">{t.choose_client}</option>
                            {list.into_iter().map(|c| view! { <option value=c.client_id.to_string()>{c.crm_name}</option> }).collect_view()}
                        </select>
                    </div>
                }
                .into_any(),
            }}
            {move || error.get().map(|e| view! { <p class="form-error spaced" role="alert">{e}</p> })}
            <div class="button-row">
                <button type="button" class="btn" on:click=move |_| open.set(false)>{t.cancel}</button>
                <button type="button" class="btn btn-primary" disabled=move || chosen.with(String::is_empty) on:click=confirm>{t.confirm}</button>
            </div>
        </Dialog>
    }
}

/// R6: the two-step **Remove employee from clients** wizard.
#[component]
pub fn RemoveFromClientsWizard(
    account_id: i64,
    user_id: i64,
    name: String,
    open: RwSignal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let clients = RwSignal::new(None::<Result<Vec<EmployeeClient>, ApiError>>);
    let chosen = RwSignal::new(Vec::<i64>::new());
    let step = RwSignal::new(0usize);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        clients.set(Some(
            api::cam::employee_clients(account_id, user_id).await.map(|v| v.into_iter().filter(|c| c.linked).collect()),
        ));
    });
    let picked = move || {
        let ids = chosen.get();
        clients
            .with(|c| {
                c.as_ref()
                    .and_then(|c| c.as_ref().ok())
                    .map(|c| c.iter().filter(|x| ids.contains(&x.client_id)).cloned().collect::<Vec<_>>())
            })
            .unwrap_or_default()
    };
    let done = move |_| {
        busy.set(true);
        error.set(None);
        let ids = chosen.get_untracked();
        let n = ids.len();
        leptos::task::spawn_local(async move {
            match api::cam::remove_from_clients(account_id, user_id, &RemoveFromClientsRequest { client_ids: ids })
                .await
            {
                Ok(()) => {
                    toasts.show((t.removed_toast)(n));
                    open.set(false);
                    on_done.run(());
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <Dialog open=open title=(t.remove_from_clients_for)(&name) on_close=Callback::new(move |_| open.set(false))>
            <WizardSteps steps=vec![t.step_choose_clients, t.step_review] current=step/>
            {move || match (clients.get(), step.get()) {
                (None, _) => view! { <Loading/> }.into_any(),
                (Some(Err(e)), _) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                (Some(Ok(list)), _) if list.is_empty() => view! { <p class="notice">{t.not_in_any_client}</p> }.into_any(),
                (Some(Ok(list)), 0) => view! {
                    <fieldset class="choices">
                        <legend class="visually-hidden">{t.step_choose_clients}</legend>
                        {list
                            .into_iter()
                            .map(|c| {
                                let id = c.client_id;
                                view! {
                                    <label class="choice">
                                        <input
                                            type="checkbox"
                                            prop:checked=move || chosen.with(|s| s.contains(&id))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                chosen.update(|s| {
                                                    s.retain(|x| *x != id);
                                                    if on {
                                                        s.push(id);
                                                    }
                                                })
                                            }
                                        />
                                        <span class="choice-title">{c.crm_name.clone()}</span>
                                        <div class="choice-body">{asset_list(&c.assets)}</div>
                                    </label>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                    <div class="button-row">
                        <button type="button" class="btn" on:click=move |_| open.set(false)>{t.cancel}</button>
                        <button type="button" class="btn btn-primary" disabled=move || chosen.with(Vec::is_empty) on:click=move |_| step.set(1)>
                            {t.next}
                        </button>
                    </div>
                }
                .into_any(),
                (Some(Ok(_)), _) => view! {
                    <p class="hint">{t.remove_review}</p>
                    <ul class="review-list">
                        {picked().into_iter().map(|c| view! { <li><strong>{c.crm_name}</strong> {asset_list(&c.assets)}</li> }).collect_view()}
                    </ul>
                    {move || error.get().map(|e| view! { <p class="form-error spaced" role="alert">{e}</p> })}
                    <div class="button-row">
                        <button type="button" class="btn" disabled=move || busy.get() on:click=move |_| step.set(0)>{t.back}</button>
                        <button type="button" class="btn btn-danger" disabled=move || busy.get() on:click=done>
                            {move || if busy.get() { t.removing } else { t.done }}
                        </button>
                    </div>
                }
                .into_any(),
            }}
        </Dialog>
    }
}
