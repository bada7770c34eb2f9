#!/usr/bin/env bash
# Prints the gzipped size (gzip -9) of the release front end in dist/ —
# wasm, JS glue and CSS — and fails when the total is over the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET_BYTES="${BUNDLE_BUDGET_BYTES:-420000}"
total=0
printf '%-52s %10s %10s\n' "file" "raw" "gzip -9"
for f in dist/*.wasm dist/*.js dist/*.css; do
  [ -e "$f" ] || { echo "missing build output: $f (run trunk build --release first)"; exit 1; }
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + gz))
  printf '%-52s %10d %10d\n' "$(basename "$f")" "$raw" "$gz"
done
printf '%-52s %10s %10d\n' "total (gzip -9)" "" "$total"
printf 'bundle size: %d.%d KB gzipped, budget %d KB\n' $((total / 1000)) $(((total % 1000) / 100)) $((BUDGET_BYTES / 1000))
if [ "$total" -gt "$BUDGET_BYTES" ]; then
  echo "over budget by $((total - BUDGET_BYTES)) bytes"
  exit 1
fi
