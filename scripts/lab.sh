#!/usr/bin/env bash
# The local lab: a real control plane, three BNG nodes (gobgpd) and two upstream routers (FRR and
# BIRD) in network namespaces, peered and printed. Stays up until Ctrl-C; --once prints and exits.
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

node scripts/bed-leftovers.ts --sweep
exec node test/lab/main.ts "$@"
