//! The typed client of `/api/v1`: one file per resource, sharing the DTOs of
//! the domain crate with the server.

pub mod access_links;
pub mod assets;
pub mod cam;
pub mod history;
pub mod http;
pub mod notifications;
pub mod review;
pub mod security;
pub mod session;
pub mod settings;
pub mod users;

pub use http::ApiError;
