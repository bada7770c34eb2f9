//! R4: the **Add employees** side panel of a client, with the grant preview (R3).

use super::set_perms;
use super::SetSelect;
use crate::api;
use crate::api::ApiError;
use crate::components::Dialog;
use crate::components::Loading;
use crate::components::ModalKind;
use crate::components::MultiSelect;
use crate::components::SelectOption;
use crate::format::permission_list;
use crate::state::toasts::use_toasts;
use domain::api::AddEmployeesRequest;
use domain::api::ClientDetails;
use domain::grant::grant;
use domain::grant::Granter;
use domain::grant::Requested;
use domain::Perms;
use domain::StandardSet;
use leptos::prelude::*;

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
        <Dialog open=open kind=ModalKind::SidePanel title=(t.add_employees_to)(&client_name) on_close=Callback::new(move |_| open.set(false))>
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
        </Dialog>
    }
}
