//! The **Actions** menu button of a table row (or a page header).

use crate::widgets::{close_on_escape, focus_first_item, menu_keys};
use leptos::prelude::*;

/// One entry of an actions menu: a link or a callback; disabled ones say why.
#[derive(Clone)]
pub struct MenuAction {
    /// The visible label (also the accessible name).
    pub label: String,
    /// Navigate here when chosen.
    pub href: Option<String>,
    /// Or run this when chosen.
    pub on_select: Option<Callback<()>>,
    /// When set, the entry is disabled and this explains why.
    pub disabled_reason: Option<String>,
}

impl MenuAction {
    /// An entry that navigates to `href`.
    pub fn link(label: impl Into<String>, href: impl Into<String>) -> MenuAction {
        MenuAction { label: label.into(), href: Some(href.into()), on_select: None, disabled_reason: None }
    }

    /// An entry that runs `f`.
    pub fn button(label: impl Into<String>, f: Callback<()>) -> MenuAction {
        MenuAction { label: label.into(), href: None, on_select: Some(f), disabled_reason: None }
    }

    /// Disabled with the rule's reason when `decision` refuses.
    pub fn refused_by(mut self, decision: domain::rules::Decision) -> MenuAction {
        self.disabled_reason = decision.err().map(|r| crate::i18n::t().refusal(&r));
        self
    }
}

/// A button named `label` (visually "Actions") that opens a menu of actions.
#[component]
pub fn ActionsMenu(
    /// Accessible name of the button, e.g. "Actions for Acme Corp".
    #[prop(into)]
    label: String,
    /// The entries.
    items: Vec<MenuAction>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let t = crate::i18n::t();
    let items = StoredValue::new(items);
    let menu = NodeRef::<leptos::html::Ul>::new();
    let button = NodeRef::<leptos::html::Button>::new();
    focus_first_item(menu);
    let menu_label = label.clone();
    view! {
        <div class="actions-menu" on:keydown=move |ev| close_on_escape(ev, open)>
            <button
                type="button"
                class="btn btn-small actions-button"
                aria-haspopup="menu"
                aria-expanded=move || open.get().to_string()
                aria-label=label
                node_ref=button
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <span class="actions-text">{t.actions}</span>
                <span class="caret" aria-hidden="true">"▾"</span>
            </button>
            <Show when=move || open.get()>
                <div class="menu-backdrop" on:click=move |_| open.set(false)></div>
                <ul class="menu" role="menu" aria-label=menu_label.clone() node_ref=menu on:keydown=menu_keys>
                    {items
                        .get_value()
                        .into_iter()
                        .map(|item| {
                            let MenuAction { label, href, on_select, disabled_reason } = item;
                            let disabled = disabled_reason.is_some();
                            let title = disabled_reason.clone().unwrap_or_default();
                            match href {
                                Some(href) if !disabled => view! {
                                    <li role="none">
                                        <a role="menuitem" class="menu-item" rel=crate::entry::rel(&href) href=href on:click=move |_| open.set(false)>{label}</a>
                                    </li>
                                }.into_any(),
                                _ => view! {
                                    <li role="none">
                                        <button
                                            type="button"
                                            role="menuitem"
                                            class="menu-item"
                                            aria-disabled=disabled.to_string()
                                            title=title
                                            on:click=move |_| {
                                                if !disabled {
                                                    open.set(false);
                                                    // The focus goes back to the menu's button, so
                                                    // that a dialog the item opens returns it there.
                                                    if let Some(b) = button.get_untracked() {
                                                        let _ = b.focus();
                                                    }
                                                    if let Some(cb) = on_select { cb.run(()) }
                                                }
                                            }
                                        >
                                            {label}
                                            {disabled_reason.map(|r| view! { <span class="menu-reason">{r}</span> })}
                                        </button>
                                    </li>
                                }.into_any(),
                            }
                        })
                        .collect_view()}
                </ul>
            </Show>
        </div>
    }
}
