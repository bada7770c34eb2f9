#!/usr/bin/env bash
# Load run: 200 signed-in users mixing reads and writes against
# the real server binary (release build) on loopback for 60 s; prints
# throughput and p50/p95/p99 latency, counts errors (must be 0) and checks
# the invariants and every acknowledged write in the database afterwards.
# CAM_LOAD_USERS and CAM_LOAD_SECONDS change the size and the length.
# CAM_LOAD_BACKEND=postgres runs on a throwaway PostgreSQL cluster with
# CAM_LOAD_INSTANCES server processes (default 2) sharing it, the users
# spread over them in turn.
source "$(dirname "$0")/env.sh"
step "Building the server and the load generator (release; the generator is crates/tooling's cam_load)"
cargo build --profile server-release -p server --bin cam-server -p tooling --bin cam_load
if [ "${CAM_LOAD_BACKEND:-sqlite}" = postgres ]; then
  start_postgres
  CAM_LOAD_DATABASE="$(new_postgres_database load)"
  export CAM_LOAD_DATABASE
  export CAM_LOAD_INSTANCES="${CAM_LOAD_INSTANCES:-2}"
fi
step "Running"
CAM_SERVER_BIN="$CARGO_TARGET_DIR/server-release/cam-server" "$CARGO_TARGET_DIR/server-release/cam_load"
