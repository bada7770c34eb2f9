//! Client Access Manager front end: a Leptos client-side-rendered app.
//! Views live in `pages`, reusable widgets in `components`, the typed API
//! client in `api`, shared state in `state`, all text in `i18n`. Four entry
//! points, each a page of its own ([`domain::entry::Entry`]): [`start`] (the
//! app: sign-in and Client Access Manager), [`start_settings`] (an account's
//! settings and assets), [`start_bulk`] (review, coverage, bulk work and
//! history) and [`start_access`] (the access-link page).

pub mod access_app;
pub mod api;
pub mod app;
pub mod components;
pub mod entry;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod state;

use domain::entry::Entry;

/// Records the entry point, loads the user's language and mounts its root
/// on the page body (debug builds also report panics in the console;
/// release builds leave that out to save size).
fn mount<V: leptos::IntoView + 'static>(entry: Entry, root: fn() -> V) {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    entry::set(entry);
    wasm_bindgen_futures::spawn_local(async move {
        i18n::load().await;
        leptos::mount::mount_to_body(root);
    });
}

/// Mounts `<App/>`: sign-in and Client Access Manager.
pub fn start() {
    mount(Entry::App, app::App);
}

/// Mounts `<SettingsApp/>`: an account's settings and assets.
pub fn start_settings() {
    mount(Entry::Settings, app::SettingsApp);
}

/// Mounts `<BulkApp/>`: Client Access Manager's work across all clients (R17).
pub fn start_bulk() {
    mount(Entry::Bulk, app::BulkApp);
}

/// Mounts `<AccessApp/>`, the access-link page's own entry point.
pub fn start_access() {
    mount(Entry::Access, access_app::AccessApp);
}
