//! Which entry point this page is ([`Entry`]), and leaving it: a screen of
//! another entry point is loaded from the server as a whole page, so each
//! page downloads only the code of its own screens. The app navigates with
//! [`use_navigate`] and [`Redirect`], which leave for another entry's page
//! without the router (nothing of this page is torn down mid-flight); a
//! route of another entry reached any other way leaves from the router's
//! fallback ([`leave_if_elsewhere`]).

use crate::widgets::Loading;
use domain::entry::Entry;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use std::cell::{Cell, RefCell};

thread_local! {
    static THIS: Cell<Entry> = const { Cell::new(Entry::App) };
    static LOADED_AT: RefCell<String> = const { RefCell::new(String::new()) };
    static LEAVING: Cell<bool> = const { Cell::new(false) };
}

/// Records which entry point this page runs (called once, at start).
pub fn set(entry: Entry) {
    THIS.with(|e| e.set(entry));
    LOADED_AT.with(|p| *p.borrow_mut() = window().location().pathname().unwrap_or_default());
}

/// The entry point of this page.
pub fn this() -> Entry {
    THIS.with(Cell::get)
}

/// Whether `href` (a path with an optional query) is another entry's screen.
fn elsewhere(href: &str) -> bool {
    Entry::for_path(href) != this()
}

/// `rel="external"` on a link to another entry point's screen: the browser
/// loads that page instead of this page's router looking for the screen.
pub fn rel(href: &str) -> Option<&'static str> {
    elsewhere(href).then_some("external")
}

/// Loads `href` from the server as a whole page (in place of this history
/// entry when `replace`).
fn leave_for(href: &str, replace: bool) {
    LEAVING.with(|l| l.set(true));
    let location = window().location();
    let _ = if replace { location.replace(href) } else { location.assign(href) };
}

/// Loads this page again (in another language): like leaving it, its
/// toasts go along.
pub fn reload() {
    LEAVING.with(|l| l.set(true));
    let _ = window().location().reload();
}

/// Whether this page is being left for another entry point's page (its
/// toasts go along; nothing else should navigate any more).
pub fn leaving() -> bool {
    LEAVING.with(Cell::get)
}

/// The router's `navigate`, except that another entry point's screen is
/// loaded as that entry's page.
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone + 'static {
    let navigate = leptos_router::hooks::use_navigate();
    move |href: &str, options: NavigateOptions| {
        if elsewhere(href) {
            leave_for(href, options.replace);
        } else if !leaving() {
            navigate(href, options);
        }
    }
}

/// Goes to `path` at once, in place of this address.
#[component]
pub fn Redirect(path: String) -> impl IntoView {
    if elsewhere(&path) {
        leave_for(&path, true);
        return view! { <Loading/> }.into_any();
    }
    view! { <leptos_router::components::Redirect path=path/> }.into_any()
}

/// Loads the page of the current address from the server when it belongs to
/// another entry point; false when it belongs here, or when the server has
/// just answered this very address with this page (a build without that
/// entry point: showing "not found" beats reloading for ever).
pub fn leave_if_elsewhere() -> bool {
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    if !elsewhere(&path) || LOADED_AT.with(|p| *p.borrow() == path) {
        return false;
    }
    leave_for(&location.href().unwrap_or(path), true);
    true
}

/// Only same-site paths are followed after sign-in (no open redirect).
pub fn safe_next(next: Option<String>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") && !n.starts_with("/sign-in"))
}

/// R20: the server asks for the second factor (after the password) or for
/// one to be set up (an account that requires it, entered without one):
/// this page leaves for sign-in security, which comes back here after
/// ([`return_path`], from the same-origin referrer). Kept out of line: its
/// one caller is the API client's async state machine.
#[cold]
pub fn to_security(code: &str) {
    match code {
        "second_factor_needed" => leave_for("/security/verify", false),
        "second_factor_required" => leave_for("/security/required", false),
        _ => {}
    }
}

/// The page that sent this one to sign-in security (its path; never a
/// sign-in security page itself).
pub fn return_path() -> Option<String> {
    let referrer = document().referrer();
    let origin = window().location().origin().ok()?;
    let path = referrer.strip_prefix(&origin)?;
    let ours = path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\");
    (ours && !path.starts_with("/security")).then(|| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_same_site_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/accounts/1".into())).as_deref(), Some("/accounts/1"));
        for bad in ["//evil.example", "https://evil.example", "/\\evil.example", "/sign-in?next=/x", ""] {
            assert_eq!(safe_next(Some(bad.into())), None, "{bad}");
        }
    }
}
