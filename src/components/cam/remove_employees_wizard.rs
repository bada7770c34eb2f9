//! R7: the **Remove partner employee** wizard of a client.

use super::asset_list;
use crate::api;
use crate::components::Dialog;
use crate::state::toasts::use_toasts;
use domain::api::ClientEmployee;
use domain::api::RemoveEmployeesRequest;
use leptos::prelude::*;

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
