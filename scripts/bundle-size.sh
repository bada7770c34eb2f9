#!/usr/bin/env bash
# Prints what each entry point costs on the wire as the server sends it
# (the release build's brotli copies: page, wasm, JS glue, CSS and the
# largest language catalogue) and fails
# when one is over its budget. The gzip -9 figure of the app is printed too,
# for comparison with earlier measurements. The budgets guard against
# growth (today's sizes plus a little); the first-load targets of 250 KB for
# the Clients tab and 120 KB for the access page, on the wire, are measured by
# scripts/bench-first-load.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
APP_BUDGET="${APP_BUDGET_BYTES:-267000}"
SETTINGS_BUDGET="${SETTINGS_BUDGET_BYTES:-263600}"
ACCESS_BUDGET="${ACCESS_BUDGET_BYTES:-132000}"
BULK_BUDGET="${BULK_BUDGET_BYTES:-267500}"
TERMS_BUDGET="${TERMS_BUDGET_BYTES:-192800}"
SECURITY_BUDGET="${SECURITY_BUDGET_BYTES:-206500}"
status=0

entry() { # label page wasm-prefix budget [own-catalogue-dir]
  local label=$1 page=$2 prefix=$3 budget=$4 own=${5:-} total=0 gz=0
  printf '%s\n' "$label"
  # The page's own stylesheet, as the page links it.
  local css
  css="dist/$(grep -oE '/[a-z-]+-[0-9a-f]+\.css' "dist/$page" | head -1 | cut -c2-)"
  # The texts of one language (locales/<tag>.json, fetched with the page):
  # the largest catalogue, so that every language is within the budget.
  local texts
  texts=$(ls -S dist/locales/*.json.br 2>/dev/null | head -1)
  texts=${texts%.br}
  # A page with texts of its own (locales/<dir>/<tag>.json) fetches those too.
  if [ -n "$own" ]; then
    own=$(ls -S dist/locales/"$own"/*.json.br 2>/dev/null | head -1)
    own=${own%.br}
  fi
  for f in "dist/$page" dist/"$prefix"-*_bg.wasm dist/"$prefix"-*.js "$css" "$texts" ${own:+"$own"}; do
    [ -e "$f.br" ] || { echo "missing build output: $f.br (run scripts/run.sh or build_front_end first)"; exit 1; }
    local br raw
    raw=$(stat -c %s "$f")
    br=$(stat -c %s "$f.br")
    total=$((total + br))
    gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
    printf '  %-50s %10d raw %9d brotli\n' "$(basename "$f")" "$raw" "$br"
  done
  printf '  %-50s %10s     %9d brotli (%d.%d KB; gzip -9 %d.%d KB), budget %d KB\n' "total" "" "$total" \
    $((total / 1000)) $(((total % 1000) / 100)) $((gz / 1000)) $(((gz % 1000) / 100)) $((budget / 1000))
  if [ "$total" -gt "$budget" ]; then
    echo "  over budget by $((total - budget)) bytes"
    status=1
  fi
}

entry "app (index.html)" index.html client-access-manager "$APP_BUDGET"
entry "settings and assets (settings.html)" settings.html settings "$SETTINGS_BUDGET"
entry "access-link page (access.html)" access.html access "$ACCESS_BUDGET"
entry "review and bulk work (bulk.html)" bulk.html bulk "$BULK_BUDGET"
entry "a partner's terms (terms.html)" terms.html terms "$TERMS_BUDGET"
entry "sign-in security (security.html)" security.html security "$SECURITY_BUDGET" security
exit $status
