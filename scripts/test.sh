#!/usr/bin/env bash
# Runs every test: formatting and lints, the Rust tests of all crates (domain
# unit and property tests, bounded fuzzing of the parsers, front-end unit
# tests, server API tests, the security suite of SECURITY.md), the
# release front-end build with its bundle-size report, and the Playwright
# end-to-end journeys in Debian's headless Chromium against the real server.
# The server's API tests, security suite and the journeys run on SQLite and
# again on a throwaway PostgreSQL cluster the script starts and stops.
#
# --quick, for daily work: formatting, lints and the module graph, the Rust
# tests on SQLite and the Playwright journeys on SQLite; no PostgreSQL, no
# bundle-size report. Other arguments go to Playwright (scripts/e2e.sh).
# Both print each stage's wall time at the end, also when a stage fails.
source "$(dirname "$0")/env.sh"

QUICK=0
E2E_ARGS=()
for arg in "$@"; do
  if [ "$arg" = --quick ]; then QUICK=1; else E2E_ARGS+=("$arg"); fi
done
set -- "${E2E_ARGS[@]}"

# Stage times: step (scripts/env.sh) appends each stage's start to this
# file, here and in the scripts run from here; the table is printed on exit.
CAM_STEP_TIMES="$(mktemp "${TMPDIR:-/tmp}/cam-test-times.XXXXXX")"
export CAM_STEP_TIMES
stage_times() {
  local status=$?
  python3 - "$CAM_STEP_TIMES" "$EPOCHREALTIME" "$status" <<'PY' || true
import sys
path, end, status = sys.argv[1], float(sys.argv[2].replace(",", ".")), int(sys.argv[3])
stages = []
for line in open(path, encoding="utf-8"):
    t, _, name = line.rstrip("\n").partition("\t")
    stages.append((float(t.replace(",", ".")), name))
if stages:
    print("\n==> Stage times (wall clock)")
    print(f"  {'stage':<72} {'seconds':>8}")
    for (t, name), (t_next, _) in zip(stages, stages[1:] + [(end, "")]):
        name = name if len(name) <= 72 else name[:71] + "…"
        print(f"  {name:<72} {t_next - t:>8.1f}")
    total = f"total{'' if status == 0 else f' (failed: exit {status})'}"
    print(f"  {total:<72} {end - stages[0][0]:>8.1f}")
PY
  rm -f "$CAM_STEP_TIMES"
}
# start_postgres (scripts/env.sh) sets its own EXIT trap; this one is set
# again after it, and stops the cluster too.
on_exit() {
  stage_times
  stop_postgres
}
trap on_exit EXIT

need_build_tools
need_chromium

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

step "Module graph: no import circles, nothing points up from db/ or the domain"
python3 scripts/module-graph.py

FIGURES='(authorization matrix: |IDOR sweep: |mass assignment: |CSRF: |model test: |race \([abc]\) |sessions: |rate limits: |security headers: |append-only: |crash safety: |bulk takeover: |outbox claims: |logs: |fuzz [a-z ]+: ).*'

step "Rust tests on SQLite (all crates; the security suite prints its figures)"
mkdir -p "$CARGO_TARGET_DIR"
cargo test --workspace -- --nocapture 2>&1 | tee "$CARGO_TARGET_DIR/rust-tests.log"
step "Security and reliability figures on SQLite (SECURITY.md)"
grep -oE "$FIGURES" "$CARGO_TARGET_DIR/rust-tests.log" | sed 's/^/  /'

if [ "$QUICK" = 1 ]; then
  build_front_end
  step "Building the server for the end-to-end tests"
  cargo build -p server
  CAM_SKIP_BUILD=1 bash scripts/e2e.sh "$@"
  exit 0
fi

step "Starting a throwaway PostgreSQL cluster on loopback"
start_postgres
trap on_exit EXIT
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
