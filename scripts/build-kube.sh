#!/usr/bin/env bash
# kube-apiserver, kube-controller-manager and kubectl from the k8s.io/kubernetes Go module.
# `go install` refuses that module (its go.mod replaces every staging module with ./staging), so we
# build through a throw-away wrapper module that points each staging module at its published v0.x.y.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

V=$KUBERNETES_VERSION
OUT="$CACHE_DIR/kubernetes/$V"
BINS=(kube-apiserver kube-controller-manager kubectl)

build() {
  if [[ -x "$OUT/kubectl" && -x "$OUT/kube-apiserver" && -x "$OUT/kube-controller-manager" ]]; then
    say "kubernetes v$V: cached in $OUT"; return
  fi
  local minor=${V#1.}; minor=${minor%%.*}
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  local gomod
  gomod=$(cd / && go mod download -json "k8s.io/kubernetes@v$V" | sed -n 's/.*"GoMod": "\([^"]*\)".*/\1/p')
  [[ -f "$gomod" ]] || die "could not fetch k8s.io/kubernetes@v$V from the Go module proxy"
  {
    printf 'module local.test/kubebuild\n\ngo %s\n' "$(sed -n 's/^go //p' "$gomod")"
    grep '^godebug ' "$gomod" || true   # dependency godebug lines are ignored: copy upstream's defaults
  } >"$work/go.mod"
  local staging
  staging=$(sed -n 's#^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) => \./staging/.*#\1#p' "$gomod")
  (cd "$work" && for m in $staging; do go mod edit -replace="$m=$m@v0.${V#1.}"; done)
  say "kubernetes v$V: wrapper module with $(wc -w <<<"$staging") staging replaces"
  local pkgs=()
  for b in "${BINS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
  local add_pkgs=()
  for p in "${pkgs[@]}"; do add_pkgs+=("$p@v$V"); done
  run_long "download kubernetes v$V modules" "$CACHE_DIR/logs/kube-get.log" \
    bash -c "cd '$work' && go get ${add_pkgs[*]}"
  local ld="-s -w" kv
  for kv in "gitVersion=v$V" gitMajor=1 "gitMinor=$minor" gitTreeState=clean "buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"; do
    ld="$ld -X k8s.io/component-base/version.$kv -X k8s.io/client-go/pkg/version.$kv"
  done
  mkdir -p "$OUT.tmp"
  run_long "compile ${BINS[*]} v$V (about 3-5 min cold on 2 cores)" "$CACHE_DIR/logs/kube-build.log" \
    bash -c "cd '$work' && CGO_ENABLED=0 go build -trimpath -tags selinux,notest,grpcnotrace -ldflags '$ld' -o '$OUT.tmp/' ${pkgs[*]}"
  rm -rf "$OUT" && mv "$OUT.tmp" "$OUT"
  "$OUT/kube-apiserver" --version >&2
}

with_lock kubernetes build
