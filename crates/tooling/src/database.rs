//! The database a test runs on: a fresh SQLite file in the test's own
//! directory, or, when `CAM_TEST_POSTGRES` names a PostgreSQL server
//! (`postgres://user@host:port`), a fresh database created on it.

use sqlx::Connection;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

static MADE: AtomicUsize = AtomicUsize::new(0);

/// The PostgreSQL server the tests run on, if any.
pub fn postgres_server() -> Option<String> {
    std::env::var("CAM_TEST_POSTGRES").ok().filter(|s| !s.is_empty()).map(|s| s.trim_end_matches('/').to_string())
}

/// A `--database` value for a new, empty database of the backend under test.
pub async fn fresh(dir: &Path) -> String {
    let Some(server) = postgres_server() else {
        return dir.join("cam.db").display().to_string();
    };
    let name =
        format!("cam_test_{}_{}_{}", std::process::id(), MADE.fetch_add(1, Ordering::Relaxed), rand::random::<u32>());
    let mut admin =
        sqlx::PgConnection::connect(&format!("{server}/postgres")).await.expect("the test PostgreSQL server");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("CREATE DATABASE");
    let _ = admin.close().await;
    format!("{server}/{name}")
}
