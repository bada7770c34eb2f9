#!/usr/bin/env bash
# Scale benchmark: 10,000 clients, 500 employees, ~51,000 memberships,
# generated the same way into SQLite and into PostgreSQL (a throwaway
# cluster on loopback). For each: p50/p95 of the Clients and Employees tab
# reads and the client details through the real router (no socket), the
# floor (the same SQL straight on the pool, no HTTP or JSON) and the ratio
# to it, the bulk removal and bulk add, and the process memory. Then both
# side by side with the ratio PostgreSQL/SQLite. Release build.
source "$(dirname "$0")/env.sh"
step "Building the benchmark (release; crates/tooling)"
cargo build --profile server-release -p tooling --bin cam_bench
BENCH="$CARGO_TARGET_DIR/server-release/cam_bench"
OUT="$(mktemp -d)"

step "SQLite"
CAM_BENCH_JSON="$OUT/sqlite.json" "$BENCH"

step "PostgreSQL"
start_postgres
CAM_BENCH_JSON="$OUT/postgres.json" "$BENCH" "$(new_postgres_database bench)"

step "Side by side (p95 in ms; floor = the same SQL without HTTP and JSON; a single write: its time; a bulk job: median of 5 runs, worst in brackets)"
python3 - "$OUT/sqlite.json" "$OUT/postgres.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
print(f"{'measure':<44} {'SQLite':>8} {'floor':>7} {'x':>5}   {'PostgreSQL':>10} {'floor':>7} {'x':>5}   {'PG/SQLite':>9}")
for ra, rb in zip(a["results"], b["results"]):
    if "p95" in ra:
        fa, fb = ra["p95"] / ra["floor_p95"], rb["p95"] / rb["floor_p95"]
        print(f"{ra['measure']:<44} {ra['p95']:>8.2f} {ra['floor_p95']:>7.2f} {fa:>4.1f}x   {rb['p95']:>10.2f} {rb['floor_p95']:>7.2f} {fb:>4.1f}x   {rb['p95'] / ra['p95']:>8.2f}x")
    elif "max" in ra:  # a bulk job: median of its runs, worst in brackets
        print(f"{ra['measure']:<44} {ra['p50']:>8.2f} {'(' + format(ra['max'], '.0f') + ')':>7} {'':>5}   {rb['p50']:>10.2f} {'(' + format(rb['max'], '.0f') + ')':>7} {'':>5}   {rb['p50'] / ra['p50']:>8.2f}x")
    else:
        print(f"{ra['measure']:<44} {ra['p50']:>8.2f} {'':>7} {'':>5}   {rb['p50']:>10.2f} {'':>7} {'':>5}   {rb['p50'] / ra['p50']:>8.2f}x")
PY
rm -rf "$OUT"
