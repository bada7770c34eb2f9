//! R17: one employee across many clients — **Add to clients** and **Change
//! permission set in clients**. Step 1 takes the set (and, adding, an end
//! date) above the clients, then the clients: searched, or all that match.
//! Adding lists each client with the *employee's* own access there and
//! marks, before anything is chosen, the clients where the decision of the
//! job (A1: the partner suspended, the actor no active Partner Admin there,
//! the employee already a user) would refuse, with the reason; those cannot
//! be chosen, and "Select all" takes only the others. The marks are the
//! server's preview, which asks the very decision the job asks, so the page
//! and the job agree. Step 2 reviews per client what R3 will grant or which
//! rule refuses; then a job does it.

use super::review_step::{outcome, Counts, ReviewStep};
use crate::api;
use crate::api::cam::ListParams;
use crate::api::http::ApiResult;
use crate::entry::use_navigate;
use crate::format::permission_list;
use crate::i18n::Strings;
use crate::state::list_query::{use_account_id, use_id_param};
use crate::state::read::read;
use crate::state::selection::BulkChoice;
use crate::state::write::write;
use crate::widgets::cam_frame::access_cell;
use crate::widgets::{
    inline_error, Column, DataTable, EndDateField, FormActions, Loaded, Pager, SearchBox, SetSelect, Shell, WizardSteps,
};
use domain::api::{
    AccessHere, ClientPlan, ClientSelection, ClientsAction, ClientsPreview, ClientsRequest, EmployeeClient, JobSummary,
};
use domain::{AccessType, Refusal, StandardSet, UnixTime};
use leptos::prelude::*;
use std::collections::HashMap;

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

/// A client on the choosing step of changing a set.
#[derive(Debug, Clone, PartialEq)]
struct Choice {
    id: i64,
    name: String,
    sub: String,
}

/// A client on the choosing step of adding: the employee's own access there
/// and, when the decision would refuse adding them, why.
#[derive(Debug, Clone, PartialEq)]
struct Candidate {
    id: i64,
    name: String,
    official: Option<String>,
    employee: Option<AccessHere>,
    refusal: Option<Refusal>,
}

/// A page of the partner's clients to add the employee to.
#[derive(Debug, Clone, PartialEq)]
struct Candidates {
    rows: Vec<Candidate>,
    total: u64,
    page: u32,
    pages: u32,
}

/// What adding with `set` is asked about before anything is chosen (no
/// end: an end is checked once, for every client alike).
fn probe(set: StandardSet, selection: ClientSelection) -> ClientsRequest {
    ClientsRequest { action: ClientsAction::Add, selection, permission_set: set, ends_at: None }
}

/// A page of the partner's clients, each with the employee's access there
/// and the decision's answer for adding them with `set` now.
async fn candidates(account_id: i64, user_id: i64, p: &ListParams, set: StandardSet) -> ApiResult<Candidates> {
    let clients = api::cam::clients(account_id, p).await?;
    let ids: Vec<i64> = clients.rows.iter().map(|r| r.id).collect();
    let mut plans: HashMap<i64, ClientPlan> = HashMap::new();
    if !ids.is_empty() {
        let preview =
            api::review::preview_clients(account_id, user_id, &probe(set, ClientSelection::Clients { ids })).await?;
        plans = preview.rows.into_iter().map(|r| (r.client_id, r)).collect();
    }
    let pages = clients.page_count();
    let rows = clients
        .rows
        .into_iter()
        .map(|r| {
            let plan = plans.remove(&r.id);
            Candidate {
                id: r.id,
                official: (r.official_name != r.crm_name).then_some(r.official_name),
                name: r.crm_name,
                employee: plan.as_ref().and_then(|p| p.employee.clone()),
                refusal: plan.and_then(|p| p.refusal),
            }
        })
        .collect();
    Ok(Candidates { rows, total: clients.total, page: clients.page, pages })
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
                        <BulkSteps account_id=a user_id=e.user_id name=e.name action=action/>
                    }
                }}/>
            </section>
        </Shell>
    }
}

#[component]
fn BulkSteps(account_id: i64, user_id: i64, name: String, action: ClientsAction) -> impl IntoView {
    let t = crate::i18n::t();
    let step = RwSignal::new(0usize);
    let q = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    // The set Add employees and Change permission set start with.
    let set_key = RwSignal::new(StandardSet::PartnerAdmin.key().to_string());
    let set = Memo::new(move |_| StandardSet::parse(&set_key.get()).unwrap_or(StandardSet::PartnerAdmin));
    let ends = RwSignal::new(None::<UnixTime>);
    let adding = action == ClientsAction::Add;
    // Adding: a page of the partner's clients with what the decision answers for each.
    let add_list = read(move || {
        let p = ListParams { q: q.get(), page: page.get(), ..ListParams::default() };
        let set = set.get();
        async move {
            if adding {
                candidates(account_id, user_id, &p, set).await
            } else {
                Ok(Candidates { rows: vec![], total: 0, page: 1, pages: 1 })
            }
        }
    });
    // Adding: how many of every client the search matches can be added, and how many not.
    let counts = read(move || {
        let q = Some(q.get()).filter(|s| !s.is_empty());
        let set = set.get();
        async move {
            if !adding {
                return Ok((0u64, 0u64));
            }
            let all = ClientSelection::Matching { q, member: false, allowed_only: false, except: vec![] };
            match api::review::preview_clients(account_id, user_id, &probe(set, all)).await {
                Ok(p) => Ok((p.allowed, p.refused)),
                // No client matches the search.
                Err(e) if e.status == 400 => Ok((0, 0)),
                Err(e) => Err(e),
            }
        }
    });
    // Changing: the employee's clients.
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
    // What "Select all" takes: adding, the matching clients that can be added.
    let total = Memo::new(move |_| match action {
        ClientsAction::Add => counts.get().and_then(Result::ok).map(|(allowed, _)| allowed).unwrap_or(0),
        ClientsAction::ChangeSet => matching_mine().len() as u64,
    });
    let refused = Memo::new(move |_| counts.get().and_then(Result::ok).map(|(_, refused)| refused).unwrap_or(0));
    // The clients on screen that can be chosen: a page of the partner's
    // (less those refused), or the employee's that match.
    let on_screen = Signal::derive(move || match action {
        ClientsAction::Add => add_list
            .get()
            .and_then(Result::ok)
            .map(|p| p.rows.iter().filter(|r| r.refusal.is_none()).map(|r| r.id).collect())
            .unwrap_or_default(),
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
        let selection = if choice.all.get_untracked() && adding {
            let q = Some(q.get_untracked()).filter(|s| !s.is_empty());
            ClientSelection::Matching { q, member: false, allowed_only: true, except }
        } else if choice.all.get_untracked() {
            let ids = matching_mine().into_iter().map(|c| c.client_id).filter(|id| !except.contains(id)).collect();
            ClientSelection::Clients { ids }
        } else {
            ClientSelection::Clients { ids: choice.ticked.get_untracked() }
        };
        ClientsRequest {
            action,
            selection,
            permission_set: set.get_untracked(),
            ends_at: if adding { ends.get_untracked() } else { None },
        }
    };
    let change_table = move |rows: Vec<Choice>| {
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
    let access_head = t.access_of(&name);
    let choose_all_label = move || match action {
        ClientsAction::Add => t.select_all_addable(total.get()),
        ClientsAction::ChangeSet => t.select_all_matching(total.get()),
    };
    let bar_shown = move || choice.can_choose_all(total.get()) || count() != 0;
    view! {
        <WizardSteps steps=vec![t.step_choose_clients, t.step_review] current=step/>
        <Show when=move || step.get() == 0>
            // What is given comes first, above the list: the set and the end.
            <div class="form-grid">
                <SetSelect value=set_key id="bulk-set"/>
                {adding.then(|| view! { <EndDateField value=ends id="bulk-ends"/> })}
            </div>
            <div class="toolbar">
                <SearchBox label=t.search_clients value=String::new() on_search=on_search/>
            </div>
            <Show when=bar_shown>
                <div class="selection-bar" role="region" aria-label=t.selection>
                    <Show when=move || choice.can_choose_all(total.get())>
                        <button type="button" class="btn btn-small" on:click=move |_| choice.choose_all()>
                            {choose_all_label}
                        </button>
                    </Show>
                    <Show when=move || count() != 0>
                        <button type="button" class="btn btn-small" on:click=move |_| choice.clear()>{t.clear_selection}</button>
                    </Show>
                </div>
            </Show>
            <Show when=move || adding && refused.get() != 0>
                <p class="hint">{move || t.n_cannot_add(refused.get())}</p>
            </Show>
            {
                let access_head = access_head.clone();
                move || match action {
                    ClientsAction::Add => {
                        let access_head = access_head.clone();
                        view! {
                            <Loaded data=add_list content={move |c: Candidates| {
                                view! {
                                    <CandidateTable candidates=c.rows.clone() choice=choice access_head=access_head.clone()/>
                                    <Pager total=c.total page=c.page pages=c.pages on_page=on_page/>
                                }
                            }}/>
                        }
                        .into_any()
                    }
                    ClientsAction::ChangeSet => view! {
                        <Loaded data=mine content={move |_all: Vec<EmployeeClient>| {
                            let rows = matching_mine().into_iter().map(|c| {
                                let status = t.status(c.status).to_string();
                                let sub = match c.ends_at {
                                    Some(at) => format!("{status} · {}", t.ends_date(crate::format::date(at))),
                                    None => status,
                                };
                                Choice { id: c.client_id, name: c.crm_name.clone(), sub }
                            }).collect();
                            change_table(rows)
                        }}/>
                    }
                    .into_any(),
                }
            }
            // The count and Next stay on screen below however long the list.
            <div class="button-row sticky-footer">
                <span class="selection-count" aria-live="polite">{move || t.n_clients_chosen(count())}</span>
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

/// The clients of the adding step: a box for each that can be chosen (a
/// refused one's is disabled and described by its reason), the employee's
/// own access there, and whether they can be added.
#[component]
fn CandidateTable(candidates: Vec<Candidate>, choice: BulkChoice, access_head: String) -> impl IntoView {
    let t = crate::i18n::t();
    let ticked = choice.ticked;
    let allowed: Vec<i64> = candidates.iter().filter(|c| c.refusal.is_none()).map(|c| c.id).collect();
    let none_allowed = allowed.is_empty();
    let for_check = allowed.clone();
    let all_checked = move || !for_check.is_empty() && ticked.with(|s| for_check.iter().all(|i| s.contains(i)));
    let body = if candidates.is_empty() {
        view! { <tr class="empty-row"><td colspan="4">{t.no_clients}</td></tr> }.into_any()
    } else {
        candidates.into_iter().map(|c| candidate_row(t, c, ticked, access_head.clone())).collect_view().into_any()
    };
    view! {
        <div class="table-wrap">
            <table class="data-table" aria-label=t.step_choose_clients>
                <thead>
                    <tr>
                        <th scope="col" class="select">
                            <label class="select-hit">
                                <input
                                    type="checkbox"
                                    aria-label=t.select_all
                                    disabled=none_allowed
                                    prop:checked=all_checked
                                    on:change=move |ev| {
                                        // This page's clients that can be added join or leave the choice.
                                        let on = event_target_checked(&ev);
                                        ticked.update(|s| {
                                            s.retain(|x| !allowed.contains(x));
                                            if on {
                                                s.extend(allowed.iter().copied());
                                            }
                                        })
                                    }
                                />
                            </label>
                        </th>
                        <th scope="col">{t.col_client}</th>
                        <th scope="col">{access_head}</th>
                        <th scope="col">{t.col_adding}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

fn candidate_row(t: &'static Strings, c: Candidate, ticked: RwSignal<Vec<i64>>, access_head: String) -> AnyView {
    let id = c.id;
    let refused = c.refusal.is_some();
    let why_id = format!("why-not-{id}");
    let access = match &c.employee {
        None => access_cell(t, AccessType::None, None),
        Some(h) => access_cell(t, h.access, h.set_name.as_deref()),
    };
    let mut notes: Vec<String> = Vec::new();
    if let Some(h) = &c.employee {
        if h.access == AccessType::Deactivated {
            notes.extend(h.set_name.as_deref().map(|s| t.set_name(s)));
        }
        notes.extend(h.ends_at.map(|at| t.ends_date(crate::format::date(at))));
        if !h.linked {
            notes.push(t.not_linked.to_string());
        }
    }
    let note = (!notes.is_empty()).then(|| view! { <div class="cell-sub">{notes.join(" · ")}</div> });
    let decision = match &c.refusal {
        None => view! { <span class="pill pill-info">{t.can_add}</span> }.into_any(),
        Some(why) => view! {
            <span class="pill pill-warn">{t.cannot_add}</span>
            <div class="cell-sub" id=why_id.clone()>{t.refusal(why)}</div>
        }
        .into_any(),
    };
    let official = c.official.map(|o| view! { <div class="cell-sub">{o}</div> });
    view! {
        <tr class:row-refused=refused>
            <td class="select">
                <label class="select-hit">
                    <input
                        type="checkbox"
                        aria-label=t.select_row(&c.name)
                        aria-describedby=refused.then_some(why_id)
                        disabled=refused
                        prop:checked=move || ticked.with(|s| s.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            ticked.update(|s| {
                                s.retain(|x| *x != id);
                                if on {
                                    s.push(id);
                                }
                            })
                        }
                    />
                </label>
            </td>
            <td><span class="cell-title">{c.name}</span>{official}</td>
            <td data-label=access_head>{access}{note}</td>
            <td data-label=t.col_adding>{decision}</td>
        </tr>
    }
    .into_any()
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
