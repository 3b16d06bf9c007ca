# Shared helpers for the provisioning scripts: pinned versions, cache paths, progress output.
# Sourced, never run.
set -euo pipefail

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$SCRIPTS_DIR")"
# shellcheck source=versions.env
. "$SCRIPTS_DIR/versions.env"
CACHE_DIR="${BNG_BGP_CACHE:-$HOME/.cache/bng-bgp}"
mkdir -p "$CACHE_DIR/logs"

export GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:-}"
export PATH="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin:$PATH"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# run_long LABEL LOGFILE CMD...: runs CMD with its output in LOGFILE, prints a heartbeat every 30 s,
# and on failure shows the log's tail and names the step that failed.
run_long() {
  local label=$1 log=$2; shift 2
  local start=$SECONDS
  say "$label (log: $log)"
  "$@" >"$log" 2>&1 &
  local pid=$! next=30
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if (( SECONDS - start >= next )); then say "  ... $label: $((SECONDS - start))s elapsed"; next=$((next + 30)); fi
  done
  if ! wait "$pid"; then
    tail -n 40 "$log" >&2
    die "$label failed after $((SECONDS - start))s; full log in $log"
  fi
  say "  done: $label in $((SECONDS - start))s"
}

# with_lock NAME CMD...: serialises concurrent provisioning of the same component.
with_lock() {
  local name=$1; shift
  exec {lockfd}>"$CACHE_DIR/.$name.lock"
  flock "$lockfd"
  "$@"
  flock -u "$lockfd"
}
