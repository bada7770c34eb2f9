//! Typed contexts shared by the whole app: the session and the toasts.

pub mod language;
pub mod list_query;
pub mod read;
pub mod selection;
pub mod session;
pub mod toasts;
pub mod write;
