//! `cam-server copy-database`: a SQLite database the real server wrote is
//! copied into an empty database of the backend under test (PostgreSQL when
//! `CAM_TEST_POSTGRES` is set), and the server started on the copy serves
//! the same data and goes on writing; a target that is not empty is refused
//! and left as it was.

use std::path::Path;
use tooling::database;
use tooling::http_client::{Conn, Login};
use tooling::server_process::ServerProcess;

const BINARY: &str = env!("CARGO_BIN_EXE_cam-server");

async fn copy(from: &str, to: &str) -> std::process::Output {
    tokio::process::Command::new(BINARY).args(["copy-database", "--from", from, "--to", to]).output().await.unwrap()
}

/// The names of Acme's assets, as Carol sees them through the API.
async fn acme_assets(conn: &mut Conn, carol: &Login, acme: i64) -> Vec<String> {
    let page = conn
        .send("GET", &format!("/api/v1/accounts/{acme}/assets?per_page=100"), &carol.headers(), None)
        .await
        .unwrap();
    assert_eq!(page.status, 200);
    let mut names: Vec<String> =
        page.json()["rows"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_sqlite_database_copied_into_an_empty_one_serves_the_same_data_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.db").display().to_string();
    let flags = ["--sign-in-per-minute", "1000"];

    // The embedded default, used for a while.
    let server = ServerProcess::start(Path::new(BINARY), dir.path(), &source, &flags).await.unwrap();
    let mut conn = Conn::new(server.addr);
    let carol = Login::sign_in(&mut conn, "carol@acme.example", server::seed::DEMO_PASSWORD).await.unwrap();
    let acme = carol.account_id(&mut conn, "Acme Corporation").await.unwrap();
    let body = r#"{"kind":"contact","name":"Written before the move"}"#;
    let made =
        conn.send("POST", &format!("/api/v1/accounts/{acme}/assets"), &carol.headers(), Some(body)).await.unwrap();
    assert_eq!(made.status, 201);
    let before = acme_assets(&mut conn, &carol, acme).await;
    assert!(before.contains(&"Written before the move".to_string()));
    server.stop().await.unwrap();

    // Moving up.
    let target = database::fresh(&dir.path().join("target")).await;
    std::fs::create_dir_all(dir.path().join("target")).unwrap();
    let out = copy(&source, &target).await;
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{printed}{}", String::from_utf8_lossy(&out.stderr));
    assert!(printed.contains("Copied and verified"), "{printed}");
    let assets_line = printed.lines().find(|l| l.starts_with("assets ")).unwrap();
    assert!(assets_line.split_whitespace().nth(1).unwrap().parse::<i64>().unwrap() > 0);

    // The server on the copy: the same session (sessions are data too), the
    // same assets, and new rows continue after the copied ids.
    let server = ServerProcess::start(Path::new(BINARY), dir.path(), &target, &flags).await.unwrap();
    let mut conn = Conn::new(server.addr);
    let me = conn.send("GET", "/api/v1/session", &carol.headers(), None).await.unwrap();
    assert_eq!(me.status, 200, "the session survives the move");
    assert_eq!(acme_assets(&mut conn, &carol, acme).await, before);
    let body = r#"{"kind":"contact","name":"Written after the move"}"#;
    let made =
        conn.send("POST", &format!("/api/v1/accounts/{acme}/assets"), &carol.headers(), Some(body)).await.unwrap();
    assert_eq!(made.status, 201, "{}", String::from_utf8_lossy(&made.body));
    let history = conn.send("GET", &format!("/api/v1/accounts/{acme}/history"), &carol.headers(), None).await.unwrap();
    assert_eq!(history.status, 200);
    server.stop().await.unwrap();

    // Copying again into the now used database is refused, nothing written.
    let pool = server::db::open(&target, 1).await.unwrap();
    let count = |pool: sqlx::AnyPool| async move {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM assets").fetch_one(&pool).await.unwrap()
    };
    let assets = count(pool.clone()).await;
    let again = copy(&source, &target).await;
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("the target is not empty"));
    assert_eq!(count(pool.clone()).await, assets);
    pool.close().await;
}
