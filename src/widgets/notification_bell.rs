//! The notifications bell: unread count, and the newest notifications.

use crate::api;
use crate::state::read::read;
use crate::state::write::write;
use crate::widgets::close_on_escape;
use domain::api::NotificationList;
use leptos::prelude::*;

/// The bell in the top bar.
#[component]
pub fn NotificationBell() -> impl IntoView {
    let t = crate::i18n::t();
    let data = read(api::notifications::list);
    let open = RwSignal::new(false);
    let mark_read = write(move |()| api::notifications::mark_read(), move |()| data.refetch());
    let list = move || data.get().and_then(Result::ok);
    let unread = move || list().map(|d: NotificationList| d.unread).unwrap_or(0);
    let toggle = move |_| {
        let opening = !open.get_untracked();
        open.set(opening);
        if opening && unread() > 0 {
            mark_read.dispatch(());
        }
    };
    view! {
        <div class="bell" on:keydown=move |ev| close_on_escape(ev, open)>
            <button
                type="button"
                class="bell-button"
                aria-haspopup="true"
                aria-expanded=move || open.get().to_string()
                aria-label=move || t.notifications_unread(unread())
                on:click=toggle
            >
                <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
                    <path d="M10 2.5a5 5 0 0 0-5 5v3.2L3.5 13.5h13L15 10.7V7.5a5 5 0 0 0-5-5zM8 15.5a2 2 0 0 0 4 0" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/>
                </svg>
                <Show when=move || { unread() > 0 }>
                    <span class="bell-count" aria-hidden="true">{unread}</span>
                </Show>
            </button>
            <Show when=move || open.get()>
                <div class="menu-backdrop" on:click=move |_| open.set(false)></div>
                <div class="menu bell-menu" role="group" aria-label=t.notifications>
                    <h2 class="bell-title">{t.notifications}</h2>
                    {move || {
                        let items = list().map(|d| d.items).unwrap_or_default();
                        if items.is_empty() {
                            view! { <p class="hint">{t.no_notifications}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="bell-list">
                                    {items
                                        .into_iter()
                                        .map(|n| view! {
                                            <li class="bell-item" class:unread=!n.read>
                                                // Worded by the server, in the person's language.
                                                <div class="bell-item-title">{n.title}</div>
                                                <div class="bell-item-body">{n.body}</div>
                                                <div class="bell-item-date">{crate::format::date_time(n.created_at)}</div>
                                            </li>
                                        })
                                        .collect_view()}
                                </ul>
                            }
                            .into_any()
                        }
                    }}
                </div>
            </Show>
        </div>
    }
}
