#!/usr/bin/env bash
# chainsaw from its Go module (no replace lines, so plain `go install` works). The version must be
# explicit: the module proxy refuses to list chainsaw's versions, so @latest fails.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

V=$CHAINSAW_VERSION
OUT="$CACHE_DIR/chainsaw/$V"

build() {
  if [[ -x "$OUT/bin/chainsaw" ]]; then say "chainsaw v$V: cached in $OUT"; return; fi
  run_long "go install chainsaw v$V" "$CACHE_DIR/logs/chainsaw-build.log" \
    env GOBIN="$OUT/bin.tmp" CGO_ENABLED=0 go install -trimpath -ldflags '-s -w' "github.com/kyverno/chainsaw@v$V"
  rm -rf "$OUT/bin" && mv "$OUT/bin.tmp" "$OUT/bin"
}

with_lock chainsaw build
