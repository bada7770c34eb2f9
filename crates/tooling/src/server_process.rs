//! Starting the real `cam-server` binary on a database of one's own, finding
//! the address it listens on from what it prints, and killing it.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// A running server process.
pub struct ServerProcess {
    pub child: Child,
    pub addr: SocketAddr,
}

impl ServerProcess {
    /// Starts `binary` on `database` (a SQLite path or PostgreSQL URL;
    /// migrated and seeded when new) on a free loopback port, with its secret
    /// and log in `dir` and `extra` flags; waits until it listens.
    pub async fn start(binary: &Path, dir: &Path, database: &str, extra: &[&str]) -> std::io::Result<ServerProcess> {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("server.log"))?;
        let mut child = Command::new(binary)
            .args(["--host", "127.0.0.1", "--port", "0"])
            .arg("--database")
            .arg(database)
            .arg("--secret-file")
            .arg(dir.join("server-secret"))
            .arg("--dist")
            .arg(dir.join("no-front-end"))
            .args(extra)
            .env("RUST_LOG", "error")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .kill_on_drop(true)
            .spawn()?;
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        while let Some(line) = lines.next_line().await? {
            if let Some(rest) = line.split("running at http://").nth(1) {
                let addr = rest.trim_end_matches('/').parse().map_err(std::io::Error::other)?;
                // Keep draining stdout so the server never blocks on a full pipe.
                tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
                return Ok(ServerProcess { child, addr });
            }
        }
        Err(std::io::Error::other("the server exited before listening; see server.log"))
    }

    /// SIGKILL: no shutdown, no flush, nothing.
    pub async fn kill(mut self) {
        let _ = self.child.kill().await;
    }

    /// SIGTERM, then waits for a graceful exit.
    pub async fn stop(mut self) -> std::io::Result<std::process::ExitStatus> {
        if let Some(pid) = self.child.id() {
            let _ = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status();
        }
        self.child.wait().await
    }
}
