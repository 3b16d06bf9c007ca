#!/usr/bin/env bash
# Provisions everything the project needs, idempotently, cached by version under ~/.cache/bng-bgp:
# Node 24, Debian packages (FRR, BIRD 2), GoBGP v4 (+ .proto files), etcd, Kubernetes control plane
# and kubectl, chainsaw. A warm run only checks and takes seconds.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

start=$SECONDS
[[ $(uname -s) == Linux ]] || die "the test bed needs Linux (network namespaces)"
command -v go >/dev/null || die "Go is needed to build the test bed's binaries (go 1.26+)"
command -v npm >/dev/null || die "npm is needed to fetch Node 24 and the project's packages"

"$SCRIPTS_DIR/install-node.sh" >/dev/null
"$SCRIPTS_DIR/install-debs.sh"
"$SCRIPTS_DIR/build-gobgp.sh"
"$SCRIPTS_DIR/build-etcd.sh"
"$SCRIPTS_DIR/build-kube.sh"
"$SCRIPTS_DIR/build-chainsaw.sh"
say "provisioned in $((SECONDS - start))s"
