//! R9: the **Change to Partner Admin** dialog, on the partner and the client side.

use crate::api;
use crate::components::Dialog;
use crate::components::Toggle;
use crate::state::toasts::use_toasts;
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
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let confirm = move |_| {
        busy.set(true);
        error.set(None);
        let keep_billing = keep.get_untracked();
        leptos::task::spawn_local(async move {
            let result = match via {
                MigrateVia::Partner { client_id, user_id } => {
                    api::cam::migrate(account_id, client_id, &MigrateRequest { user_id, keep_billing }).await
                }
                MigrateVia::Client { user_id } => {
                    api::users::migrate(account_id, user_id, &MigrateRequest { user_id: None, keep_billing }).await
                }
            };
            match result {
                Ok(()) => {
                    toasts.show(t.migrated);
                    open.set(false);
                    on_done.run(());
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <Dialog open=open title=title on_close=Callback::new(move |_| open.set(false))>
            <p class="hint">{t.migrate_intro}</p>
            <Toggle label=t.keep_billing checked=keep on_change=Callback::new(move |v| keep.set(v)) hint=t.keep_billing_hint/>
            {move || error.get().map(|e| view! { <p class="form-error spaced" role="alert">{e}</p> })}
            <div class="button-row">
                <button type="button" class="btn" on:click=move |_| open.set(false)>{t.cancel}</button>
                <button type="button" class="btn btn-primary" disabled=move || busy.get() on:click=confirm>{t.confirm}</button>
            </div>
        </Dialog>
    }
}
