//! Test and bench tooling of the Client Access Manager, never shipped: what
//! the server's integration tests, the scale benchmark (`cam_bench`) and the
//! load generator (`cam_load`) share. The server's tests take it as a
//! dev-dependency; the two binaries are this crate's (`scripts/bench-*.sh`).

pub mod database;
pub mod harness;
pub mod http_client;
pub mod server_process;
