#!/usr/bin/env bash
# Runs the Playwright end-to-end journeys (all, or the specs/filters given)
# against the real server on a fresh temporary database, in Debian's
# headless Chromium. Builds the front end and the server first.
# Examples: scripts/e2e.sh tests/e2e/session.spec.ts
#           scripts/e2e.sh -g "sign-out"
#           CAM_E2E_BACKEND=postgres scripts/e2e.sh
source "$(dirname "$0")/env.sh"

need_build_tools
need_chromium

if [ "${CAM_SKIP_BUILD:-}" != "1" ]; then
  build_front_end
  step "Building the server"
  cargo build -p server
fi

export CAM_SERVER_BIN="$CARGO_TARGET_DIR/debug/cam-server"
export E2E_PORT="${E2E_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
# CAM_E2E_BACKEND=postgres: on a new database of a throwaway PostgreSQL
# cluster (PG_SERVER when the caller started one, else started here).
if [ "${CAM_E2E_BACKEND:-sqlite}" = postgres ]; then
  [ -n "${PG_SERVER:-}" ] || start_postgres
  E2E_DB="$(new_postgres_database e2e)"
  step "End-to-end tests on PostgreSQL (Playwright, headless Chromium)"
else
  E2E_DB="$(mktemp -d)/cam.db"
  step "End-to-end tests on SQLite (Playwright, headless Chromium)"
fi
export E2E_DB
npx playwright test "$@"
