#!/usr/bin/env bash
# etcd from its Go module. server/go.mod has replace lines (so `go install` refuses it) but requires
# real versions, so a wrapper module with no replaces of its own builds it.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

V=$ETCD_VERSION
OUT="$CACHE_DIR/etcd/$V"

build() {
  if [[ -x "$OUT/etcd" ]]; then say "etcd v$V: cached in $OUT"; return; fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && go mod init local.test/etcdbuild >/dev/null 2>&1)
  run_long "download etcd v$V modules" "$CACHE_DIR/logs/etcd-get.log" \
    bash -c "cd '$work' && go get go.etcd.io/etcd/server/v3@v$V"
  mkdir -p "$OUT.tmp"
  run_long "compile etcd v$V" "$CACHE_DIR/logs/etcd-build.log" \
    bash -c "cd '$work' && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o '$OUT.tmp/etcd' go.etcd.io/etcd/server/v3"
  rm -rf "$OUT" && mv "$OUT.tmp" "$OUT"
  "$OUT/etcd" --version | head -1 >&2
}

with_lock etcd build
