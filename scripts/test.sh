#!/usr/bin/env bash
# Runs every test: formatting and lints, the Rust tests of all crates (domain
# unit and property tests, front-end unit tests, server API tests), the
# release front-end build with its bundle-size report, and the Playwright
# end-to-end journeys in Debian's headless Chromium against the real server.
source "$(dirname "$0")/env.sh"

need_build_tools
need_chromium

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

step "Rust tests (all crates)"
cargo test --workspace

build_front_end

step "Bundle size"
bash scripts/bundle-size.sh

step "Building the server for the end-to-end tests"
cargo build -p server

CAM_SKIP_BUILD=1 bash scripts/e2e.sh "$@"
