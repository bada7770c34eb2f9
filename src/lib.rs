//! Client Access Manager front end: a Leptos client-side-rendered app with
//! four entry points, each a page of its own ([`domain::entry::Entry`]) and
//! each a folder holding its root component, its routes and the screens only
//! it shows: [`app`] ([`start`]: sign-in and Client Access Manager),
//! [`settings`] ([`start_settings`]: an account's settings and assets),
//! [`bulk`] ([`start_bulk`]: review, coverage, bulk work and history),
//! [`terms`] ([`start_terms`]: one partner's ceiling and relationship end),
//! [`security`] ([`start_security`]: second factors, R20)
//! and [`access`] ([`start_access`]: the access-link page). Below them, shared by
//! all: [`widgets`] (what more than one entry point shows), the typed API
//! client in [`api`], shared state in [`state`], all text in [`i18n`].
//!
//! Where things go: a new screen goes in the folder of the entry point whose
//! URLs it answers, with its route in that folder's route table (and its
//! URL in [`domain::entry::Entry::for_path`] unless it is the app's); a new
//! widget, or a screen a second entry point needs too, goes in [`widgets`]
//! (an entry folder never uses another's); a new API call goes in [`api`],
//! in the file of its resource, with its request and answer types in
//! `domain::api`.

/// Memory in the browser: talc instead of Rust's default allocator
/// (dlmalloc), a few kilobytes less of every page and faster; the page is
/// single-threaded, as talc's WebAssembly allocator requires.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod access;
pub mod api;
pub mod app;
pub mod bulk;
pub mod entry;
pub mod format;
pub mod i18n;
pub mod security;
pub mod settings;
pub mod state;
pub mod terms;
pub mod widgets;

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
    mount(Entry::Settings, settings::SettingsApp);
}

/// Mounts `<BulkApp/>`: Client Access Manager's work across all clients (R17).
pub fn start_bulk() {
    mount(Entry::Bulk, bulk::BulkApp);
}

/// Mounts `<TermsApp/>`: one partner's terms in a client account (R18).
pub fn start_terms() {
    mount(Entry::Terms, terms::TermsApp);
}

/// Mounts `<SecurityApp/>`: sign-in security (R20).
pub fn start_security() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    entry::set(Entry::Security);
    // Its texts of its own come after the shared ones (in their language).
    wasm_bindgen_futures::spawn_local(async move {
        i18n::load().await;
        i18n::security::load().await;
        leptos::mount::mount_to_body(security::SecurityApp);
    });
}

/// Mounts `<AccessApp/>`, the access-link page's own entry point.
pub fn start_access() {
    mount(Entry::Access, access::AccessApp);
}
