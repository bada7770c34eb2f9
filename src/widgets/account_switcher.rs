//! The account switcher: a user can belong to several accounts.

use crate::api;
use crate::entry::use_navigate;
use crate::state::session::use_session;
use crate::state::toasts::use_toasts;
use crate::state::write::{toast_failures, write};
use crate::widgets::shell::account_in_path;
use crate::widgets::{close_on_escape, focus_first_item, menu_keys};
use domain::api::SessionInfo;
use domain::AccountKind;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// A button with the current account's name (the account of the URL, else
/// the session's) that opens the list of the user's accounts; choosing one
/// makes it current and opens its main page.
#[component]
pub fn AccountSwitcher() -> impl IntoView {
    let t = crate::i18n::t();
    let session = use_session();
    let location = use_location();
    let current = Memo::new(move |_| {
        account_in_path(&location.pathname.get()).or_else(|| session.info().and_then(|i| i.current_account_id))
    });
    let toasts = use_toasts();
    let navigate = use_navigate();
    let open = RwSignal::new(false);
    let filter = RwSignal::new(String::new());
    let many = move || session.info().is_some_and(|i| i.memberships.len() > 8);
    let current_name = move || {
        current
            .get()
            .and_then(|id| session.membership(id))
            .map(|m| m.account_name)
            .unwrap_or_else(|| t.switch_account.to_string())
    };
    let kind_label = move |kind: AccountKind| match kind {
        AccountKind::Partner => t.partner_account,
        AccountKind::Customer => t.customer_account,
    };
    let switch = write(
        move |account_id: i64| api::session::switch_account(account_id),
        move |info: SessionInfo| {
            let name = info
                .current_account_id
                .and_then(|id| info.memberships.iter().find(|m| m.account_id == id))
                .map(|m| m.account_name.clone())
                .unwrap_or_default();
            session.set(info);
            toasts.show(t.switched_to(&name));
            navigate(&session.home_path(), Default::default());
        },
    );
    toast_failures(switch, toasts);
    let choose = Callback::new(move |account_id: i64| {
        open.set(false);
        switch.dispatch(account_id);
    });
    let menu = NodeRef::<leptos::html::Ul>::new();
    focus_first_item(menu);
    view! {
        <div class="account-switcher" on:keydown=move |ev| close_on_escape(ev, open)>
            <button
                type="button"
                class="account-button"
                aria-haspopup="menu"
                aria-expanded=move || open.get().to_string()
                aria-label=move || format!("{}: {}", t.switch_account, current_name())
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <span class="account-name">{current_name}</span>
                <span class="caret" aria-hidden="true">"▾"</span>
            </button>
            <Show when=move || open.get()>
                <div class="menu-backdrop" on:click=move |_| open.set(false)></div>
                <div class="menu account-menu">
                    // The search sits above the menu: a menu holds menu items only.
                    <Show when=many>
                        <input
                            type="search"
                            class="input account-search"
                            aria-label=t.search_accounts
                            placeholder=t.search_accounts
                            prop:value=move || filter.get()
                            on:input=move |ev| filter.set(event_target_value(&ev))
                        />
                    </Show>
                    <ul class="menu-list" role="menu" aria-label=t.switch_account node_ref=menu on:keydown=menu_keys>
                    {move || {
                        let f = crate::format::lower(&filter.get());
                        let accounts = session.info().map(|i| i.memberships).unwrap_or_default();
                        let names: Vec<&str> = accounts.iter().map(|m| m.account_name.as_str()).collect();
                        crate::format::name_order(&names)
                            .into_iter()
                            .map(|i| accounts[i].clone())
                            .filter(move |m| f.is_empty() || crate::format::lower(&m.account_name).contains(&f))
                            .map(move |m| {
                                let id = m.account_id;
                                view! {
                                    <li role="none">
                                        <button
                                            type="button"
                                            role="menuitemradio"
                                            class="menu-item"
                                            aria-checked=move || (current.get() == Some(id)).to_string()
                                            on:click=move |_| choose.run(id)
                                        >
                                            <span class="menu-item-title">{m.account_name.clone()}</span>
                                            <span class="menu-item-sub">{kind_label(m.kind)}</span>
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                    </ul>
                </div>
            </Show>
        </div>
    }
}
