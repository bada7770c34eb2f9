//! Schema parity: both migration folders, run from scratch, give the same
//! schema — tables, columns (name, type class, nullability), primary keys,
//! unique constraints and unique indexes, and the named indexes (table, key
//! columns or expressions with their collation and order, unique, partial
//! `WHERE`). The differences the two backends are meant to have are listed
//! in [`ALLOWED`], each with its reason; any other difference fails.
//!
//! It compares only when `CAM_TEST_POSTGRES` names a PostgreSQL server
//! (scripts/test.sh runs this binary again with it set).

use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, Connection, Row};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use tooling::database;

const SQLITE_MIGRATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite");
const POSTGRES_MIGRATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres");

/// The differences between the two schemas that are meant: each entry is one
/// line of the comparison, exactly as it prints, and why it is right. An
/// entry no longer found fails too, so that the list stays true.
const ALLOWED: &[(&str, &str)] = &[
    (
        "table client_search: on sqlite only",
        "SQLite searches client names in an FTS5 trigram table (sqlite 0009); PostgreSQL in clients.search_names",
    ),
    (
        "clients.search_names: on postgres only",
        "PostgreSQL's search column (postgres 0005), SQLite's is the client_search FTS5 table",
    ),
    (
        "index clients_search_trgm: on postgres only",
        "PostgreSQL's pg_trgm GIN index for the search (postgres 0005), SQLite's is the client_search FTS5 table",
    ),
    (
        "clients.name_key: on postgres only",
        "PostgreSQL stores the NOCASE sort key lower(crm_name COLLATE \"C\") (postgres 0005); SQLite sorts on crm_name COLLATE NOCASE",
    ),
    (
        "index clients_by_name: (partner_account_id, crm_name collate nocase) on sqlite, \
         (partner_account_id, name_key, customer_account_id) on postgres",
        "the same name order, read from the stored name_key on PostgreSQL (postgres 0005)",
    ),
    (
        "index clients_active_by_activity: on postgres only",
        "PostgreSQL-only sort index on name_key for the Clients tab at scale (postgres 0006)",
    ),
    (
        "index clients_inactive_by_activity: on postgres only",
        "PostgreSQL-only sort index on name_key for the Clients tab at scale (postgres 0006)",
    ),
    (
        "index clients_by_employees: on postgres only",
        "PostgreSQL-only sort index on name_key for the Clients tab at scale (postgres 0006)",
    ),
    (
        "index clients_by_employees_desc: on postgres only",
        "PostgreSQL-only sort index on name_key for the Clients tab at scale (postgres 0006)",
    ),
    (
        "sessions.id_hash: nullable on sqlite, not null on postgres",
        "SQLite lets a non-INTEGER PRIMARY KEY column hold NULL unless declared NOT NULL; the server never writes one",
    ),
    (
        "scheduled_jobs.name: nullable on sqlite, not null on postgres",
        "SQLite lets a non-INTEGER PRIMARY KEY column hold NULL unless declared NOT NULL; the server never writes one",
    ),
];

#[tokio::test]
async fn schema_parity() {
    let Some(comparison) = compare_migrations(Path::new(SQLITE_MIGRATIONS), Path::new(POSTGRES_MIGRATIONS)).await
    else {
        println!("schema parity: skipped (no PostgreSQL)");
        return;
    };
    if let Some(report) = comparison.failure() {
        panic!("{report}");
    }
    println!("{}", comparison.figures());
}

/// The comparison can fail: what only one side's migrations have (added to
/// copies of the folders) is reported, each kind of difference on its own
/// line, and nothing else is.
#[tokio::test]
async fn schema_parity_reports_a_difference() {
    if database::postgres_server().is_none() {
        return;
    }
    let copies = tempfile::tempdir().unwrap();
    let sqlite = copy_migrations(Path::new(SQLITE_MIGRATIONS), &copies.path().join("sqlite"));
    let postgres = copy_migrations(Path::new(POSTGRES_MIGRATIONS), &copies.path().join("postgres"));
    std::fs::write(
        sqlite.join("9999_parity_probe.sql"),
        "ALTER TABLE users ADD COLUMN nickname TEXT;\n\
         CREATE INDEX users_by_nickname ON users (nickname);\n",
    )
    .unwrap();
    std::fs::write(
        postgres.join("9999_parity_probe.sql"),
        "ALTER TABLE sessions ALTER COLUMN csrf_token DROP NOT NULL;\n\
         ALTER TABLE users ALTER COLUMN name TYPE BIGINT USING 0;\n\
         ALTER TABLE permission_sets DROP CONSTRAINT permission_sets_account_id_name_key;\n\
         ALTER TABLE bulk_job_results DROP CONSTRAINT bulk_job_results_pkey;\n\
         ALTER TABLE bulk_job_results ADD PRIMARY KEY (job_id, seq, user_id);\n\
         DROP INDEX account_domains_by_domain;\n\
         CREATE INDEX account_domains_by_domain ON account_domains (domain COLLATE \"C\" DESC);\n\
         DROP INDEX memberships_active_ending;\n\
         CREATE INDEX memberships_active_ending ON memberships (ends_at) \
             WHERE ends_at IS NOT NULL AND status = 'deactivated';\n\
         DROP INDEX memberships_idle;\n\
         CREATE INDEX memberships_idle ON memberships \
             (partner_account_id, (COALESCE(created_at, last_activity_at)), account_id, user_id);\n",
    )
    .unwrap();
    let comparison = compare_migrations(&sqlite, &postgres).await.expect("PostgreSQL is set");
    let report = comparison.failure().expect("the probe's differences are reported");
    assert_eq!(
        comparison.unexpected,
        [
            "bulk_job_results: primary key (job_id, seq) on sqlite, (job_id, seq, user_id) on postgres",
            "permission_sets: unique (account_id, name) on sqlite only",
            "sessions.csrf_token: not null on sqlite, nullable on postgres",
            "users.name: text on sqlite, integer on postgres",
            "users.nickname: on sqlite only",
            "index account_domains_by_domain: (domain collate nocase) on sqlite, (domain desc) on postgres",
            "index memberships_active_ending: (ends_at) where ends_at is not null and status = 'active' on sqlite, \
             (ends_at) where ends_at is not null and status = 'deactivated' on postgres",
            "index memberships_idle: (partner_account_id, coalesce(last_activity_at, created_at), account_id, user_id) \
             on sqlite, (partner_account_id, coalesce(created_at, last_activity_at), account_id, user_id) on postgres",
            "index users_by_nickname: on sqlite only",
        ],
        "{report}"
    );
    assert!(comparison.stale.is_empty(), "{report}");
}

fn copy_migrations(from: &Path, to: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
    to.to_path_buf()
}

/// What comparing the two schemas found.
struct Comparison {
    /// Differences not in [`ALLOWED`].
    unexpected: Vec<String>,
    /// Entries of [`ALLOWED`] that no longer occur.
    stale: Vec<&'static str>,
    allowed: usize,
    tables: usize,
    columns: usize,
    indexes: usize,
}

impl Comparison {
    fn failure(&self) -> Option<String> {
        if self.unexpected.is_empty() && self.stale.is_empty() {
            return None;
        }
        let mut report = String::from("schema parity: the SQLite and PostgreSQL migrations disagree\n");
        for line in &self.unexpected {
            let _ = writeln!(report, "  {line}");
        }
        if !self.unexpected.is_empty() {
            report.push_str(
                "Make the two migration folders agree, or, if a difference is meant, add its line to ALLOWED in \
                 crates/server/tests/api/schema_parity.rs with the reason.\n",
            );
        }
        for line in &self.stale {
            let _ = writeln!(report, "  allowed but no longer found (remove it from ALLOWED): {line}");
        }
        Some(report)
    }

    fn figures(&self) -> String {
        format!(
            "schema parity: {} tables, {} columns, {} indexes compared on both backends, {} allowed differences",
            self.tables, self.columns, self.indexes, self.allowed
        )
    }
}

/// Migrates a fresh SQLite database and a fresh PostgreSQL database from the
/// two folders and compares their schemas; `None` without PostgreSQL.
async fn compare_migrations(sqlite_migrations: &Path, postgres_migrations: &Path) -> Option<Comparison> {
    let server = database::postgres_server()?;
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().unwrap();

    let sqlite_url = format!("sqlite://{}?mode=rwc", dir.path().join("parity.db").display());
    let mut conn = AnyConnection::connect(&sqlite_url).await.expect("a new SQLite database");
    migrate(sqlite_migrations, &mut conn).await;
    let sqlite = sqlite_schema(&mut conn).await;
    conn.close().await.unwrap();

    let postgres_url = database::fresh(dir.path()).await;
    let mut conn = AnyConnection::connect(&postgres_url).await.expect("the new PostgreSQL database");
    migrate(postgres_migrations, &mut conn).await;
    let postgres = postgres_schema(&mut conn).await;
    conn.close().await.unwrap();
    let name = postgres_url.rsplit('/').next().unwrap();
    let mut admin = AnyConnection::connect(&format!("{server}/postgres")).await.unwrap();
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)")).execute(&mut admin).await.unwrap();
    admin.close().await.unwrap();

    let found = differences(&sqlite, &postgres);
    let unexpected: Vec<String> =
        found.iter().filter(|line| !ALLOWED.iter().any(|(allowed, _)| allowed == line)).cloned().collect();
    let stale: Vec<&str> =
        ALLOWED.iter().map(|(line, _)| *line).filter(|line| !found.iter().any(|f| f == line)).collect();
    let both_tables: Vec<&String> = sqlite.columns.keys().filter(|t| postgres.columns.contains_key(*t)).collect();
    Some(Comparison {
        allowed: found.len() - unexpected.len(),
        unexpected,
        stale,
        tables: both_tables.len(),
        columns: both_tables
            .iter()
            .map(|t| sqlite.columns[*t].keys().filter(|c| postgres.columns[*t].contains_key(*c)).count())
            .sum(),
        indexes: sqlite.indexes.keys().filter(|i| postgres.indexes.contains_key(*i)).count(),
    })
}

async fn migrate(folder: &Path, conn: &mut AnyConnection) {
    let migrator = Migrator::new(folder).await.expect("the migration folder");
    migrator.run(conn).await.unwrap_or_else(|e| panic!("migrating with {}: {e}", folder.display()));
}

/// One backend's schema, in terms both backends share.
#[derive(Default, Debug)]
struct Schema {
    /// Table → column → its type class and nullability.
    columns: BTreeMap<String, BTreeMap<String, Column>>,
    /// Table → its primary key's columns.
    primary_keys: BTreeMap<String, Vec<String>>,
    /// Table → its unique keys, constraints and unique indexes alike
    /// (described as "(a, b collate nocase) where …").
    uniques: BTreeMap<String, BTreeSet<String>>,
    /// The indexes made by `CREATE INDEX`, by name.
    indexes: BTreeMap<String, Index>,
}

#[derive(Debug, PartialEq)]
struct Column {
    class: String,
    nullable: bool,
}

#[derive(Debug, PartialEq)]
struct Index {
    table: String,
    method: String,
    unique: bool,
    keys: Vec<String>,
    predicate: Option<String>,
}

impl Index {
    fn key(&self) -> String {
        let mut key = format!("({})", self.keys.join(", "));
        if let Some(predicate) = &self.predicate {
            let _ = write!(key, " where {predicate}");
        }
        key
    }

    fn describe(&self) -> String {
        let mut text = String::new();
        if self.unique {
            text.push_str("unique ");
        }
        if self.method != "btree" {
            let _ = write!(text, "using {} ", self.method);
        }
        text.push_str(&self.key());
        text
    }
}

/// Every difference between the two schemas, one readable line each.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let side = |on_sqlite: bool| if on_sqlite { "sqlite" } else { "postgres" };
    for table in union(&sqlite.columns, &postgres.columns) {
        let (Some(s), Some(p)) = (sqlite.columns.get(table), postgres.columns.get(table)) else {
            out.push(format!("table {table}: on {} only", side(sqlite.columns.contains_key(table))));
            continue;
        };
        for column in union(s, p) {
            let (Some(sc), Some(pc)) = (s.get(column), p.get(column)) else {
                out.push(format!("{table}.{column}: on {} only", side(s.contains_key(column))));
                continue;
            };
            if sc.class != pc.class {
                out.push(format!("{table}.{column}: {} on sqlite, {} on postgres", sc.class, pc.class));
            }
            if sc.nullable != pc.nullable {
                let word = |nullable: bool| if nullable { "nullable" } else { "not null" };
                out.push(format!(
                    "{table}.{column}: {} on sqlite, {} on postgres",
                    word(sc.nullable),
                    word(pc.nullable)
                ));
            }
        }
        let pk = |schema: &Schema| match schema.primary_keys.get(table) {
            Some(columns) => format!("({})", columns.join(", ")),
            None => "none".to_string(),
        };
        if pk(sqlite) != pk(postgres) {
            out.push(format!("{table}: primary key {} on sqlite, {} on postgres", pk(sqlite), pk(postgres)));
        }
        let empty = BTreeSet::new();
        let (su, pu) = (sqlite.uniques.get(table).unwrap_or(&empty), postgres.uniques.get(table).unwrap_or(&empty));
        for key in su.symmetric_difference(pu) {
            out.push(format!("{table}: unique {key} on {} only", side(su.contains(key))));
        }
    }
    for name in union(&sqlite.indexes, &postgres.indexes) {
        match (sqlite.indexes.get(name), postgres.indexes.get(name)) {
            (Some(s), Some(p)) if s.table != p.table => {
                out.push(format!("index {name}: on {} on sqlite, on {} on postgres", s.table, p.table))
            }
            (Some(s), Some(p)) if s != p => {
                out.push(format!("index {name}: {} on sqlite, {} on postgres", s.describe(), p.describe()))
            }
            (Some(_), Some(_)) => {}
            (s, _) => out.push(format!("index {name}: on {} only", side(s.is_some()))),
        }
    }
    out
}

fn union<'a, V>(a: &'a BTreeMap<String, V>, b: &'a BTreeMap<String, V>) -> BTreeSet<&'a String> {
    a.keys().chain(b.keys()).collect()
}

// ---- SQLite ----

async fn sqlite_schema(conn: &mut AnyConnection) -> Schema {
    let mut schema = Schema::default();
    // Shadow tables (an FTS5 table's storage) are part of their virtual
    // table; sqlite_* are SQLite's own, _sqlx_migrations sqlx's.
    let tables = sqlx::query(
        "SELECT l.name, COALESCE(m.sql, '') FROM pragma_table_list l JOIN sqlite_master m ON m.name = l.name \
         WHERE l.schema = 'main' AND l.type IN ('table', 'virtual') \
           AND l.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND l.name <> '_sqlx_migrations' ORDER BY l.name",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    for row in tables {
        let table: String = row.get(0);
        let without_rowid = row.get::<String, _>(1).to_uppercase().contains("WITHOUT ROWID");
        let columns =
            sqlx::query("SELECT name, type, \"notnull\", pk FROM pragma_table_xinfo(?) WHERE hidden <> 1 ORDER BY cid")
                .bind(&table)
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        let key_columns = columns.iter().filter(|c| c.get::<i64, _>(3) > 0).count();
        let mut primary_key = Vec::new();
        let table_columns = schema.columns.entry(table.clone()).or_default();
        for c in &columns {
            let (name, declared, not_null, pk): (String, String, i64, i64) = (c.get(0), c.get(1), c.get(2), c.get(3));
            // A rowid alias (the one INTEGER PRIMARY KEY) and the key of a
            // WITHOUT ROWID table are never NULL; other key columns may be.
            let never_null = not_null == 1
                || (pk > 0 && without_rowid)
                || (pk == 1 && key_columns == 1 && declared.eq_ignore_ascii_case("INTEGER"));
            table_columns.insert(name.clone(), Column { class: sqlite_class(&declared), nullable: !never_null });
            if pk > 0 {
                primary_key.push((pk, name));
            }
        }
        if !primary_key.is_empty() {
            primary_key.sort();
            schema.primary_keys.insert(table.clone(), primary_key.into_iter().map(|(_, n)| n).collect());
        }

        let indexes = sqlx::query(
            "SELECT l.name, l.\"unique\", l.origin, COALESCE(m.sql, '') FROM pragma_index_list(?) l \
             LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = l.name ORDER BY l.name",
        )
        .bind(&table)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        for row in indexes {
            let (name, unique, origin, sql): (String, i64, String, String) =
                (row.get(0), row.get(1), row.get(2), row.get(3));
            let (texts, predicate) = if sql.is_empty() { (Vec::new(), None) } else { split_index_sql(&sql) };
            let parts = sqlx::query(
                "SELECT cid, COALESCE(name, ''), \"desc\", COALESCE(coll, 'BINARY') FROM pragma_index_xinfo(?) \
                 WHERE key = 1 ORDER BY seqno",
            )
            .bind(&name)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            let keys = parts
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let (cid, column, desc, coll): (i64, String, i64, String) =
                        (p.get(0), p.get(1), p.get(2), p.get(3));
                    let expr = if cid == -2 {
                        texts.get(i).map(|t| strip_key_options(t)).unwrap_or_else(|| "?".to_string())
                    } else {
                        column
                    };
                    render_key(&expr, Some(&coll), desc == 1)
                })
                .collect();
            let index = Index {
                table: table.clone(),
                method: "btree".to_string(),
                unique: unique == 1,
                keys,
                predicate: predicate.map(|p| normalise(&p)),
            };
            if index.unique && origin != "pk" {
                schema.uniques.entry(table.clone()).or_default().insert(index.key());
            }
            if origin == "c" {
                schema.indexes.insert(name, index);
            }
        }
    }
    schema
}

/// The type class of a declared SQLite type, by SQLite's affinity rules.
fn sqlite_class(declared: &str) -> String {
    let t = declared.to_uppercase();
    let class = if t.contains("BOOL") {
        "boolean"
    } else if t.contains("INT") {
        "integer"
    } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
        "text"
    } else if t.is_empty() || t.contains("BLOB") {
        "blob"
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        "real"
    } else {
        return format!("numeric ({declared})");
    };
    class.to_string()
}

/// The key parts and the `WHERE` of a `CREATE INDEX` statement.
fn split_index_sql(sql: &str) -> (Vec<String>, Option<String>) {
    let upper = sql.to_uppercase();
    let on = upper.find(" ON ").unwrap_or(0);
    let Some(open) = sql[on..].find('(').map(|i| on + i) else {
        return (Vec::new(), None);
    };
    let (mut depth, mut quoted, mut start) = (0, false, open + 1);
    let mut parts = Vec::new();
    for (i, ch) in sql.char_indices().skip_while(|(i, _)| *i < open) {
        match ch {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ',' if !quoted && depth == 1 => {
                parts.push(sql[start..i].trim().to_string());
                start = i + 1;
            }
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    parts.push(sql[start..i].trim().to_string());
                    let rest = sql[i + 1..].trim();
                    let predicate =
                        rest.get(..5).filter(|w| w.eq_ignore_ascii_case("WHERE")).map(|_| rest[5..].trim().to_string());
                    return (parts, predicate);
                }
            }
            _ => {}
        }
    }
    (parts, None)
}

/// An index key part's text without its `COLLATE` and `ASC`/`DESC` (read
/// from pragma_index_xinfo instead).
fn strip_key_options(text: &str) -> String {
    let mut text = normalise(text);
    loop {
        let before = text.len();
        for suffix in [" asc", " desc"] {
            if let Some(stripped) = text.strip_suffix(suffix) {
                text = stripped.to_string();
            }
        }
        if let Some(at) = text.rfind(" collate ") {
            if !text[at + 9..].contains([' ', ')']) {
                text.truncate(at);
            }
        }
        if text.len() == before {
            return normalise(&text);
        }
    }
}

// ---- PostgreSQL ----

async fn postgres_schema(conn: &mut AnyConnection) -> Schema {
    let mut schema = Schema::default();
    let columns = sqlx::query(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_nullable::text \
         FROM information_schema.columns c JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
           AND c.table_name <> '_sqlx_migrations' ORDER BY 1, c.ordinal_position",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    for row in columns {
        let (table, column, data_type, nullable): (String, String, String, String) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        let class = match data_type.as_str() {
            "bigint" | "integer" | "smallint" => "integer".to_string(),
            "text" | "character varying" | "character" => "text".to_string(),
            "real" | "double precision" => "real".to_string(),
            "boolean" => "boolean".to_string(),
            "bytea" => "blob".to_string(),
            other => format!("other ({other})"),
        };
        schema.columns.entry(table).or_default().insert(column, Column { class, nullable: nullable == "YES" });
    }

    let keys = sqlx::query(
        "SELECT t.relname::text, a.attname::text FROM pg_constraint k \
         JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, position) \
         JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum \
         WHERE k.contype = 'p' AND n.nspname = current_schema() AND t.relname <> '_sqlx_migrations' \
         ORDER BY 1, u.position",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    for row in keys {
        schema.primary_keys.entry(row.get(0)).or_default().push(row.get(1));
    }

    // One row per key part of each index.
    let parts = sqlx::query(
        "SELECT c.relname::text, t.relname::text, am.amname::text, i.indisunique, i.indisprimary, \
                EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid \
                        AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')), \
                COALESCE(pg_get_expr(i.indpred, i.indrelid, true), ''), \
                pg_get_indexdef(i.indexrelid, k.n, true), (i.indoption[k.n - 1] & 1) = 1, \
                COALESCE(co.collname::text, '') \
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid \
         JOIN pg_namespace ns ON ns.oid = t.relnamespace JOIN pg_am am ON am.oid = c.relam \
         CROSS JOIN LATERAL generate_series(1, i.indnkeyatts::int4) AS k(n) \
         LEFT JOIN pg_collation co ON co.oid = i.indcollation[k.n - 1] \
         WHERE ns.nspname = current_schema() AND t.relname <> '_sqlx_migrations' ORDER BY 1, k.n",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut indexes: BTreeMap<String, (Index, bool, bool)> = BTreeMap::new();
    for row in parts {
        let name: String = row.get(0);
        let predicate: String = row.get(6);
        let (index, _, _) = indexes.entry(name).or_insert_with(|| {
            (
                Index {
                    table: row.get(1),
                    method: row.get(2),
                    unique: row.get(3),
                    keys: Vec::new(),
                    predicate: (!predicate.is_empty()).then(|| normalise(&predicate)),
                },
                row.get(4),
                row.get(5),
            )
        });
        let collation: String = row.get(9);
        index.keys.push(render_key(&normalise(&row.get::<String, _>(7)), Some(&collation), row.get(8)));
    }
    for (name, (index, primary, constraint)) in indexes {
        if index.unique && !primary {
            schema.uniques.entry(index.table.clone()).or_default().insert(index.key());
        }
        if !constraint {
            schema.indexes.insert(name, index);
        }
    }
    schema
}

// ---- Both ----

/// A key part as both sides print it: `expr [collate nocase] [desc]`. The
/// default collations (SQLite's BINARY, PostgreSQL's database default, "C"
/// and none for a type without collation) are not printed.
fn render_key(expr: &str, collation: Option<&str>, descending: bool) -> String {
    let mut key = expr.to_string();
    if let Some(c) = collation.map(str::to_lowercase) {
        if !["", "binary", "default", "c", "posix"].contains(&c.as_str()) {
            let _ = write!(key, " collate {c}");
        }
    }
    if descending {
        key.push_str(" desc");
    }
    key
}

/// SQL text in one spelling: lower case outside string literals, no
/// identifier quotes or PostgreSQL casts (`'active'::text`), single spaces,
/// none inside parentheses, and no parentheses around the whole.
fn normalise(sql: &str) -> String {
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    let mut quoted = false;
    while let Some(ch) = chars.next() {
        if quoted {
            out.push(ch);
            quoted = ch != '\'';
            continue;
        }
        match ch {
            '\'' => {
                out.push(ch);
                quoted = true;
            }
            '"' => {}
            ':' if chars.peek() == Some(&':') => {
                chars.next();
                while chars.peek().is_some_and(|c| c.is_alphanumeric() || *c == '_') {
                    chars.next();
                }
                // Two-word type names.
                let next: String = chars.clone().take(10).collect();
                for tail in [" varying", " precision"] {
                    if next.starts_with(tail) {
                        chars.nth(tail.len() - 1);
                    }
                }
            }
            c if c.is_whitespace() => {
                if !out.ends_with(' ') && !out.ends_with('(') {
                    out.push(' ');
                }
            }
            ')' => {
                if out.ends_with(' ') {
                    out.pop();
                }
                out.push(')');
            }
            ',' => {
                if out.ends_with(' ') {
                    out.pop();
                }
                out.push_str(", ");
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            c => out.extend(c.to_lowercase()),
        }
    }
    let mut text = out.trim().to_string();
    while text.starts_with('(') && text.ends_with(')') && wraps_whole(&text) {
        text = text[1..text.len() - 1].trim().to_string();
    }
    text
}

/// Whether the opening parenthesis at the start closes at the very end.
fn wraps_whole(text: &str) -> bool {
    let mut depth = 0;
    for (i, ch) in text.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return i == text.len() - 1;
                }
            }
            _ => {}
        }
    }
    false
}

#[test]
fn normalise_reads_both_spellings_alike() {
    assert_eq!(
        normalise("(ends_at IS NOT NULL AND status = 'active'::text)"),
        normalise("ends_at IS NOT NULL AND status = 'active'")
    );
    assert_eq!(normalise("COALESCE(last_activity_at,  created_at)"), "coalesce(last_activity_at, created_at)");
    assert_eq!(normalise("( a )"), "a");
    assert_eq!(normalise("x::character varying = 'A'::text"), "x = 'A'");
    assert_eq!(normalise("(a) OR (b)"), "(a) or (b)");
    assert_eq!(strip_key_options("crm_name COLLATE NOCASE DESC"), "crm_name");
    assert_eq!(
        split_index_sql("CREATE INDEX x ON t (a, COALESCE(b, c) DESC) WHERE b IS NULL"),
        (vec!["a".to_string(), "COALESCE(b, c) DESC".to_string()], Some("b IS NULL".to_string()))
    );
}
