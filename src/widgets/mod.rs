//! Reusable widgets, used by every screen, and what more than one entry
//! point shows: the page shell, the not-found page and its account guard,
//! the frame of Client Access Manager's tabs (the app's and the bulk-work
//! page's) and the Client Access Manager dialogs (`cam`). No page loads this
//! folder as a whole: each entry point's bundle holds the widgets its own
//! screens use. Each has an accessible role and name so that screen readers
//! and tests find it by role.

pub mod access_link_dialog;
pub mod actions_menu;
pub mod cam;
pub mod cam_frame;
pub mod check_badge;
pub mod comparison_table;
pub mod data_table;
pub mod dialog;
pub mod end_date;
pub mod entry_routes;
pub mod error_view;
pub mod field;
pub mod form_actions;
pub mod grant_preview;
pub mod language_select;
pub mod loaded;
pub mod loading;
pub mod multi_select;
pub mod narrow_permissions;
pub mod not_found_page;
pub mod notification_bell;
pub mod pager;
pub mod search_box;
pub mod set_select;
pub mod sign_in_form;
pub mod tabs;
pub mod toast;
pub mod toggle;
pub mod wizard;

pub use access_link_dialog::AccessLinkDialog;
pub use actions_menu::{ActionsMenu, MenuAction};
pub use check_badge::CheckBadge;
pub use comparison_table::ComparisonTable;
pub use data_table::{Column, DataTable};
pub use dialog::{Dialog, ModalKind};
pub use end_date::{ends_cell, EndCheck, EndDateDialog, EndDateField, EndOf};
pub use entry_routes::EntryRoutes;
pub use error_view::{ErrorView, HomeLink};
pub use field::{check_fields_in, refused_for, FieldError, FieldMessage};
pub use form_actions::FormActions;
pub use grant_preview::GrantPreview;
pub use language_select::LanguageSelect;
pub use loaded::{inline_error, Loaded, PagedList};
pub use loading::Loading;
pub use multi_select::{MultiSelect, SelectOption};
pub use narrow_permissions::NarrowPermissions;
pub use not_found_page::{Elsewhere, InAccount, NotFoundContent, NotFoundPage};
pub use notification_bell::NotificationBell;
pub use pager::Pager;
pub use search_box::SearchBox;
pub use set_select::SetSelect;
pub use sign_in_form::SignInForm;
pub use tabs::{TabLink, Tabs};
pub use toast::ToastRegion;
pub use toggle::Toggle;
pub use wizard::WizardSteps;
pub mod account_switcher;
pub mod shell;

pub use account_switcher::AccountSwitcher;
pub use shell::Shell;

/// Closes a popup on Escape without letting the key also close the dialog
/// or panel the popup sits in, and gives the focus back to the button that
/// opened it (the popup's `aria-expanded` button).
pub fn close_on_escape(ev: leptos::ev::KeyboardEvent, open: leptos::prelude::RwSignal<bool>) {
    use leptos::prelude::{GetUntracked, Set};
    use wasm_bindgen::JsCast;
    if ev.key() == "Escape" && open.get_untracked() {
        ev.stop_propagation();
        open.set(false);
        let container = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let toggle = container.and_then(|c| c.query_selector("[aria-expanded]").ok().flatten());
        if let Some(button) = toggle.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = button.focus();
        }
    }
}

/// The items of a menu, in order.
fn menu_items(menu: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    let Ok(list) = menu.query_selector_all("[role^='menuitem']") else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into().ok()).collect()
}

/// A menu's keys (WAI-ARIA menu pattern): the arrow keys move the focus to
/// the next or previous item (round the ends), Home and End to the first
/// and last.
pub fn menu_keys(ev: leptos::ev::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    let key = ev.key();
    if !matches!(key.as_str(), "ArrowDown" | "ArrowUp" | "Home" | "End") {
        return;
    }
    let Some(menu) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
    let items = menu_items(&menu);
    let n = items.len();
    if n == 0 {
        return;
    }
    let active = leptos::prelude::document().active_element();
    let at = items.iter().position(|item| active.as_ref() == Some(item.unchecked_ref::<web_sys::Element>()));
    let to = match (key.as_str(), at) {
        ("Home", _) => 0,
        ("End", _) => n - 1,
        ("ArrowDown", Some(i)) => (i + 1) % n,
        ("ArrowDown", None) => 0,
        ("ArrowUp", Some(i)) => (i + n - 1) % n,
        _ => n - 1,
    };
    ev.prevent_default();
    let _ = items[to].focus();
}

/// Moves the focus to a menu's first item when the menu is shown.
pub fn focus_first_item(menu: leptos::prelude::NodeRef<leptos::html::Ul>) {
    use leptos::prelude::{Effect, Get};
    Effect::new(move |_| {
        if let Some(ul) = menu.get() {
            if let Some(first) = menu_items(&ul).first() {
                let _ = first.focus();
            }
        }
    });
}

/// What every modal does: moves focus into itself when it opens (so that
/// keyboard and screen-reader users land in it), keeps Tab and Shift+Tab
/// inside itself (nothing behind the backdrop is reachable), closes on
/// Escape from anywhere on the page, and gives the focus back to what opened
/// it when it closes. Popups inside it stop their own Escape first.
pub fn modal_behaviour(
    open: leptos::prelude::Signal<bool>,
    on_close: leptos::prelude::Callback<()>,
    container: leptos::prelude::NodeRef<leptos::html::Div>,
) {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    // What had the focus when the modal opened gets it back on close: taken
    // as the modal appears, before the modal takes the focus.
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |_| {
        if let Some(el) = container.get() {
            // An item of a menu goes away with its menu: the focus goes back
            // to the button that opened the menu instead.
            let active = document().active_element().and_then(|e| {
                let menu_button = e
                    .closest("[role='menu']")
                    .ok()
                    .flatten()
                    .and_then(|m| m.parent_element())
                    .and_then(|p| p.query_selector("[aria-haspopup]").ok().flatten());
                menu_button.unwrap_or(e).dyn_into::<web_sys::HtmlElement>().ok()
            });
            if !active.as_ref().is_some_and(|a| el.contains(Some(a))) {
                opener.set_value(active);
            }
            let _ = el.focus();
        }
    });
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        if !is_open && was_open == Some(true) {
            if let Some(el) = opener.get_value() {
                let _ = el.focus();
            }
        }
        is_open
    });
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if !open.get_untracked() {
            return;
        }
        match ev.key().as_str() {
            "Escape" => on_close.run(()),
            "Tab" => {
                let Some(modal) = container.get_untracked() else { return };
                let Ok(list) = modal.query_selector_all(
                    "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])",
                ) else {
                    return;
                };
                let items: Vec<web_sys::HtmlElement> = (0..list.length())
                    .filter_map(|i| list.item(i))
                    .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
                    .filter(|e| e.offset_parent().is_some())
                    .collect();
                let (Some(first), Some(last)) = (items.first(), items.last()) else { return };
                let active = document().active_element();
                let inside = active.as_ref().is_some_and(|a| modal.contains(Some(a)));
                let on = |e: &web_sys::HtmlElement| active.as_ref() == Some(e.unchecked_ref::<web_sys::Element>());
                let to = if !inside || (ev.shift_key() && (on(first) || active.as_ref() == Some(modal.unchecked_ref())))
                {
                    Some(if ev.shift_key() { last } else { first })
                } else if !ev.shift_key() && on(last) {
                    Some(first)
                } else {
                    None
                };
                if let Some(el) = to {
                    ev.prevent_default();
                    let _ = el.focus();
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
}
