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

    /// The database: a SQLite file (created when missing) or a `postgres://`
    /// URL to an existing PostgreSQL database; migrated at start-up.
    #[arg(long, env = "CAM_DATABASE", default_value = "data/cam.db")]
    pub database: String,

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

    /// Access-link lookups and approvals allowed per client address per minute.
    #[arg(long, env = "CAM_LINKS_PER_MINUTE", default_value_t = 30)]
    pub links_per_minute: u32,

    /// File with the server secret that access-link tokens are derived from
    /// (created with a random secret when missing; keep it private).
    #[arg(long, env = "CAM_SECRET_FILE", default_value = "data/server-secret")]
    pub secret_file: PathBuf,

    /// The server secret itself (64 hex digits), instead of --secret-file:
    /// every instance on one database must have the same one.
    #[arg(long, env = "CAM_SECRET", hide_env_values = true)]
    pub secret: Option<String>,

    /// The address people reach this server at, used in emails.
    #[arg(long, env = "CAM_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// SMTP server for email notifications; none means emails stay queued in the outbox.
    #[arg(long, env = "CAM_SMTP_HOST")]
    pub smtp_host: Option<String>,

    /// SMTP port.
    #[arg(long, env = "CAM_SMTP_PORT", default_value_t = 587)]
    pub smtp_port: u16,

    /// SMTP user name (with --smtp-password).
    #[arg(long, env = "CAM_SMTP_USERNAME")]
    pub smtp_username: Option<String>,

    /// SMTP password.
    #[arg(long, env = "CAM_SMTP_PASSWORD")]
    pub smtp_password: Option<String>,

    /// SMTP transport security: `starttls`, `tls` or `none` (loopback test servers only).
    #[arg(long, env = "CAM_SMTP_TLS", default_value = "starttls")]
    pub smtp_tls: String,

    /// Sender of notification emails.
    #[arg(long, env = "CAM_MAIL_FROM", default_value = "Client Access Manager <no-reply@cam.invalid>")]
    pub mail_from: String,

    /// Enable the test-only routes (reset, clock). Never in production.
    #[arg(long, env = "CAM_TEST_MODE", default_value_t = false, action = clap::ArgAction::Set)]
    pub test_mode: bool,

    /// Seconds an instance holds a background job's lease (a bulk job)
    /// before another instance may take it over; renewed at every chunk.
    #[arg(long, env = "CAM_WORK_LEASE_SECS", default_value_t = 30)]
    pub work_lease_secs: i64,

    /// Test mode only: a pause after each committed chunk of a bulk job, so
    /// that a test can stop an instance in the middle of one.
    #[arg(long, env = "CAM_WORK_CHUNK_PAUSE_MS", default_value_t = 0)]
    pub work_chunk_pause_ms: u64,
}

impl Config {
    /// The configuration tests use: defaults, test mode off, the secret
    /// file in `dir`, and `database` (a SQLite path or a PostgreSQL URL).
    pub fn for_tests(dir: &std::path::Path, database: String) -> Config {
        let mut c = Config::parse_from(["cam-server"]);
        c.secret_file = dir.join("server-secret");
        c.dist = dir.join("dist");
        c.database = database;
        c
    }
}

impl Config {
    /// The server secret access-link tokens are derived from: `CAM_SECRET`
    /// when given, else the secret file (created on first start).
    pub fn load_secret(&self) -> std::io::Result<[u8; 32]> {
        match &self.secret {
            Some(hex) => parse_secret(hex, "CAM_SECRET"),
            None => load_or_create_secret(&self.secret_file),
        }
    }

    /// The base URL for links in emails.
    pub fn public_base(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}:{}", self.host, self.port))
            .trim_end_matches('/')
            .to_string()
    }
}

/// A secret written as 64 hex digits; `source` names it in errors.
fn parse_secret(text: &str, source: &str) -> std::io::Result<[u8; 32]> {
    let bytes = hex::decode(text.trim()).map_err(|e| std::io::Error::other(format!("{source}: {e}")))?;
    bytes.try_into().map_err(|_| std::io::Error::other(format!("{source}: expected 32 bytes of hex")))
}

/// The server secret from `path`, created (32 random bytes, hex, owner-only
/// permissions) when the file does not exist.
fn load_or_create_secret(path: &std::path::Path) -> std::io::Result<[u8; 32]> {
    if let Ok(text) = std::fs::read_to_string(path) {
        return parse_secret(&text, &path.display().to_string());
    }
    let mut secret = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    use std::io::Write;
    options.open(path)?.write_all(hex::encode(secret).as_bytes())?;
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_file_is_created_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s/secret");
        let first = load_or_create_secret(&path).unwrap();
        assert_eq!(load_or_create_secret(&path).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
