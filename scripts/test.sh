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

step "Module graph: no import circles, nothing points up from db/ or the domain"
python3 scripts/module-graph.py

FIGURES='(authorization matrix: |IDOR sweep: |mass assignment: |CSRF: |model test: |race \([abc]\) |sessions: |rate limits: |security headers: |append-only: |crash safety: |outbox claims: |logs: |fuzz [a-z ]+: ).*'

step "Rust tests on SQLite (all crates; the security suite prints its figures)"
mkdir -p "$CARGO_TARGET_DIR"
cargo test --workspace -- --nocapture 2>&1 | tee "$CARGO_TARGET_DIR/rust-tests.log"
step "Security and reliability figures on SQLite (SECURITY.md)"
grep -oE "$FIGURES" "$CARGO_TARGET_DIR/rust-tests.log" | sed 's/^/  /'

step "Starting a throwaway PostgreSQL cluster on loopback"
start_postgres
echo "  $PG_SERVER ($PG_DIR)"

# The server's tests on PostgreSQL mostly wait on the database: they run in
# the background while the front end builds and the SQLite journeys run.
# The test binaries (built above) run directly, so that cargo's lock on the
# build directory stays free for the front-end build.
step "Server tests on PostgreSQL, in the background (the API tests and the security suite again, each on a new database)"
PG_LOG="$CARGO_TARGET_DIR/rust-tests-postgres.log"
mapfile -t PG_TEST_BINS < <(cargo test -p server --test api --test security --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["kind"] == ["test"]:
        print(m["executable"])')
[ "${#PG_TEST_BINS[@]}" -eq 2 ] || { echo "expected the api and security test binaries, found: ${PG_TEST_BINS[*]}"; exit 1; }
(
  cd crates/server
  for bin in "${PG_TEST_BINS[@]}"; do
    CAM_TEST_POSTGRES="$PG_SERVER" "$bin" --nocapture || exit 1
  done
) >"$PG_LOG" 2>&1 &
PG_TESTS=$!

build_front_end

step "Bundle size"
bash scripts/bundle-size.sh

step "Building the server for the end-to-end tests"
cargo build -p server

CAM_SKIP_BUILD=1 bash scripts/e2e.sh "$@"

step "Server tests on PostgreSQL: waiting for them"
if ! wait "$PG_TESTS"; then
  cat "$PG_LOG"
  echo "the server tests on PostgreSQL failed"
  exit 1
fi
grep -E '^test result|passed; .* failed' "$PG_LOG" | sed 's/^/  /'
step "Security and reliability figures on PostgreSQL"
grep -oE "$FIGURES" "$PG_LOG" | sed 's/^/  /'

CAM_SKIP_BUILD=1 CAM_E2E_BACKEND=postgres bash scripts/e2e.sh "$@"
