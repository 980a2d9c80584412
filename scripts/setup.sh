#!/usr/bin/env bash
# One place for every install the project needs, so a fresh machine (and CI) gets the same tools.
# Idempotent: each step checks first and is skipped when already satisfied.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf '[setup] %s\n' "$*"; }

# --- Debian packages: Chromium + driver for browser tests, CJK fonts for screenshots,
#     brotli (CLI, used by reports), zbar for decoding QR screenshots.
apt_pkgs=(chromium chromium-driver fonts-noto-cjk brotli zbar-tools poppler-utils)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Rust: clippy and rustfmt (the lint gates), the wasm target, wasm-pack, and a wasm-bindgen CLI equal to the crate version in Cargo.lock.
for component in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "rustup component add $component"
    rustup component add "$component"
  fi
done
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
WASM_PACK_VERSION=0.15.1
if [ "$(wasm-pack --version 2>/dev/null || true)" != "wasm-pack $WASM_PACK_VERSION" ]; then
  say "cargo install wasm-pack $WASM_PACK_VERSION"
  cargo install --locked --force wasm-pack --version "$WASM_PACK_VERSION"
fi
bindgen_version="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)"
if [ -z "$bindgen_version" ]; then echo "[setup] cannot read the wasm-bindgen version from Cargo.lock" >&2; exit 1; fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]; then
  say "cargo install wasm-bindgen-cli $bindgen_version"
  # Not --locked: the CLI's own lock pins a crate version the registry mirror here lacks (see docs/toolchain.md).
  cargo install --force wasm-bindgen-cli --version "$bindgen_version"
fi

# --- npm: binaryen (a wasm-opt that works; Debian's 108 writes broken modules), playwright-core, axe-core.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
# --- Benchmark-only npm tools (Lighthouse), installed only when asked: `scripts/setup.sh --bench`.
if [ "${1:-}" = "--bench" ]; then
  if [ ! -d bench/node_modules ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
    say "npm ci (bench)"
    npm ci --prefix bench --no-audit --no-fund --loglevel=error
  fi
fi
say "tools ready: $(wasm-pack --version), $(wasm-bindgen --version), wasm-opt $(node_modules/.bin/wasm-opt --version | awk '{print $3}'), $(chromium --version 2>/dev/null | head -1)"
