//! R17: one employee across many clients — **Add to clients** and **Change
//! permission set in clients**. Step 1 chooses the clients (searched, or
//! all that match), the set and (adding) an end date; step 2 reviews per
//! client what R3 will grant or which rule refuses; then a job does it.

use super::review_step::{outcome, Counts, ReviewStep, SelectionBar};
use crate::api;
use crate::api::cam::ListParams;
use crate::entry::use_navigate;
use crate::format::permission_list;
use crate::state::list_query::{use_account_id, use_id_param};
use crate::state::read::read;
use crate::state::selection::BulkChoice;
use crate::state::write::write;
use crate::widgets::{
    inline_error, Column, DataTable, EndDateField, FormActions, Loaded, Pager, SearchBox, SetSelect, Shell, WizardSteps,
};
use domain::api::{
    ClientPlan, ClientRow, ClientSelection, ClientsAction, ClientsPreview, ClientsRequest, EmployeeClient, JobSummary,
};
use domain::{StandardSet, UnixTime};
use leptos::prelude::*;

/// `/accounts/:id/client-access-manager/employees/:user_id/add-to-clients`.
#[component]
pub fn AddToClientsPage() -> impl IntoView {
    view! { <EmployeeBulk action=ClientsAction::Add/> }
}

/// `/accounts/:id/client-access-manager/employees/:user_id/change-set-in-clients`.
#[component]
pub fn ChangeSetInClientsPage() -> impl IntoView {
    view! { <EmployeeBulk action=ClientsAction::ChangeSet/> }
}

/// A client on the choosing step.
#[derive(Debug, Clone, PartialEq)]
struct Choice {
    id: i64,
    name: String,
    sub: String,
}

#[component]
fn EmployeeBulk(action: ClientsAction) -> impl IntoView {
    let t = crate::i18n::t();
    let account_id = use_account_id();
    let user_id = use_id_param("user_id");
    let employee = read(move || {
        let ids = account_id.get().zip(user_id.get());
        async move {
            let (a, u) = ids.unwrap_or_default();
            api::cam::employee(a, u).await
        }
    });
    let back = move || {
        format!(
            "/accounts/{}/client-access-manager/employees/{}",
            account_id.get().unwrap_or_default(),
            user_id.get().unwrap_or_default()
        )
    };
    view! {
        <Shell>
            <section class="page">
                <nav class="breadcrumbs" aria-label=t.breadcrumb>
                    <a rel="external" href=back>{"← "}{t.back_to_employee}</a>
                </nav>
                <Loaded data=employee content={move |e: domain::api::EmployeeDetails| {
                    let a = account_id.get_untracked().unwrap_or_default();
                    let title = match action {
                        ClientsAction::Add => t.add_to_clients_for(e.name.clone()),
                        ClientsAction::ChangeSet => t.change_set_in_clients_for(e.name.clone()),
                    };
                    view! {
                        <header class="page-header"><div><p class="eyebrow">{t.client_access_manager}</p><h1>{title}</h1></div></header>
                        <BulkSteps account_id=a user_id=e.user_id action=action/>
                    }
                }}/>
            </section>
        </Shell>
    }
}

#[component]
fn BulkSteps(account_id: i64, user_id: i64, action: ClientsAction) -> impl IntoView {
    let t = crate::i18n::t();
    let step = RwSignal::new(0usize);
    let q = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let set_key = RwSignal::new(StandardSet::ViewOnly.key().to_string());
    let ends = RwSignal::new(None::<UnixTime>);
    // Adding: the partner's clients, a page at a time; changing: the employee's clients.
    let add_list = read(move || {
        let p = ListParams { q: q.get(), page: page.get(), ..ListParams::default() };
        async move {
            if action == ClientsAction::Add {
                api::cam::clients(account_id, &p).await
            } else {
                Ok(domain::api::Page::<ClientRow> { rows: vec![], total: 0, page: 1, per_page: 25 })
            }
        }
    });
    let mine = read(move || async move {
        if action == ClientsAction::ChangeSet {
            api::cam::employee_clients(account_id, user_id)
                .await
                .map(|v| v.into_iter().filter(|c| c.linked).collect::<Vec<EmployeeClient>>())
        } else {
            Ok(vec![])
        }
    });
    let matching_mine = move || {
        let needle = crate::format::lower(&q.get());
        mine.get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|c| crate::format::lower(&c.crm_name).contains(&needle))
            .collect::<Vec<_>>()
    };
    let total = Memo::new(move |_| match action {
        ClientsAction::Add => add_list.get().and_then(Result::ok).map(|p| p.total).unwrap_or(0),
        ClientsAction::ChangeSet => matching_mine().len() as u64,
    });
    // The clients on screen: a page of the partner's, or the employee's that match.
    let on_screen = Signal::derive(move || match action {
        ClientsAction::Add => {
            add_list.get().and_then(Result::ok).map(|p| p.rows.iter().map(|r| r.id).collect()).unwrap_or_default()
        }
        ClientsAction::ChangeSet => matching_mine().into_iter().map(|c| c.client_id).collect(),
    });
    let choice = BulkChoice::new(on_screen);
    let count = move || choice.count(total.get());
    let on_search = Callback::new(move |text: String| {
        q.set(text);
        page.set(1);
        choice.new_search();
    });
    let request = move || {
        let except = choice.except.get_untracked();
        let selection = if choice.all.get_untracked() && action == ClientsAction::Add {
            ClientSelection::Matching { q: Some(q.get_untracked()).filter(|s| !s.is_empty()), member: false, except }
        } else if choice.all.get_untracked() {
            let ids = matching_mine().into_iter().map(|c| c.client_id).filter(|id| !except.contains(id)).collect();
            ClientSelection::Clients { ids }
        } else {
            ClientSelection::Clients { ids: choice.ticked.get_untracked() }
        };
        ClientsRequest {
            action,
            selection,
            permission_set: StandardSet::parse(&set_key.get_untracked()).unwrap_or(StandardSet::ViewOnly),
            ends_at: if action == ClientsAction::Add { ends.get_untracked() } else { None },
        }
    };
    let table = move |rows: Vec<Choice>| {
        let columns = vec![Column::new(t.col_client, |c: &Choice| {
            view! { <span class="cell-title">{c.name.clone()}</span><div class="cell-sub">{c.sub.clone()}</div> }
                .into_any()
        })];
        view! {
            <DataTable label=t.step_choose_clients columns=columns rows=rows row_name=|c: &Choice| c.name.clone()
                empty=t.no_clients selection=choice.ticked row_id=|c: &Choice| c.id/>
        }
    };
    let on_page = Callback::new(move |p: u32| page.set(p));
    view! {
        <WizardSteps steps=vec![t.step_choose_clients, t.step_review] current=step/>
        <Show when=move || step.get() == 0>
            <div class="toolbar">
                <SearchBox label=t.search_clients value=String::new() on_search=on_search/>
            </div>
            <SelectionBar choice=choice total=total counted=|t, n| t.n_clients_chosen(n)/>
            {move || match action {
                ClientsAction::Add => view! {
                    <Loaded data=add_list content={move |p: domain::api::Page<ClientRow>| {
                        let pages = p.page_count();
                        let rows = p.rows.iter().map(|r| Choice {
                            id: r.id,
                            name: r.crm_name.clone(),
                            sub: t.your_access_here(t.access_type(r.my_access)),
                        }).collect();
                        view! { {table(rows)} <Pager total=p.total page=p.page pages=pages on_page=on_page/> }
                    }}/>
                }.into_any(),
                ClientsAction::ChangeSet => view! {
                    <Loaded data=mine content={move |_all: Vec<EmployeeClient>| {
                        let rows = matching_mine().into_iter().map(|c| Choice {
                            id: c.client_id,
                            name: c.crm_name.clone(),
                            sub: t.status(c.status).to_string(),
                        }).collect();
                        table(rows)
                    }}/>
                }.into_any(),
            }}
            <div class="form-grid">
                <SetSelect value=set_key id="bulk-set"/>
                {(action == ClientsAction::Add).then(|| view! { <EndDateField value=ends id="bulk-ends"/> })}
            </div>
            <div class="button-row">
                <button type="button" class="btn btn-primary" disabled=move || count() == 0 on:click=move |_| step.set(1)>
                    {t.next}
                </button>
            </div>
        </Show>
        <Show when=move || step.get() == 1>
            <BulkReview account_id=account_id user_id=user_id request=request() step=step/>
        </Show>
    }
}

#[component]
fn BulkReview(account_id: i64, user_id: i64, request: ClientsRequest, step: RwSignal<usize>) -> impl IntoView {
    let t = crate::i18n::t();
    let for_preview = request.clone();
    let preview = read(move || {
        let req = for_preview.clone();
        async move { api::review::preview_clients(account_id, user_id, &req).await }
    });
    let navigate = use_navigate();
    let start = write(
        move |req: ClientsRequest| async move { api::review::start_clients(account_id, user_id, &req).await },
        move |job: JobSummary| {
            navigate(&format!("/accounts/{account_id}/client-access-manager/jobs/{}", job.id), Default::default())
        },
    );
    let action = request.action;
    view! {
        <Loaded data=preview error=inline_error content={move |p: ClientsPreview| {
            let req = request.clone();
            let label = match action {
                ClientsAction::Add => t.add_to_clients,
                ClientsAction::ChangeSet => t.change_set_in_clients,
            };
            let heads = vec![(t.col_client, ""), (t.perms_added, ""), (t.perms_removed, ""), (t.col_outcome, "")];
            let rows = p.rows.iter().map(|r: &ClientPlan| {
                let (added, removed) = r.change.map(|c| (permission_list(c.added), permission_list(c.removed))).unwrap_or_default();
                let kept = r.change.filter(|c| !c.not_granted.is_empty()).map(|c| t.left_out(permission_list(c.not_granted)));
                let result = outcome(r.refusal.as_ref(), t.will_change, kept);
                view! { <tr><td>{r.crm_name.clone()}</td><td class="perm-cell">{added}</td><td class="perm-cell">{removed}</td><td>{result}</td></tr> }
            }).collect_view().into_any();
            let note = req.ends_at.map(|at| view! { <p><strong>{t.access_ends_on(crate::format::date(at))}</strong></p> }.into_any());
            let counts = Counts { total: p.total, allowed: p.allowed, refused: p.refused };
            view! {
                <ReviewStep statement=t.per_client_statement note=note counts=counts extra=None heads=heads rows=rows shown=p.rows.len()>
                <FormActions
                    action=start
                    label=label
                    pending_label=t.starting
                    disabled=Signal::stored(p.allowed == 0)
                    cancel_label=t.back
                    on_submit=Callback::new(move |_| start.dispatch(req.clone()))
                    on_cancel=Callback::new(move |_| step.set(0))
                />
                </ReviewStep>
            }
            .into_any()
        }}/>
    }
}
