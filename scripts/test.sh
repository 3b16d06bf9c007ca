#!/usr/bin/env bash
# The test command: provisions the bed (cached), then typecheck, lint and every test against the
# real parts, then proves that nothing was left behind.
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

node scripts/bed-leftovers.ts --sweep
start=$SECONDS
npm test
node scripts/bed-leftovers.ts --check
say "tests passed in $((SECONDS - start))s"
