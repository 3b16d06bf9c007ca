#!/usr/bin/env bash
# until.sh SECONDS WHAT COMMAND...: runs COMMAND every half second until it succeeds; after SECONDS
# fails, saying WHAT was awaited and what COMMAND printed last. Chainsaw scripts run once: this is
# how they wait for the network to converge.
set -uo pipefail
deadline=$((SECONDS + $1)); what=$2; shift 2
while true; do
  if out=$("$@" 2>&1); then printf '%s\n' "$out"; exit 0; fi
  if (( SECONDS >= deadline )); then
    printf 'timed out waiting for %s; last output:\n%s\n' "$what" "$out" >&2
    exit 1
  fi
  sleep 0.5
done
