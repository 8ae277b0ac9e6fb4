#!/usr/bin/env bash
# Installs what the end-to-end suite needs, into places that git ignores:
#   - Debian packages: chromium (the browser Playwright drives), libkrb5-dev (gssapi.h for
#     code-server's `kerberos` native module), ripgrep (stands in for the rg binary that
#     @vscode/ripgrep would download from GitHub), neovim (the second LSP client).
#   - code-server (VS Code's workbench and Node extension host) into .vscode-test/.
# Idempotent: every step checks first and skips what is already there.
# On failure it says which step failed and exits non-zero.
set -uo pipefail

CODE_SERVER_VERSION="4.100.3"
# @vscode/ripgrep as pinned by code-server 4.100.3, and the rg release it would download.
RIPGREP_PKG_VERSION="1.15.11"
RIPGREP_ASSET="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="$ROOT/.vscode-test"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
LOG_DIR="$CACHE/logs"
mkdir -p "$CACHE" "$LOG_DIR"

step() { printf '[e2e-setup] %s\n' "$*"; }
fail() {
  printf '[e2e-setup] FAILED at step: %s\n' "$1" >&2
  if [[ -n "${2:-}" && -f "$2" ]]; then
    printf '[e2e-setup] last lines of %s:\n' "$2" >&2
    tail -n 40 "$2" >&2
  fi
  exit 1
}

# --- 1. Debian packages -------------------------------------------------------------------
APT_PACKAGES=(chromium libkrb5-dev ripgrep neovim)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || fail "apt-get install ${missing[*]} (not root and no sudo)"
    SUDO="sudo"
  fi
  step "apt-get update"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update >"$LOG_DIR/apt-update.log" 2>&1 || fail "apt-get update" "$LOG_DIR/apt-update.log"
  step "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y "${missing[@]}" \
    >"$LOG_DIR/apt-install.log" 2>&1 || fail "apt-get install ${missing[*]}" "$LOG_DIR/apt-install.log"
else
  step "Debian packages present: ${APT_PACKAGES[*]}"
fi
for b in /usr/bin/chromium /usr/bin/rg /usr/bin/nvim; do
  [[ -x "$b" ]] || fail "check $b exists after apt-get install"
done

# --- 2. code-server -----------------------------------------------------------------------
if [[ -x "$CS_BIN" ]] && "$CS_BIN" --version >/dev/null 2>&1 \
   && [[ -x "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]]; then
  step "code-server $CODE_SERVER_VERSION present in ${CS_DIR#$ROOT/}"
else
  # A short private TMPDIR: @vscode/ripgrep looks for its download in
  # $TMPDIR/vscode-ripgrep-cache-<version>/ before fetching from GitHub (unreachable here),
  # so a tarball of Debian's rg placed there satisfies its postinstall.
  TMP="$CACHE/tmp"
  rm -rf "$TMP" && mkdir -p "$TMP/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION" \
    || fail "create $TMP"
  step "ripgrep workaround: $RIPGREP_ASSET from /usr/bin/rg"
  tar -czf "$TMP/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION/$RIPGREP_ASSET" -C /usr/bin rg \
    || fail "ripgrep workaround (tar of /usr/bin/rg)"

  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR" || fail "create $CS_DIR"
  printf '{ "name": "mlready-e2e-code-server", "private": true }\n' >"$CS_DIR/package.json"
  step "npm install code-server@$CODE_SERVER_VERSION (about two minutes; log: ${LOG_DIR#$ROOT/}/code-server-install.log)"
  # npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which a yes=false config cancels.
  # unsafe_perm: older npm releases run lifecycle scripts as root only with it (npm 11 ignores it).
  (
    cd "$CS_DIR" &&
    TMPDIR="$TMP" npm_config_yes=true npm_config_unsafe_perm=true \
      npm install "code-server@$CODE_SERVER_VERSION" --no-audit --no-fund
  ) >"$LOG_DIR/code-server-install.log" 2>&1 \
    || fail "npm install code-server@$CODE_SERVER_VERSION" "$LOG_DIR/code-server-install.log"
  [[ -x "$CS_BIN" ]] || fail "code-server binary missing after install ($CS_BIN)" "$LOG_DIR/code-server-install.log"
  [[ -x "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]] \
    || fail "code-server's @vscode/ripgrep has no bin/rg after install" "$LOG_DIR/code-server-install.log"
  "$CS_BIN" --version >"$LOG_DIR/code-server-version.log" 2>&1 \
    || fail "code-server --version" "$LOG_DIR/code-server-version.log"
  rm -rf "$TMP"
fi

step "ready: $("$CS_BIN" --version 2>/dev/null | head -n 1)"
