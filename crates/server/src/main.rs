//! `cam-server`: opens and migrates the database, seeds the demo data when it
//! is empty, and serves the API and the front end.

use clap::Parser;
use server::{app, db, seed, AppState, Config};
use std::net::SocketAddr;
use tracing_subscriber::EnvFilter;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // SAFETY: first thing in `main`: no other thread exists yet.
    unsafe { server::memory::return_large_blocks() };
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(serve())
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn")),
        )
        .init();
    if std::env::args().nth(1).as_deref() == Some("copy-database") {
        return copy_database(CopyArgs::parse_from(std::env::args().skip(1))).await;
    }
    let config = Config::parse();
    let pool = db::connect(&config.database).await?;
    let state = AppState::new(pool, config.clone())?;
    tokio::spawn(server::work::runner(state.clone()));
    if config.seed_demo && seed::demo_if_empty(&state.db, state.clock.now()).await? {
        tracing::info!("seeded the demo data");
    }
    if config.test_mode {
        tracing::warn!("test mode is on: /api/v1/test/* can reset the database and move the clock");
    }
    if !config.dist.join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "no built front end found; only the API is served");
    }
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(config.host, config.port)).await?;
    let addr = listener.local_addr()?;
    println!("Client Access Manager is running at http://{addr}/");
    if config.seed_demo {
        println!("Demo sign-ins (password: {}):", seed::DEMO_PASSWORD);
        for (email, what) in seed::DEMO_SIGN_INS {
            println!("  {email:<26} {what}");
        }
    }
    axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

/// `cam-server copy-database --from <database> --to <database>`: copies
/// every row of a database (a SQLite file, say) into a new, empty one (a
/// PostgreSQL database, say) and verifies the copy table by table.
#[derive(Debug, Parser)]
#[command(name = "cam-server copy-database")]
struct CopyArgs {
    /// The database to copy: a SQLite file or a postgres:// URL. Stop the
    /// servers that write to it first.
    #[arg(long)]
    from: String,
    /// An empty database to copy into: a postgres:// URL (created with
    /// `createdb`) or a new SQLite file.
    #[arg(long)]
    to: String,
}

async fn copy_database(args: CopyArgs) -> Result<(), Box<dyn std::error::Error>> {
    println!(
        "Copying {} ({}) into {} ({})",
        args.from,
        db::Backend::of(&args.from).name(),
        args.to,
        db::Backend::of(&args.to).name()
    );
    let report = match db::copy::copy_database(&args.from, &args.to).await {
        Ok(report) => report,
        Err(e) => {
            eprintln!("copy-database: {e}");
            std::process::exit(1);
        }
    };
    println!("{:<18} {:>9}  sha-256 of the rows (the same on both sides)", "table", "rows");
    for t in &report {
        println!("{:<18} {:>9}  {}", t.table, t.rows, t.checksum);
    }
    let rows: usize = report.iter().map(|t| t.rows).sum();
    println!("Copied and verified {rows} rows in {} tables.", report.len());
    Ok(())
}

/// Ctrl-C or SIGTERM (what service managers send) stop the server gracefully:
/// requests under way finish, nothing new is accepted.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
