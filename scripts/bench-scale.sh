#!/usr/bin/env bash
# Scale benchmark: 10,000 clients, 500 employees, ~51,000
# memberships; prints p50/p95 of the list, search and details reads, the bulk
# removal and bulk add, and the process memory. Release build (server profile).
source "$(dirname "$0")/env.sh"
step "Building the benchmark (release)"
cargo build --profile server-release -p server --bin cam-bench
step "Running"
"$CARGO_TARGET_DIR/server-release/cam-bench"
