//! Security and reliability proofs: the authorization matrix over
//! every route, the IDOR, mass-assignment and CSRF sweeps, the model test
//! against a reference model built from `crates/domain`, races, sessions,
//! rate limits, headers, the append-only history and denial log, crash
//! safety of the real server binary under SIGKILL, and bounded fuzzing of
//! every parser of outside input. Each test prints its figures (run with
//! `--nocapture`, as `scripts/test.sh` does). See SECURITY.md.

mod crash;
mod fuzz;
mod headers;
mod history;
mod limits;
mod matrix;
mod model;
mod races;
mod sessions;
mod support;
mod takeover;
