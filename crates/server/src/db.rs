//! Persistence: the pool (SQLite or PostgreSQL, through sqlx's `Any`
//! driver), embedded migrations for each, and one function per query in the
//! submodules. SQL lives only here, uses `$n` placeholders, and is written
//! once for both backends; where they differ, a helper here says how.

pub mod access_links;
pub mod accounts;
pub mod assets;
pub mod bulk;
pub mod changes;
pub mod client_list;
pub mod clients;
pub mod copy;
pub mod denials;
pub mod employee_clients;
pub mod ending;
pub mod factors;
pub mod history;
pub mod instances;
pub mod memberships;
pub mod notifications;
pub mod people;
pub mod review;
pub mod sessions;
pub mod settings;
pub mod terms;
pub mod users;

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, Executor};
use std::time::Duration;

/// The schema migrations of each backend, embedded in the binary and run at
/// start-up. A change to the schema is a new file in both directories.
pub static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");
/// See [`SQLITE_MIGRATOR`].
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// The database behind a pool: a value read from the pool or connection a
/// query runs on (and carried in the application state as
/// [`crate::AppState::backend`]), never a process-wide setting. Every SQL
/// difference between the two lives in this module and its submodules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a `--database` value names: a `postgres://` (or
    /// `postgresql://`) URL, else a SQLite file path (or `sqlite:` URL).
    pub fn of(database: &str) -> Backend {
        if database.starts_with("postgres://") || database.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// The backend of an open connection (inside a transaction, a query
    /// function knows its database from the connection it was given).
    pub fn of_conn(conn: &AnyConnection) -> Backend {
        match conn.backend_name() {
            "PostgreSQL" => Backend::Postgres,
            _ => Backend::Sqlite,
        }
    }

    /// The SQL that is true when `column` (a number) is one of the ids in the
    /// JSON array bound as `param`.
    pub fn in_id_list(self, column: &str, param: &str) -> String {
        match self {
            Backend::Sqlite => format!("{column} IN (SELECT value FROM json_each({param}))"),
            Backend::Postgres => {
                format!(
                    "{column} IN (SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST({param} AS JSON)))"
                )
            }
        }
    }

    /// `column LIKE param`, ignoring the case of ASCII letters as SQLite's
    /// `LIKE` does, with `\` escaping (see [`like_pattern`]).
    pub fn like(self, column: &str, param: &str) -> String {
        match self {
            Backend::Sqlite => format!("{column} LIKE {param} ESCAPE '\\'"),
            // ILIKE needs a deterministic collation; emails are `nocase`.
            Backend::Postgres => format!("({column} COLLATE \"default\") ILIKE {param} ESCAPE '\\'"),
        }
    }

    /// `expr` as a sort key that ignores the case of letters: SQLite's `NOCASE`
    /// collation; on PostgreSQL `lower()` under the "C" collation (which folds
    /// ASCII letters only, as NOCASE does) compared byte by byte: the same
    /// order, and much cheaper to sort on than an ICU collation.
    pub fn nocase(self, expr: &str) -> String {
        match self {
            Backend::Sqlite => format!("{expr} COLLATE NOCASE"),
            Backend::Postgres => format!("lower({expr} COLLATE \"C\")"),
        }
    }

    /// The backend of a pool (read from the URL it was opened with).
    pub fn of_pool(pool: &AnyPool) -> Backend {
        match pool.connect_options().database_url.scheme() {
            "postgres" | "postgresql" => Backend::Postgres,
            _ => Backend::Sqlite,
        }
    }

    /// Its name, as printed at start-up.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// The sqlx URL for a `--database` value.
pub fn url_of(database: &str) -> String {
    match Backend::of(database) {
        Backend::Postgres => database.to_string(),
        Backend::Sqlite if database.starts_with("sqlite:") => database.to_string(),
        Backend::Sqlite => format!("sqlite://{database}?mode=rwc"),
    }
}

/// Opens the database named by `database` (a SQLite path, created if
/// needed, or a `postgres://` URL to an existing database) and migrates it.
///
/// SQLite durability: WAL journal with `synchronous = FULL`, so a committed
/// transaction survives a process kill and a power loss; readers never block
/// the writer. Foreign keys are enforced. PostgreSQL is durable by default
/// (`fsync`, `synchronous_commit = on`).
pub async fn connect(database: &str) -> Result<AnyPool, sqlx::Error> {
    let pool = open(database, 8).await?;
    migrator_of(Backend::of(database)).run(&pool).await?;
    Ok(pool)
}

/// A pool on `database` with the backend's connection settings, not
/// migrated (see [`connect`]).
pub async fn open(database: &str, max_connections: u32) -> Result<AnyPool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of(database);
    if backend == Backend::Sqlite {
        let path = std::path::Path::new(database.trim_start_matches("sqlite://"));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !database.starts_with("sqlite::")) {
            std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
        }
    }
    AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                         PRAGMA busy_timeout = 10000;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .connect(&url_of(database))
        .await
}

/// The migrations of `backend`.
pub fn migrator_of(backend: Backend) -> &'static Migrator {
    match backend {
        Backend::Sqlite => &SQLITE_MIGRATOR,
        Backend::Postgres => &POSTGRES_MIGRATOR,
    }
}

/// The key of the PostgreSQL advisory lock every write transaction takes.
const WRITE_LOCK: i64 = 0x0CA3_0001;

/// A write transaction: every write of the server goes through here, so
/// that the backend's way of taking the write lock lives in one place.
///
/// The lock is taken at the start, so the reads a rule makes inside the
/// transaction cannot go stale before its write (two racing demotions
/// cannot both see two super admins, two racing approvals cannot both see
/// an unused link), whichever instance each request reaches:
/// - SQLite: `BEGIN IMMEDIATE`, the database's one write lock;
/// - PostgreSQL: `pg_advisory_xact_lock` on one key, shared by every
///   instance on the database and released at commit or rollback. Writes
///   are serialized as on SQLite; reads never wait for it.
pub async fn begin_write(pool: &AnyPool) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    match Backend::of_pool(pool) {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) l")
                .bind(WRITE_LOCK)
                .execute(&mut *tx)
                .await?;
            Ok(tx)
        }
    }
}

/// Whether the database holds no accounts yet.
pub async fn is_empty<'e, E: sqlx::AnyExecutor<'e>>(ex: E) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts").fetch_one(ex).await?;
    Ok(n == 0)
}

/// The application's tables of a database of `backend` (not the
/// migrations' bookkeeping), by name.
pub async fn tables_of<'e, E: sqlx::AnyExecutor<'e>>(backend: Backend, ex: E) -> Result<Vec<String>, sqlx::Error> {
    let sql = match backend {
        Backend::Sqlite => {
            // Not the search index (an FTS5 table and its shadow tables),
            // which triggers derive from the tables.
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> '_sqlx_migrations' AND name NOT LIKE 'client_search%' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = current_schema() \
             AND tablename <> '_sqlx_migrations' ORDER BY tablename"
        }
    };
    sqlx::query_scalar(sql).fetch_all(ex).await
}

/// Empties the database (test mode reset only): SQLite drops every table
/// and migrates from scratch; PostgreSQL truncates them.
pub async fn wipe(pool: &AnyPool) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let backend = Backend::of_pool(pool);
    match backend {
        Backend::Sqlite => {
            conn.execute("PRAGMA foreign_keys = OFF").await?;
            conn.execute("DROP TABLE IF EXISTS client_search").await?;
            let mut all = tables_of(Backend::Sqlite, &mut *conn).await?;
            all.push("_sqlx_migrations".into());
            for t in all {
                conn.execute(format!("DROP TABLE IF EXISTS \"{}\"", t.replace('"', "")).as_str()).await?;
            }
            conn.execute("PRAGMA foreign_keys = ON").await?;
        }
        Backend::Postgres => {
            // Emptied in place rather than dropped: other instances keep
            // their prepared statements. TRUNCATE fires no row triggers.
            let all = tables_of(Backend::Postgres, &mut *conn).await?;
            conn.execute(format!("TRUNCATE {} RESTART IDENTITY CASCADE", all.join(", ")).as_str()).await?;
            return Ok(());
        }
    }
    drop(conn);
    migrator_of(backend).run(pool).await?;
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
