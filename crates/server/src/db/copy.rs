//! `cam-server copy-database`: copies every row of one database into an
//! empty one of either backend (SQLite to PostgreSQL, to move up), in one
//! transaction on the target, then verifies the copy table by table: the
//! row count and a SHA-256 over the rows, each read back from its own
//! database.

use crate::db::{migrator_of, open, tables_of, Backend};
use sha2::{Digest, Sha256};
use sqlx::{AnyPool, Column, Row};

/// Tables in an order that satisfies every foreign key.
pub const TABLES: &[&str] = &[
    "accounts",
    "users",
    "second_factors",
    "recovery_codes",
    "account_domains",
    "permission_sets",
    "memberships",
    "end_reminders",
    "clients",
    "partner_suspensions",
    "partner_terms",
    "relationship_reminders",
    "assets",
    "sessions",
    "webauthn_ceremonies",
    "access_links",
    "history",
    "notifications",
    "outbox",
    "account_settings",
    "denials",
    "rate_limit_hits",
    "scheduled_jobs",
    "bulk_jobs",
    "bulk_job_results",
];

/// Tables whose `id` comes from a sequence on PostgreSQL.
const WITH_ID: &[&str] = &[
    "second_factors",
    "bulk_jobs",
    "accounts",
    "users",
    "permission_sets",
    "assets",
    "access_links",
    "history",
    "notifications",
    "outbox",
    "denials",
];

/// One stored value. The schema holds only integers, text and NULL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Value {
    Null,
    Int(i64),
    Text(String),
}

impl Value {
    fn canonical(&self) -> String {
        match self {
            Value::Null => "N".into(),
            Value::Int(i) => format!("I{i}"),
            Value::Text(t) => format!("T{}:{t}", t.len()),
        }
    }
}

/// A table as read: its column names and rows.
struct Table {
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

/// Columns a backend derives from the others (by a trigger or as a
/// generated column): never copied, and computed again by the target.
const DERIVED: &[&str] = &["search_names", "name_key"];

async fn read(pool: &AnyPool, table: &str) -> Result<Table, sqlx::Error> {
    let raw = sqlx::query(&format!("SELECT * FROM {table}")).fetch_all(pool).await?;
    let kept: Vec<usize> = raw
        .first()
        .map(|r| r.columns().iter().filter(|c| !DERIVED.contains(&c.name())).map(|c| c.ordinal()).collect())
        .unwrap_or_default();
    let columns =
        raw.first().map(|r| kept.iter().map(|&i| r.columns()[i].name().to_string()).collect()).unwrap_or_default();
    let mut rows = Vec::with_capacity(raw.len());
    for r in &raw {
        let mut row = Vec::with_capacity(kept.len());
        for &i in &kept {
            row.push(if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
                v.map(Value::Int).unwrap_or(Value::Null)
            } else {
                r.try_get::<Option<String>, _>(i)?.map(Value::Text).unwrap_or(Value::Null)
            });
        }
        rows.push(row);
    }
    Ok(Table { columns, rows })
}

/// Row count and checksum of a table as read: SHA-256 over its rows in
/// sorted order, each row's values written canonically, so that equal
/// contents give equal sums on both backends. Over `columns` (the source's:
/// a backend may have more).
fn summary(t: &Table, columns: &[String]) -> (usize, String) {
    let keep: Vec<usize> = columns.iter().filter_map(|c| t.columns.iter().position(|k| k == c)).collect();
    let mut rows: Vec<String> =
        t.rows.iter().map(|r| keep.iter().map(|&i| r[i].canonical()).collect::<Vec<_>>().join("|")).collect();
    rows.sort();
    let mut h = Sha256::new();
    for r in &rows {
        h.update(r.as_bytes());
        h.update(b"\n");
    }
    (rows.len(), hex::encode(h.finalize()))
}

/// Which of the table's columns hold integers (a NULL is bound as one):
/// PostgreSQL's column types, or on SQLite the values seen.
async fn integer_columns(target: &AnyPool, backend: Backend, table: &str, t: &Table) -> Result<Vec<bool>, sqlx::Error> {
    if backend == Backend::Postgres {
        let types: Vec<(String, String)> = sqlx::query_as(
            "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1",
        )
        .bind(table)
        .fetch_all(target)
        .await?;
        return Ok(t
            .columns
            .iter()
            .map(|c| {
                types.iter().any(|(name, ty)| name == c && matches!(ty.as_str(), "bigint" | "integer" | "smallint"))
            })
            .collect());
    }
    Ok((0..t.columns.len()).map(|i| t.rows.iter().any(|r| matches!(r[i], Value::Int(_)))).collect())
}

/// One table's line of the report.
#[derive(Debug, Clone)]
pub struct Copied {
    pub table: &'static str,
    pub rows: usize,
    pub checksum: String,
}

fn err(what: &str) -> impl Fn(sqlx::Error) -> String + '_ {
    move |e| format!("{what}: {e}")
}

/// Copies `from` into the empty database `to`; both are migrated first
/// (the source to the schema this server reads). Refuses a target that
/// holds any row, and verifies the copy afterwards.
pub async fn copy_database(from: &str, to: &str) -> Result<Vec<Copied>, String> {
    let (from_backend, to_backend) = (Backend::of(from), Backend::of(to));
    let source = open(from, 2).await.map_err(err("opening the source"))?;
    migrator_of(from_backend).run(&source).await.map_err(|e| format!("migrating the source: {e}"))?;
    let target = open(to, 2).await.map_err(err("opening the target"))?;
    migrator_of(to_backend).run(&target).await.map_err(|e| format!("migrating the target: {e}"))?;

    let mut known = tables_of(from_backend, &source).await.map_err(err("listing the source's tables"))?;
    known.retain(|t| !TABLES.contains(&t.as_str()));
    if !known.is_empty() {
        return Err(format!("the source has tables this version does not know: {}", known.join(", ")));
    }
    for table in TABLES {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&target)
            .await
            .map_err(err("reading the target"))?;
        if n > 0 {
            return Err(format!("the target is not empty: {table} holds {n} rows; copy into a new, empty database"));
        }
    }

    let mut tx = target.begin().await.map_err(err("starting the copy"))?;
    for table in TABLES {
        let t = read(&source, table).await.map_err(err(table))?;
        if t.rows.is_empty() {
            continue;
        }
        let per_row = t.columns.len();
        let integer = integer_columns(&target, to_backend, table, &t).await.map_err(err(table))?;
        // Well under both backends' limit of bound parameters per statement.
        let batch = (30_000 / per_row).max(1);
        let columns = t.columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
        for chunk in t.rows.chunks(batch) {
            let mut n = 0;
            let values = chunk
                .iter()
                .map(|_| {
                    let one = (0..per_row)
                        .map(|_| {
                            n += 1;
                            format!("${n}")
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    format!("({one})")
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("INSERT INTO {table} ({columns}) VALUES {values}");
            let mut q = sqlx::query(&sql);
            for row in chunk {
                for (i, v) in row.iter().enumerate() {
                    q = match v {
                        Value::Null if integer[i] => q.bind(Option::<i64>::None),
                        Value::Null => q.bind(Option::<String>::None),
                        Value::Int(i) => q.bind(*i),
                        Value::Text(s) => q.bind(s.clone()),
                    };
                }
            }
            q.execute(&mut *tx).await.map_err(err(table))?;
        }
    }
    if to_backend == Backend::Postgres {
        // New rows continue after the copied ids.
        for table in WITH_ID {
            sqlx::query(&format!(
                "SELECT CAST(setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) AS BIGINT) FROM {table}"
            ))
            .execute(&mut *tx)
            .await
            .map_err(err(table))?;
        }
    }
    tx.commit().await.map_err(err("committing the copy"))?;

    let mut report = vec![];
    for table in TABLES {
        let (from, to) =
            (read(&source, table).await.map_err(err(table))?, read(&target, table).await.map_err(err(table))?);
        let (a, b) = (summary(&from, &from.columns), summary(&to, &from.columns));
        if a != b {
            return Err(format!(
                "verification failed for {table}: source {} rows ({}), target {} rows ({})",
                a.0, a.1, b.0, b.1
            ));
        }
        report.push(Copied { table, rows: a.0, checksum: a.1 });
    }
    source.close().await;
    target.close().await;
    Ok(report)
}
