//! R5: the **Link clients** dialog of an employee.

use crate::api;
use crate::api::ApiError;
use crate::components::Dialog;
use crate::components::Loading;
use crate::state::toasts::use_toasts;
use domain::api::EmployeeClient;
use domain::api::LinkClientRequest;
use leptos::prelude::*;

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
