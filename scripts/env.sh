# Shared environment of the project's scripts (sourced, not run).
# Installs what is missing, idempotently: each step is skipped when its tool
# is already there in the right version.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# One fixed target dir outside the clone, so fresh clones on this machine
# (CI runs in one) reuse earlier builds instead of starting cold.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cam/target}"
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$ROOT/node_modules/.bin:$CARGO_HOME/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

TRUNK_VERSION=0.22.1

# A stage's header. When CAM_STEP_TIMES names a file, its start time
# (seconds since the epoch) and name are appended to it, for the caller's
# table of stage times (scripts/test.sh); scripts run from that one inherit it.
step() {
  printf '\n==> %s\n' "$*"
  if [ -n "${CAM_STEP_TIMES:-}" ]; then printf '%s\t%s\n' "$EPOCHREALTIME" "$*" >>"$CAM_STEP_TIMES"; fi
}

need_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

need_trunk() {
  if ! trunk --version 2>/dev/null | grep -q "trunk $TRUNK_VERSION"; then
    step "Installing trunk $TRUNK_VERSION (once; several minutes)"
    CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install trunk --version "$TRUNK_VERSION" --locked --ignore-rust-version
  fi
}

need_wasm_bindgen() {
  local want
  want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
  if ! wasm-bindgen --version 2>/dev/null | grep -q "wasm-bindgen $want"; then
    step "Installing wasm-bindgen-cli $want (once; a few minutes)"
    # Without --locked: its lockfile pins a crate version the registry does not serve.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

need_node_modules() {
  local stamp="node_modules/.package-lock.sha"
  local want
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    step "Installing npm packages (Playwright, binaryen's wasm-opt)"
    npm ci --no-audit --no-fund
    echo "$want" > "$stamp"
  fi
}

need_chromium() {
  # Chromium, and the CJK fonts its Simplified Chinese screens need.
  if [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    step "Installing Debian's chromium and fonts-noto-cjk"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium fonts-noto-cjk
  fi
}

need_postgres() {
  # Debian's PostgreSQL server binaries (no service is started by us here).
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    step "Installing Debian's postgresql"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends postgresql
    # The package starts a system cluster; the scripts use their own.
    $sudo systemctl stop postgresql >/dev/null 2>&1 || $sudo service postgresql stop >/dev/null 2>&1 || true
  fi
}

# Starts a throwaway PostgreSQL cluster on loopback: initdb into a new
# temporary directory, a free port, trust authentication for its one user
# `cam`, stopped and deleted when the calling script exits. Prints nothing;
# sets PG_SERVER (postgres://cam@127.0.0.1:PORT) and PG_DIR.
start_postgres() {
  need_postgres
  local bin run_as=()
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/cam-pg.XXXXXX")"
  if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root: the cluster belongs to Debian's postgres user.
    chown postgres "$PG_DIR"
    run_as=(runuser -u postgres --)
  fi
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "${run_as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U cam --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log"
  "${run_as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -o \
    "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB" start >/dev/null
  PG_SERVER="postgres://cam@127.0.0.1:$port"
  export PG_SERVER PG_DIR
  PG_STOP=("${run_as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m fast stop)
  trap 'stop_postgres' EXIT
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
    "${PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

# Creates an empty database on the started cluster and prints its URL.
new_postgres_database() {
  local name="cam_$1_$$"
  psql_cmd "CREATE DATABASE $name" >/dev/null
  echo "$PG_SERVER/$name"
}

psql_cmd() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  "$bin/psql" -q -X -v ON_ERROR_STOP=1 "$PG_SERVER/postgres" -c "$1"
}

need_openssl() {
  # OpenSSL's headers: webauthn-rs (passkeys, R20) builds against them.
  if ! dpkg -s libssl-dev pkg-config >/dev/null 2>&1; then
    step "Installing Debian's libssl-dev and pkg-config"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y libssl-dev pkg-config
  fi
}

need_build_tools() {
  need_openssl
  need_wasm_target
  need_trunk
  need_wasm_bindgen
  need_node_modules
}

build_front_end() {
  step "Building the front end (release wasm, Trunk): the app, then the settings, access-link, bulk-work, partner-terms and sign-in security entry points"
  # Smaller wasm: panics carry no file/line strings and Debug formatting is
  # compiled out. Both rustc flags are unstable; the pinned stable toolchain
  # accepts them for these builds only (RUSTC_BOOTSTRAP). They add to the
  # flags of .cargo/config.toml.
  local -x RUSTC_BOOTSTRAP=1
  local -x CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zlocation-detail=none -Zfmt-debug=none"
  # The application's stylesheet is base.css and app.css joined; the
  # access-link page loads base.css alone; review and bulk work add
  # bulk.css (rules no other page needs).
  cat style/base.css style/app.css > style/main.css
  cat style/base.css style/app.css style/bulk.css > style/bulk-main.css
  trunk build --release
  # The other entry points (domain::entry::Entry) are index.html with their
  # own bin (so the pages cannot drift apart), each built aside and added to
  # dist/ as <bin>.html.
  local bin aside
  for bin in settings access bulk terms security; do
    aside="$CARGO_TARGET_DIR/dist-$bin"
    sed "s/data-bin=\"client-access-manager\"/data-bin=\"$bin\"/" index.html > "$bin.html"
    if [ "$bin" = access ]; then sed -i 's#href="style/main.css"#href="style/base.css"#' "$bin.html"; fi
    if [ "$bin" = bulk ]; then sed -i 's#href="style/main.css"#href="style/bulk-main.css"#' "$bin.html"; fi
    trunk build "$bin.html" --release --dist "$aside"
    for f in "$aside"/index.html*; do cp "$f" "dist/$bin.html${f#"$aside"/index.html}"; done
    cp "$aside"/*-* dist/ # its hashed wasm, JS and CSS
  done
}
