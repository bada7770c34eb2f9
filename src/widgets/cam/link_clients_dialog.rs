//! R5: the **Link clients** dialog of an employee.

use crate::api;
use crate::state::toasts::use_toasts;
use crate::state::write::write;
use crate::widgets::Dialog;
use crate::widgets::FormActions;
use crate::widgets::{inline_error, Loaded};
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
    let clients = super::employee_clients(account_id, user_id, false);
    let chosen = RwSignal::new(String::new());
    let link = write(
        move |req: LinkClientRequest| async move { api::cam::link_client(account_id, user_id, &req).await },
        move |()| {
            toasts.show(t.linked_toast);
            open.set(false);
            on_done.run(());
        },
    );
    view! {
        <Dialog open=open title=t.link_clients_for(&name) on_close=Callback::new(move |_| open.set(false))>
            <p class="hint">{t.link_intro}</p>
            <Loaded data=clients error=inline_error content={move |list: Vec<EmployeeClient>| match list.is_empty() {
                true => view! { <p class="notice">{t.nothing_to_link}</p> }.into_any(),
                false => view! {
                    <div class="field">
                        <label for="link-client">{t.client_label}</label>
                        <select id="link-client" class="input" on:change=move |ev| chosen.set(event_target_value(&ev))>
                            <option value="">{t.choose_client}</option>
                            {list.into_iter().map(|c| view! { <option value=c.client_id.to_string()>{c.crm_name}</option> }).collect_view()}
                        </select>
                    </div>
                }
                .into_any(),
            }}/>
            <FormActions
                action=link
                label=t.confirm
                disabled=Signal::derive(move || chosen.with(String::is_empty))
                on_submit=Callback::new(move |_| {
                    if let Ok(client_id) = chosen.get_untracked().parse::<i64>() {
                        link.dispatch(LinkClientRequest { client_id });
                    }
                })
                on_cancel=Callback::new(move |_| open.set(false))
            />
        </Dialog>
    }
}
