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
/// keyboard and screen-reader users land in it) and closes on Escape from
/// anywhere on the page. Popups inside it stop their own Escape first.
pub fn modal_behaviour(
    open: leptos::prelude::Signal<bool>,
    on_close: leptos::prelude::Callback<()>,
    container: leptos::prelude::NodeRef<leptos::html::Div>,
) {
    use leptos::prelude::*;
    Effect::new(move |_| {
        if let Some(el) = container.get() {
            let _ = el.focus();
        }
    });
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && open.get_untracked() {
            on_close.run(());
        }
    });
    on_cleanup(move || handle.remove());
}
