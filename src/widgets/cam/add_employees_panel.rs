//! R4: the **Add employees** side panel of a client, with the grant preview (R3).

use super::set_perms;
use super::SetSelect;
use crate::api;
use crate::api::ApiError;
use crate::format::permission_list;
use crate::state::read::read;
use crate::state::toasts::use_toasts;
use crate::state::write::write;
use crate::widgets::Dialog;
use crate::widgets::EndDateField;
use crate::widgets::FormActions;
use crate::widgets::ModalKind;
use crate::widgets::MultiSelect;
use crate::widgets::SelectOption;
use crate::widgets::{inline_error, Loaded};
use domain::api::AddEmployeesRequest;
use domain::api::ClientDetails;
use domain::api::EmployeeRow;
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
    // The client (who is already in it, what I hold there) and every
    // employee of the partner, loaded together.
    let loaded = read(move || async move {
        let details = api::cam::client(account_id, client_id).await?;
        let people = api::cam::all_employees(account_id).await?;
        Ok::<(ClientDetails, Vec<EmployeeRow>), ApiError>((details, people.rows))
    });
    let ready = move || loaded.get().and_then(Result::ok);
    let options = Signal::derive(move || {
        let Some((details, people)) = ready() else { return vec![] };
        let present: Vec<i64> = details.employees.iter().map(|e| e.user_id).collect();
        // Names in the order of the user's language (Ä after Z in Finnish
        // and Swedish, Ł after L in Polish).
        let names: Vec<&str> = people.iter().map(|p| p.name.as_str()).collect();
        crate::format::name_order(&names)
            .into_iter()
            .map(|i| &people[i])
            .map(|p| SelectOption {
                value: p.user_id.to_string(),
                label: p.name.clone(),
                disabled_reason: present.contains(&p.user_id).then(|| t.already_in_client.to_string()),
            })
            .collect::<Vec<_>>()
    });
    let names = Signal::derive(move || {
        ready()
            .map(|(_, people)| people.iter().map(|p| (p.user_id, p.name.clone())).collect::<Vec<_>>())
            .unwrap_or_default()
    });
    let selected = RwSignal::new(Vec::<String>::new());
    let set = RwSignal::new(StandardSet::PartnerAdmin.key().to_string());
    let ends = RwSignal::new(None::<domain::UnixTime>);
    let mine = move || ready().map(|(d, _)| d.my_permissions).unwrap_or_default();
    // R18: the client's ceiling for the partner bounds every grant here.
    let ceiling = move || ready().and_then(|(d, _)| d.ceiling).unwrap_or(Perms::all());
    // R18: whose ceiling, for which partner ("Acme's ceiling for Northwind").
    let ceiling_of =
        StoredValue::new((client_name.clone(), crate::state::session::use_session().account_name(account_id)));
    let add = write(
        move |req: AddEmployeesRequest| async move { api::cam::add_employees(account_id, client_id, &req).await },
        move |done: Vec<domain::api::EmployeeChange>| {
            toasts.show(t.added_employees(done.len()));
            open.set(false);
            on_done.run(());
        },
    );
    view! {
        <Dialog open=open kind=ModalKind::SidePanel title=t.add_employees_to(&client_name) on_close=Callback::new(move |_| open.set(false))>
            <Loaded data=loaded error=inline_error content={move |_| view! {
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
                    <EndDateField value=ends id="add-ends"/>
                    <ul class="preview-list">
                        {move || {
                            let s = set_perms(&set.get());
                            let (a, c) = (mine(), ceiling());
                            selected
                                .get()
                                .into_iter()
                                .filter_map(|id| id.parse::<i64>().ok())
                                .map(|id| {
                                    let name = names.with(|n| n.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()).unwrap_or_default());
                                    let change = grant(Granter::holding(a).within(c), Perms::EMPTY, &Requested::set(s.0, s.1)).change();
                                    let left_out = (!change.not_granted.is_empty()).then(|| t.left_out(permission_list(change.not_granted)));
                                    let above = (!change.above_ceiling.is_empty()).then(|| ceiling_of.with_value(|(c, p)| t.above_ceiling_list(c, p, permission_list(change.above_ceiling))));
                                    view! {
                                        <li>
                                            <strong>{name}</strong>
                                            " · "
                                            {t.will_get(change.new.len())}
                                            {left_out.map(|l| view! { <div class="hint">{l}</div> })}
                                            {above.map(|l| view! { <div class="hint">{l}</div> })}
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                    <FormActions
                        action=add
                        label=t.add_employees
                        disabled=Signal::derive(move || selected.with(Vec::is_empty))
                        on_submit=Callback::new(move |_| {
                            let user_ids: Vec<i64> = selected.get_untracked().iter().filter_map(|s| s.parse().ok()).collect();
                            if !user_ids.is_empty() {
                                add.dispatch(AddEmployeesRequest {
                                    user_ids,
                                    permission_set: set_perms(&set.get_untracked()).0,
                                    ends_at: ends.get_untracked(),
                                });
                            }
                        })
                        on_cancel=Callback::new(move |_| open.set(false))
                    />
                }}/>
        </Dialog>
    }
}
