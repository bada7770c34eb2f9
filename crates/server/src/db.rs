//! Persistence: the SQLite pool, embedded migrations, and one function per
//! query in the submodules. SQL lives only here and uses `$n` placeholders so
//! that a PostgreSQL backend can follow.

pub mod access_links;
pub mod accounts;
pub mod assets;
pub mod clients;
pub mod denials;
pub mod employee_clients;
pub mod history;
pub mod memberships;
pub mod notifications;
pub mod people;
pub mod sessions;
pub mod settings;
pub mod users;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Executor, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// The schema migrations, embedded in the binary and run at start-up.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Opens (creating if needed) the database at `path` and migrates it.
///
/// Durability: WAL journal with `synchronous = FULL`, so a committed
/// transaction survives a process kill and a power loss; readers never block
/// the writer. Foreign keys are enforced.
pub async fn connect(path: &Path) -> Result<SqlitePool, sqlx::Error> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
    }
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// A write transaction: every write of the server goes through here, so
/// that the backend's way of taking the write lock lives in one place. On
/// SQLite it is `BEGIN IMMEDIATE`: the write lock is taken at the start,
/// so the reads a rule makes inside the transaction cannot go stale before
/// its write (two racing migrations cannot both see two super admins).
pub async fn begin_write(pool: &SqlitePool) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Whether the database holds no accounts yet.
pub async fn is_empty(pool: &SqlitePool) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts").fetch_one(pool).await?;
    Ok(n == 0)
}

/// Drops every table and migrates from scratch (test mode reset only).
pub async fn wipe(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    conn.execute("PRAGMA foreign_keys = OFF").await?;
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .fetch_all(&mut *conn)
            .await?;
    for t in tables {
        conn.execute(format!("DROP TABLE IF EXISTS \"{}\"", t.replace('"', "")).as_str()).await?;
    }
    conn.execute("PRAGMA foreign_keys = ON").await?;
    drop(conn);
    MIGRATOR.run(pool).await?;
    Ok(())
}

/// Escapes a user's search text for `LIKE ... ESCAPE '\'` and wraps it in `%`.
pub fn like_pattern(q: &str) -> String {
    let mut s = String::with_capacity(q.len() + 2);
    s.push('%');
    for c in q.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
