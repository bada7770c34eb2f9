//! Configuration by command-line flags and environment variables.

use clap::Parser;
use std::net::IpAddr;
use std::path::PathBuf;

/// Client Access Manager server.
#[derive(Debug, Clone, Parser)]
#[command(name = "cam-server", version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "CAM_HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,

    /// Port to listen on (0 picks a free one and prints it).
    #[arg(long, env = "CAM_PORT", default_value_t = 8080)]
    pub port: u16,

    /// SQLite database file; created and migrated at start-up.
    #[arg(long, env = "CAM_DATABASE", default_value = "data/cam.db")]
    pub database: PathBuf,

    /// Directory with the built front end (Trunk's dist/).
    #[arg(long, env = "CAM_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Seed the demo data of SPEC §6 when the database is empty.
    #[arg(long, env = "CAM_SEED_DEMO", default_value_t = true, action = clap::ArgAction::Set)]
    pub seed_demo: bool,

    /// Mark the session cookie Secure (set when served over https).
    #[arg(long, env = "CAM_SECURE_COOKIES", default_value_t = false, action = clap::ArgAction::Set)]
    pub secure_cookies: bool,

    /// Sign a session out after this many minutes without a request.
    #[arg(long, env = "CAM_SESSION_IDLE_MINUTES", default_value_t = 120)]
    pub session_idle_minutes: i64,

    /// Sign a session out this many hours after sign-in, whatever happens.
    #[arg(long, env = "CAM_SESSION_ABSOLUTE_HOURS", default_value_t = 12)]
    pub session_absolute_hours: i64,

    /// Sign-in attempts allowed per client address per minute.
    #[arg(long, env = "CAM_SIGN_IN_PER_MINUTE", default_value_t = 20)]
    pub sign_in_per_minute: u32,

    /// Take the client address from X-Forwarded-For (only behind a trusted proxy).
    #[arg(long, env = "CAM_TRUST_FORWARDED_FOR", default_value_t = false, action = clap::ArgAction::Set)]
    pub trust_forwarded_for: bool,

    /// Enable the test-only routes (reset, clock). Never in production.
    #[arg(long, env = "CAM_TEST_MODE", default_value_t = false, action = clap::ArgAction::Set)]
    pub test_mode: bool,
}

impl Config {
    /// The configuration tests use: defaults, test mode off, an in-memory-ish path.
    pub fn for_tests(database: PathBuf) -> Config {
        let mut c = Config::parse_from(["cam-server"]);
        c.database = database;
        c
    }
}
