//! Short confirmations shown in a polite live region. `provide_toasts()` /
//! `use_toasts()`. Toasts on screen when the app loads another entry point's
//! page (`crate::entry`) are carried over to it through session storage.

use leptos::prelude::*;
use std::time::Duration;

/// One message on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub id: u64,
    pub text: String,
    pub error: bool,
}

/// The toasts context.
#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Toasts {
    /// Shows a confirmation for a few seconds.
    pub fn show(&self, text: impl Into<String>) {
        self.push(text.into(), false);
    }

    /// Shows an error for a little longer.
    pub fn error(&self, text: impl Into<String>) {
        self.push(text.into(), true);
    }

    fn push(&self, text: String, error: bool) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.items.update(|v| v.push(Toast { id, text, error }));
        let items = self.items;
        set_timeout(move || items.update(|v| v.retain(|t| t.id != id)), Duration::from_secs(if error { 8 } else { 4 }));
    }

    /// Removes a toast now.
    pub fn dismiss(&self, id: u64) {
        self.items.update(|v| v.retain(|t| t.id != id));
    }

    /// The toasts on screen.
    pub fn items(&self) -> Vec<Toast> {
        self.items.get()
    }
}

/// Where toasts wait while the next entry point's page loads.
const CARRIED: &str = "cam-toasts";
const SEPARATOR: char = '\u{1e}';

/// Creates the toasts context, showing the toasts carried over from the
/// page before.
pub fn provide_toasts() -> Toasts {
    let t = Toasts { items: RwSignal::new(vec![]), next_id: StoredValue::new(0) };
    provide_context(t);
    let storage = window().session_storage().ok().flatten();
    if let Some(storage) = &storage {
        if let Ok(Some(carried)) = storage.get_item(CARRIED) {
            let _ = storage.remove_item(CARRIED);
            for item in carried.split(SEPARATOR) {
                match item.split_at_checked(1) {
                    Some(("e", text)) => t.error(text),
                    Some((_, text)) if !text.is_empty() => t.show(text),
                    _ => {}
                }
            }
        }
    }
    let _ = window_event_listener(leptos::ev::pagehide, move |_| {
        let items = t.items.get_untracked();
        if let (Some(storage), true, false) = (&storage, crate::entry::leaving(), items.is_empty()) {
            let carried: Vec<String> =
                items.iter().map(|i| format!("{}{}", if i.error { 'e' } else { 'i' }, i.text)).collect();
            let _ = storage.set_item(CARRIED, &carried.join(&SEPARATOR.to_string()));
        }
    });
    t
}

/// The toasts context.
pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}
