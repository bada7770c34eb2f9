//! R6: the **Remove employee from clients** wizard.

use super::asset_list;
use crate::api;
use crate::state::toasts::use_toasts;
use crate::state::write::write;
use crate::widgets::Dialog;
use crate::widgets::FormActions;
use crate::widgets::WizardSteps;
use crate::widgets::{inline_error, Loaded};
use domain::api::EmployeeClient;
use domain::api::RemoveFromClientsRequest;
use leptos::prelude::*;

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
    let clients = super::employee_clients(account_id, user_id, true);
    let chosen = RwSignal::new(Vec::<i64>::new());
    let step = RwSignal::new(0usize);
    let picked = move || {
        let ids = chosen.get();
        clients
            .get()
            .and_then(Result::ok)
            .map(|c| c.into_iter().filter(|x| ids.contains(&x.client_id)).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let query = RwSignal::new(String::new());
    let who = StoredValue::new(name.clone());
    // The names of the chosen clients, as a sentence's list.
    let picked_names = move || crate::format::names(&picked().into_iter().map(|c| c.crm_name).collect::<Vec<_>>());
    let remove = write(
        move |(req, names): (RemoveFromClientsRequest, String)| async move {
            api::cam::remove_from_clients(account_id, user_id, &req).await.map(|()| names)
        },
        move |names: String| {
            toasts.show(t.removed_from_toast(who.get_value(), names));
            open.set(false);
            on_done.run(());
        },
    );
    view! {
        <Dialog open=open title=t.remove_from_clients_for(&name) on_close=Callback::new(move |_| open.set(false))>
            <WizardSteps steps=vec![t.step_choose_clients, t.step_review] current=step/>
            <Loaded data=clients error=inline_error content={move |list: Vec<EmployeeClient>| {
                if list.is_empty() {
                    return view! { <p class="notice">{t.not_in_any_client}</p> }.into_any();
                }
                let all_ids: Vec<i64> = list.iter().map(|c| c.client_id).collect();
                let total = all_ids.len();
                let all_ids = StoredValue::new(all_ids);
                (move || match step.get() {
                0 => view! {
                    // Search and select-all once the list is longer than a screen.
                    {(total > 6).then(|| view! {
                        <div class="toolbar">
                            <input type="search" class="input" aria-label=t.search_clients placeholder=t.search_clients
                                prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                            <label class="check-option">
                                <input type="checkbox"
                                    prop:checked=move || chosen.with(|s| s.len() == total)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.set(if on { all_ids.get_value() } else { Vec::new() });
                                    }/>
                                {t.select_all_n(total)}
                            </label>
                        </div>
                    })}
                    <fieldset class="choices">
                        <legend class="visually-hidden">{t.step_choose_clients}</legend>
                        {list
                            .clone()
                            .into_iter()
                            .map(|c| {
                                let id = c.client_id;
                                let lower = crate::i18n::intl::lower(&c.crm_name);
                                let shown = move || {
                                    let q = crate::i18n::intl::lower(query.get().trim());
                                    q.is_empty() || lower.contains(&q)
                                };
                                view! {
                                    <label class="choice" class:hidden=move || !shown()>
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
                    <div class="button-row sticky-footer">
                        <span class="selection-count">{move || t.n_clients_chosen(chosen.with(Vec::len))}</span>
                        <button type="button" class="btn" on:click=move |_| open.set(false)>{t.cancel}</button>
                        <button type="button" class="btn btn-primary" disabled=move || chosen.with(Vec::is_empty) on:click=move |_| step.set(1)>
                            {t.next}
                        </button>
                    </div>
                }
                .into_any(),
                _ => view! {
                    <ul class="review-list">
                        {picked().into_iter().map(|c| view! { <li><strong>{c.crm_name}</strong> {asset_list(&c.assets)}</li> }).collect_view()}
                    </ul>
                    // Right above Done: exactly what it does, with names and counts.
                    <p class="consequence">{move || {
                        let unowned: usize = picked().iter().map(|c| c.assets.len()).sum();
                        let mut s = t.loses_access_to(who.get_value(), picked_names());
                        if unowned > 0 {
                            s = format!("{s} {}", t.assets_left_unowned(unowned));
                        }
                        s
                    }}</p>
                    <FormActions
                        action=remove
                        label=t.done
                        pending_label=t.removing
                        danger=true
                        cancel_label=t.back
                        on_submit=Callback::new(move |_| {
                            remove.dispatch((RemoveFromClientsRequest { client_ids: chosen.get_untracked() }, picked_names()));
                        })
                        on_cancel=Callback::new(move |_| step.set(0))
                    />
                }
                .into_any(),
                })
                .into_any()
            }}/>
        </Dialog>
    }
}
