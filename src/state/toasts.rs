//! Short confirmations shown in a polite live region. `provide_toasts()` /
//! `use_toasts()`.

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

/// Creates the toasts context.
pub fn provide_toasts() -> Toasts {
    let t = Toasts { items: RwSignal::new(vec![]), next_id: StoredValue::new(0) };
    provide_context(t);
    t
}

/// The toasts context.
pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}
