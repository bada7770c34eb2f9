#!/usr/bin/env bash
# Runs every test: formatting and lints, the Rust tests of all crates (domain
# unit and property tests, bounded fuzzing of the parsers, front-end unit
# tests, server API tests, the security suite of SECURITY.md), the
# release front-end build with its bundle-size report, and the Playwright
# end-to-end journeys in Debian's headless Chromium against the real server.
source "$(dirname "$0")/env.sh"

need_build_tools
need_chromium

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

step "Rust tests (all crates; the security suite prints its figures)"
mkdir -p "$CARGO_TARGET_DIR"
cargo test --workspace -- --nocapture 2>&1 | tee "$CARGO_TARGET_DIR/rust-tests.log"
step "Security and reliability figures (SECURITY.md)"
grep -oE '(authorization matrix: |IDOR sweep: |mass assignment: |CSRF: |model test: |race \([abc]\) |sessions: |rate limits: |security headers: |append-only: |crash safety: |logs: |fuzz [a-z ]+: ).*' \
  "$CARGO_TARGET_DIR/rust-tests.log" | sed 's/^/  /'

build_front_end

step "Bundle size"
bash scripts/bundle-size.sh

step "Building the server for the end-to-end tests"
cargo build -p server

CAM_SKIP_BUILD=1 bash scripts/e2e.sh "$@"
