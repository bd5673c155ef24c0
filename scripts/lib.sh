# Shared by scripts/run, scripts/test, scripts/bench and .ci/run: installs what is missing,
# saying what it does. Everything lands outside the clone (~/.cargo, ~/.cache/banana-nano),
# so later runs reuse it.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${BANANA_CACHE:-$HOME/.cache/banana-nano}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
TOOLS="$CACHE/tools"
export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"
# Keep the site inside the clone whatever the target dir: the server finds it there.
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$ROOT/target/site}"
# cargo-leptos sets this while it builds, and Leptos and the server read it at compile
# time; setting it for every cargo command lets tests, clippy and cargo-leptos share one
# build of those crates instead of rebuilding them for each.
export LEPTOS_OUTPUT_NAME=banana-nano

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

apt_install() {
  say "installing Debian packages: $*"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_cargo_leptos() {
  if ! command -v cargo-leptos >/dev/null; then
    # cargo-leptos 0.3 needs a newer compiler than stable here; `no_downloads` makes it use
    # the wasm-bindgen and wasm-opt on PATH instead of fetching its own.
    say "building cargo-leptos with the nightly toolchain (about 15 minutes, once)"
    cargo +nightly install cargo-leptos --locked --features no_downloads
  fi
}

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen() {
  local wanted
  wanted="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wanted" ]; then
    # Not --locked: one of its locked dependencies is no longer on the registry.
    say "building wasm-bindgen-cli $wanted (the version Cargo.lock pins; a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$wanted" --force
  fi
}

ensure_npm_tool() { # package version
  if ! grep -q "\"version\": \"$2\"" "$TOOLS/node_modules/$1/package.json" 2>/dev/null; then
    say "installing $1 $2 from npm into $TOOLS"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --silent "$1@$2"
  fi
}

ensure_wasm_opt() {
  # Debian's binaryen is too old: its release WASM fails to hydrate.
  ensure_npm_tool binaryen 132.0.0
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_cargo_leptos
  ensure_wasm_bindgen
  ensure_wasm_opt
}

ensure_chromium() {
  if ! command -v chromium >/dev/null; then
    apt_install chromium
  fi
  # The consent specs read the server's SQLite database to prove what was (not) stored.
  if ! command -v sqlite3 >/dev/null; then
    apt_install sqlite3
  fi
}

ensure_e2e_packages() {
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] ||
     [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    say "installing the end-to-end test packages (npm ci; no browser download)"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
}

# Python tools the tests run as real peers: aiosmtpd (an SMTP server for the email tests)
# and moto (an S3 server for the storage tests), in a venv of their own.
ensure_python_tools() {
  local python="$CACHE/python/bin/python"
  if [ ! -x "$python" ]; then
    say "creating a Python venv for the test tools in $CACHE/python"
    python3 -m venv "$CACHE/python"
  fi
  # Pinned, so every machine tests against the same servers.
  if ! "$python" -c 'import aiosmtpd, moto, sys; from importlib.metadata import version as v
sys.exit(v("aiosmtpd") != "1.4.6" or v("moto") != "5.2.5")' 2>/dev/null; then
    say "installing aiosmtpd 1.4.6 and moto[server] 5.2.5 into $CACHE/python"
    "$python" -m pip install --quiet --disable-pip-version-check 'aiosmtpd==1.4.6' 'moto[server]==5.2.5'
  fi
  export TEST_PYTHON="$python"
}

# The server binary cargo-leptos built for a profile (debug or release).
server_bin() { echo "$CARGO_TARGET_DIR/$1/server"; }
