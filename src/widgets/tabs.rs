//! Tabs whose selection is the URL: each tab is a link, so deep links and
//! the back button work. Arrow keys move between tabs.

use crate::entry::use_navigate;
use leptos::prelude::*;

/// One tab: its label, where it leads, whether it is the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabLink {
    pub label: &'static str,
    pub href: String,
    pub selected: bool,
}

/// An ARIA tablist followed by the selected tab's panel.
#[component]
pub fn Tabs(
    /// Accessible name of the tab list.
    label: &'static str,
    /// The tabs, in order.
    tabs: Vec<TabLink>,
    /// The selected tab's content.
    children: Children,
) -> impl IntoView {
    let navigate = use_navigate();
    let hrefs: Vec<String> = tabs.iter().map(|t| t.href.clone()).collect();
    let current = tabs.iter().position(|t| t.selected).unwrap_or(0);
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let n = hrefs.len();
        let to = match ev.key().as_str() {
            "ArrowRight" => (current + 1) % n,
            "ArrowLeft" => (current + n - 1) % n,
            _ => return,
        };
        ev.prevent_default();
        navigate(&hrefs[to], Default::default());
    };
    view! {
        <div class="tabs">
            <div class="tablist" role="tablist" aria-label=label on:keydown=on_keydown>
                {tabs
                    .into_iter()
                    .enumerate()
                    .map(|(i, tab)| {
                        view! {
                            <a
                                role="tab"
                                class="tab"
                                class:selected=tab.selected
                                id=format!("tab-{i}")
                                rel=crate::entry::rel(&tab.href)
                                href=tab.href
                                aria-selected=tab.selected.to_string()
                                tabindex=if tab.selected { "0" } else { "-1" }
                            >
                                {tab.label}
                            </a>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="tabpanel" role="tabpanel" aria-labelledby=format!("tab-{current}")>
                {children()}
            </div>
        </div>
    }
}
