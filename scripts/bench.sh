#!/usr/bin/env bash
# The benchmark command: provisions like the tests (cached), then runs every benchmark beside its
# reference in the same run and writes docs/benchmarks.md (about 40 minutes on 2 cores).
# `./scripts/bench.sh --only convergence --trials 10` for a quick look (not written to docs/; the
# options are in bench/README.md).
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

node scripts/bed-leftovers.ts --sweep
node bench/run.ts "$@"
npx prettier --log-level warn --write docs/benchmarks.md # the tables aligned, as CI checks
node scripts/bed-leftovers.ts --check
