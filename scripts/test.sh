#!/usr/bin/env bash
# Runs every test: formatting and lints, the Rust tests of all crates (domain
# unit and property tests, bounded fuzzing of the parsers, front-end unit
# tests, server API tests, the security suite of SECURITY.md), the
# release front-end build with its bundle-size report, and the Playwright
# end-to-end journeys in Debian's headless Chromium against the real server.
# The server's API tests, security suite and the journeys run on SQLite and
# again on a throwaway PostgreSQL cluster the script starts and stops.
source "$(dirname "$0")/env.sh"

need_build_tools
need_chromium

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

FIGURES='(authorization matrix: |IDOR sweep: |mass assignment: |CSRF: |model test: |race \([abc]\) |sessions: |rate limits: |security headers: |append-only: |crash safety: |outbox claims: |logs: |fuzz [a-z ]+: ).*'

step "Rust tests on SQLite (all crates; the security suite prints its figures)"
mkdir -p "$CARGO_TARGET_DIR"
cargo test --workspace -- --nocapture 2>&1 | tee "$CARGO_TARGET_DIR/rust-tests.log"
step "Security and reliability figures on SQLite (SECURITY.md)"
grep -oE "$FIGURES" "$CARGO_TARGET_DIR/rust-tests.log" | sed 's/^/  /'

step "Starting a throwaway PostgreSQL cluster on loopback"
start_postgres
echo "  $PG_SERVER ($PG_DIR)"

step "Server tests on PostgreSQL (the API tests and the security suite again, each on a new database)"
CAM_TEST_POSTGRES="$PG_SERVER" cargo test -p server --test api --test security -- --nocapture 2>&1 |
  tee "$CARGO_TARGET_DIR/rust-tests-postgres.log"
step "Security and reliability figures on PostgreSQL"
grep -oE "$FIGURES" "$CARGO_TARGET_DIR/rust-tests-postgres.log" | sed 's/^/  /'

build_front_end

step "Bundle size"
bash scripts/bundle-size.sh

step "Building the server for the end-to-end tests"
cargo build -p server

CAM_SKIP_BUILD=1 bash scripts/e2e.sh "$@"
CAM_SKIP_BUILD=1 CAM_E2E_BACKEND=postgres bash scripts/e2e.sh "$@"
