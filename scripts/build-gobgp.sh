#!/usr/bin/env bash
# gobgpd and the gobgp CLI (v4) with `go install`, plus the .proto files of the same module version,
# copied from the Go module cache into the gitignored gen/proto (never committed).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

V=$GOBGP_VERSION
OUT="$CACHE_DIR/gobgp/$V"
PROTO_OUT="$REPO_DIR/gen/proto/gobgp"

build() {
  if [[ -x "$OUT/bin/gobgpd" && -x "$OUT/bin/gobgp" ]]; then
    say "gobgp v$V: cached in $OUT"
  else
    run_long "go install gobgpd + gobgp v$V" "$CACHE_DIR/logs/gobgp-build.log" \
      env GOBIN="$OUT/bin.tmp" CGO_ENABLED=0 go install -trimpath -ldflags '-s -w' \
        "github.com/osrg/gobgp/v4/cmd/gobgpd@v$V" "github.com/osrg/gobgp/v4/cmd/gobgp@v$V"
    rm -rf "$OUT/bin" && mv "$OUT/bin.tmp" "$OUT/bin"
  fi
  local dir
  dir=$(cd / && go mod download -json "github.com/osrg/gobgp/v4@v$V" | sed -n 's/.*"Dir": "\([^"]*\)".*/\1/p')
  [[ -d "$dir/proto/api" ]] || die "no proto/api in the github.com/osrg/gobgp/v4@v$V module ($dir)"
  if [[ "$(cat "$PROTO_OUT/VERSION" 2>/dev/null)" != "$V" ]]; then
    rm -rf "$PROTO_OUT" && mkdir -p "$PROTO_OUT/api"
    cp "$dir"/proto/api/*.proto "$PROTO_OUT/api/"
    chmod -R u+w "$PROTO_OUT"
    echo "$V" >"$PROTO_OUT/VERSION"
    say "gobgp v$V: copied $(ls "$PROTO_OUT/api" | wc -l) .proto files to gen/proto/gobgp"
  fi
}

with_lock gobgp build
