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
    /// The client's name, for the sentence above the button and the toast.
    client_name: String,
    open: RwSignal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let ids: Vec<i64> = employees.iter().map(|e| e.user_id).collect();
    let n = ids.len();
    let names = crate::format::names(&employees.iter().map(|e| e.name.clone()).collect::<Vec<_>>());
    let unowned: usize = employees.iter().map(|e| e.assets.len()).sum();
    let mut sentence = t.lose_access_to(n, &names, &client_name);
    if unowned > 0 {
        sentence = format!("{sentence} {}", t.assets_left_unowned(unowned));
    }
    let toast = t.removed_people_toast(names, client_name);
    let employees = StoredValue::new(employees);
    let remove = write(
        move |req: RemoveEmployeesRequest| async move { api::cam::remove_employees(account_id, client_id, &req).await },
        move |()| {
            toasts.show(toast.clone());
            open.set(false);
            on_done.run(());
        },
    );
    let ids = StoredValue::new(ids);
    view! {
        <Dialog open=open title=t.remove_partner_employee on_close=Callback::new(move |_| open.set(false))>
            <ul class="review-list">
                {employees
                    .get_value()
                    .into_iter()
                    .map(|e| view! { <li><strong>{e.name.clone()}</strong> {asset_list(&e.assets)}</li> })
                    .collect_view()}
            </ul>
            <p class="consequence">{sentence.clone()}</p>
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
