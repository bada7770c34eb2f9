//! R9: the **Change to Partner Admin** dialog, on the partner and the client side.

use crate::api;
use crate::state::toasts::use_toasts;
use crate::state::write::write;
use crate::widgets::Dialog;
use crate::widgets::FormActions;
use crate::widgets::Toggle;
use domain::api::MigrateRequest;
use leptos::prelude::*;

/// Which migration a [`MigrateDialog`] asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrateVia {
    /// Partner side: in a client, the signed-in user (no `user_id`) or another
    /// partner super admin.
    Partner { client_id: i64, user_id: Option<i64> },
    /// Client side (Users & Teams): a partner super admin of this account.
    Client { user_id: i64 },
}

/// R9: the **Change to Partner Admin** dialog, with **Keep billing permissions**.
#[component]
pub fn MigrateDialog(
    account_id: i64,
    via: MigrateVia,
    #[prop(into)] title: String,
    open: RwSignal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let keep = RwSignal::new(false);
    let migrate = write(
        move |keep_billing: bool| async move {
            match via {
                MigrateVia::Partner { client_id, user_id } => {
                    api::cam::migrate(account_id, client_id, &MigrateRequest { user_id, keep_billing }).await
                }
                MigrateVia::Client { user_id } => {
                    api::users::migrate(account_id, user_id, &MigrateRequest { user_id: None, keep_billing }).await
                }
            }
        },
        move |()| {
            toasts.show(t.migrated);
            open.set(false);
            on_done.run(());
        },
    );
    view! {
        <Dialog open=open title=title on_close=Callback::new(move |_| open.set(false))>
            <p class="hint">{t.migrate_intro}</p>
            <Toggle label=t.keep_billing checked=keep on_change=Callback::new(move |v| keep.set(v)) hint=t.keep_billing_hint/>
            <FormActions
                action=migrate
                label=t.confirm
                on_submit=Callback::new(move |_| { migrate.dispatch(keep.get_untracked()); })
                on_cancel=Callback::new(move |_| open.set(false))
            />
        </Dialog>
    }
}
