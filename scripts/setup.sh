#!/usr/bin/env bash
# Everything before running the project: provisioning, Node 24 on PATH, npm packages (installed
# again only when package-lock.json changed), generated GoBGP types. Sourced by test.sh and lab.sh.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $(id -u) == 0 ]] || die "the test bed creates network namespaces and runs routing daemons: run as root"
"$SCRIPTS_DIR/provision.sh"
NODE_BIN=$("$SCRIPTS_DIR/install-node.sh" 2>/dev/null)
export PATH="$NODE_BIN:$PATH"
cd "$REPO_DIR"
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ "$(cat node_modules/.lock-hash 2>/dev/null)" != "$lock_hash" ]]; then
  run_long "npm ci" "$CACHE_DIR/logs/npm-ci.log" npm ci --no-audit --no-fund
  echo "$lock_hash" >node_modules/.lock-hash
fi
node scripts/generate-proto-types.ts
