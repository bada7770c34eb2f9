#!/usr/bin/env bash
# Runs Client Access Manager: installs what is missing, builds the front end
# (release) and the server, migrates the SQLite database (seeding the demo
# data into an empty one) and serves on http://127.0.0.1:8080.
# Extra arguments go to the server, e.g. `scripts/run.sh --port 9090`.
source "$(dirname "$0")/env.sh"

need_build_tools
build_front_end

step "Building the server"
cargo build --profile server-release -p server

step "Starting"
exec "$CARGO_TARGET_DIR/server-release/cam-server" "$@"
