//! Client Access Manager front end: a Leptos client-side-rendered app.
//! Views live in `pages`, reusable widgets in `components`, the typed API
//! client in `api`, shared state in `state`, all text in `i18n`. Two entry
//! points: [`start`] (the app) and [`start_access`] (the access-link page).

pub mod access_app;
pub mod api;
pub mod app;
pub mod components;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod state;

/// Mounts `<App/>` on the page body (debug builds also report panics in
/// the console; release builds leave that out to save size).
pub fn start() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

/// Mounts `<AccessApp/>`, the access-link page's own entry point.
pub fn start_access() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(access_app::AccessApp);
}
