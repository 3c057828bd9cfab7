#!/usr/bin/env bash
# Installs code-server (VS Code's workbench served to a browser) into .e2e/code-server/ for the e2e tests and
# `npm start`. Kept out of the project's dependencies on purpose: ~300 MB of native modules the extension never needs.
# Idempotent: a marker file is written only after a verified install, and a lock serialises concurrent callers.
# Recipe and the reason for each step: docs/testing.md.
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/.e2e"
DEST="$E2E/code-server"
MARKER="$DEST/.installed-$VERSION"
BIN="$DEST/node_modules/.bin/code-server"

mkdir -p "$E2E"
exec 9>"$E2E/install.lock"
flock 9

if [[ -f "$MARKER" && -x "$BIN" ]]; then
  exit 0
fi

# System packages: the browser, gssapi headers for the `kerberos` module, and a local `rg` to seed @vscode/ripgrep.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
if ((${#missing[@]})); then
  echo "install-code-server: apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

started=$(date +%s)
rm -rf "$DEST"
mkdir -p "$DEST" "$E2E/tmp"
export TMPDIR="$E2E/tmp"

# @vscode/ripgrep downloads rg from GitHub unless its cache already holds the archive: seed it with Debian's rg.
RG_CACHE="$TMPDIR/vscode-ripgrep-cache-1.15.11"
mkdir -p "$RG_CACHE"
tar czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg

# A private package.json makes this folder its own npm project (npm would otherwise climb to the repo's).
cat >"$DEST/package.json" <<JSON
{ "name": "scimmap-e2e-code-server", "private": true, "description": "Test/demo harness only; not shipped." }
JSON

export npm_config_nodedir=/usr            # node-gyp cannot download headers; Node's are in /usr/include/node
export npm_config_unsafe_perm=true        # code-server's postinstall refuses root otherwise
export npm_config_yes=true                # node-pty's install calls npx non-interactively
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# npm 11 skips dependency install scripts unless approved. code-server's postinstall runs further `npm install`s
# inside lib/vscode whose native modules (node-pty, kerberos, @parcel/watcher, spdlog, ...) must be compiled too;
# an allowScripts list in this package.json would not reach those nested projects, the environment does.
# Acceptable here: one pinned package, installed into an isolated folder that is never shipped.
export npm_config_dangerously_allow_all_scripts=true

echo "install-code-server: npm install code-server@$VERSION into .e2e/code-server (about a minute)"
(cd "$DEST" && npm install --no-save --no-package-lock --foreground-scripts=false "code-server@$VERSION" >"$E2E/install.log" 2>&1) || {
  echo "install-code-server: npm install failed; last lines of $E2E/install.log:" >&2
  tail -n 40 "$E2E/install.log" >&2
  exit 1
}

# Verify that the native modules were really built (a skipped install script leaves no .node file).
VS="$DEST/node_modules/code-server/lib/vscode"
for mod in node-pty kerberos @vscode/spdlog native-watchdog @parcel; do
  if ! find "$VS/node_modules/$mod" -name '*.node' 2>/dev/null | grep -q .; then
    echo "install-code-server: native module $mod was not built (or its prebuild is missing); see $E2E/install.log" >&2
    exit 1
  fi
done
[[ -x "$VS/node_modules/@vscode/ripgrep/bin/rg" ]] || { echo "install-code-server: @vscode/ripgrep has no rg" >&2; exit 1; }

# XDG_CONFIG_HOME: otherwise code-server writes a default config.yaml into ~/.config on first run.
got="$(XDG_CONFIG_HOME="$E2E/xdg-config" "$BIN" --version | grep -E "^[0-9]" | head -n1)"
[[ "$got" == "$VERSION "* ]] || { echo "install-code-server: expected $VERSION, got: $got" >&2; exit 1; }
touch "$MARKER"
echo "install-code-server: code-server $got ready in $(($(date +%s) - started)) s"
