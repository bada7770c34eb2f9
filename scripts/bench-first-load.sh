#!/usr/bin/env bash
# First-load benchmark (not part of the timed test run): builds the release
# front end and server, starts the real server on a fresh database (demo
# data), and measures cold loads in headless Chromium; see
# scripts/bench-first-load.mjs. BENCH_RUNS sets the loads per page (≥ 9).
source "$(dirname "$0")/env.sh"

need_build_tools
need_chromium
build_front_end
step "Building the server"
cargo build --profile server-release -p server

work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
# A copy of dist/, so the floor page never lands in the real build output.
cp -r dist "$work/dist"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$CARGO_TARGET_DIR/server-release/cam-server" --port "$port" --database "$work/cam.db" \
  --secret-file "$work/secret" --dist "$work/dist" --sign-in-per-minute 1000 --links-per-minute 1000 \
  > "$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/api/v1/health" > /dev/null && break
  sleep 0.1
done

step "First load (bytes on the wire and time until shown)"
BENCH_URL="http://127.0.0.1:$port" BENCH_DIST="$work/dist" node scripts/bench-first-load.mjs
