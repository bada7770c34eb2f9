//! Reusable widgets, used by every screen. Each has an accessible role and
//! name so that screen readers and tests find it by role.

pub mod access_link_dialog;
pub mod actions_menu;
pub mod cam;
pub mod check_badge;
pub mod comparison_table;
pub mod data_table;
pub mod dialog;
pub mod error_view;
pub mod form_actions;
pub mod grant_preview;
pub mod language_select;
pub mod loaded;
pub mod loading;
pub mod multi_select;
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
pub use data_table::{Column, DataTable, SortState};
pub use dialog::{Dialog, ModalKind};
pub use error_view::{ErrorView, HomeLink};
pub use form_actions::FormActions;
pub use grant_preview::GrantPreview;
pub use language_select::LanguageSelect;
pub use loaded::{inline_error, Loaded, PagedList};
pub use loading::Loading;
pub use multi_select::{MultiSelect, SelectOption};
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
/// or panel the popup sits in.
pub fn close_on_escape(ev: leptos::ev::KeyboardEvent, open: leptos::prelude::RwSignal<bool>) {
    use leptos::prelude::{GetUntracked, Set};
    if ev.key() == "Escape" && open.get_untracked() {
        ev.stop_propagation();
        open.set(false);
    }
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
