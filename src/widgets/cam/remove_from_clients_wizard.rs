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
    let remove = write(
        move |req: RemoveFromClientsRequest| async move {
            let n = req.client_ids.len();
            api::cam::remove_from_clients(account_id, user_id, &req).await.map(|()| n)
        },
        move |n: usize| {
            toasts.show(t.removed_toast(n));
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
                (move || match step.get() {
                0 => view! {
                    <fieldset class="choices">
                        <legend class="visually-hidden">{t.step_choose_clients}</legend>
                        {list
                            .clone()
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
                _ => view! {
                    <p><strong>{t.remove_from_n_clients(chosen.with_untracked(Vec::len))}</strong></p>
                    <p class="hint">{t.remove_review}</p>
                    <ul class="review-list">
                        {picked().into_iter().map(|c| view! { <li><strong>{c.crm_name}</strong> {asset_list(&c.assets)}</li> }).collect_view()}
                    </ul>
                    <FormActions
                        action=remove
                        label=t.done
                        pending_label=t.removing
                        danger=true
                        cancel_label=t.back
                        on_submit=Callback::new(move |_| {
                            remove.dispatch(RemoveFromClientsRequest { client_ids: chosen.get_untracked() });
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
