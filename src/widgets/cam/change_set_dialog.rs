//! R3: the **Change permission set** dialog with its grant preview.

use super::set_perms;
use super::SetSelect;
use crate::api;
use crate::state::toasts::use_toasts;
use crate::state::write::write;
use crate::widgets::Dialog;
use crate::widgets::FormActions;
use crate::widgets::GrantPreview;
use domain::api::ChangeSetRequest;
use domain::api::ClientEmployee;
use domain::grant::grant;
use domain::grant::Granter;
use domain::grant::Requested;
use domain::Perms;
use domain::StandardSet;
use leptos::prelude::*;

/// R3: the **Change permission set** dialog with its preview.
#[component]
pub fn ChangeSetDialog(
    account_id: i64,
    client_id: i64,
    /// The client's name, as the page shows it.
    client_name: String,
    employee: ClientEmployee,
    my_permissions: Perms,
    /// R18: the client's ceiling for the partner (everything when none).
    ceiling: Perms,
    open: RwSignal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let set = RwSignal::new(StandardSet::PartnerAdmin.key().to_string());
    let current = employee.permissions;
    let change = Signal::derive(move || {
        let (key, perms) = set_perms(&set.get());
        grant(Granter::holding(my_permissions).within(ceiling), current, &Requested::set(key, perms)).change()
    });
    let uid = employee.user_id;
    let change_set = write(
        move |req: ChangeSetRequest| async move { api::cam::change_set(account_id, client_id, uid, &req).await },
        move |_| {
            toasts.show(t.set_changed);
            open.set(false);
            on_done.run(());
        },
    );
    view! {
        <Dialog open=open title=t.change_permission_set_for(&employee.name) on_close=Callback::new(move |_| open.set(false))>
            <SetSelect value=set/>
            <GrantPreview change=change above=t.above_ceiling_of(&client_name, crate::state::session::use_session().account_name(account_id))/>
            <FormActions
                action=change_set
                label=t.confirm
                on_submit=Callback::new(move |_| {
                    change_set.dispatch(ChangeSetRequest { permission_set: set_perms(&set.get_untracked()).0 });
                })
                on_cancel=Callback::new(move |_| open.set(false))
            />
        </Dialog>
    }
}
