#!/usr/bin/env bash
# The longer, coverage-guided fuzzing run: cargo-fuzz
# (libFuzzer) over every parser of outside input, with the same properties
# the test command runs bounded under proptest. Each target runs for
# CAM_FUZZ_SECONDS (default 60); a crash stops the run and leaves its input
# in fuzz/artifacts/<target>/. cargo-fuzz needs nightly features, which the
# stable toolchain here enables with RUSTC_BOOTSTRAP=1 for this build only.
# Usage: scripts/fuzz.sh [target ...]
source "$(dirname "$0")/env.sh"

if ! cargo fuzz --version >/dev/null 2>&1; then
  step "Installing cargo-fuzz (once)"
  cargo install cargo-fuzz --locked
fi

SECONDS_PER_TARGET="${CAM_FUZZ_SECONDS:-60}"
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(email token permission_names set_key date request_body)
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$HOME/.cache/cam/fuzz-target"
cd fuzz
for t in "${TARGETS[@]}"; do
  step "Fuzzing $t for ${SECONDS_PER_TARGET}s"
  log="$(mktemp)"
  if ! cargo fuzz run "$t" -- -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"
    echo "FAILED: $t (input kept in fuzz/artifacts/$t/)"
    exit 1
  fi
  runs="$(grep -o 'Done [0-9]* runs' "$log" | grep -o '[0-9]*' || echo '?')"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')"
  printf '%-18s %12s runs in %ss, coverage %s edges, 0 crashes\n' "$t" "$runs" "$SECONDS_PER_TARGET" "$cov"
  rm -f "$log"
done
