//! R7: the **Remove partner employee** wizard of a client.

use super::asset_list;
use crate::api;
use crate::state::toasts::use_toasts;
use crate::state::write::write;
use crate::widgets::Dialog;
use crate::widgets::FormActions;
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
    let ids: Vec<i64> = employees.iter().map(|e| e.user_id).collect();
    let n = ids.len();
    let employees = StoredValue::new(employees);
    let remove = write(
        move |req: RemoveEmployeesRequest| async move { api::cam::remove_employees(account_id, client_id, &req).await },
        move |()| {
            toasts.show(t.removed_toast(n));
            open.set(false);
            on_done.run(());
        },
    );
    let ids = StoredValue::new(ids);
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
            <FormActions
                action=remove
                label=t.confirm_removal
                pending_label=t.removing
                danger=true
                on_submit=Callback::new(move |_| { remove.dispatch(RemoveEmployeesRequest { user_ids: ids.get_value() }); })
                on_cancel=Callback::new(move |_| open.set(false))
            />
        </Dialog>
    }
}
