#!/usr/bin/env bash
# Debian packages: FRR (bgpd, zebra, bfdd) and BIRD 2 as independent BGP peers, iproute2 for netns,
# prometheus for `promtool check metrics` on a scrape, jq and curl for the Chainsaw scripts. Their
# services are never used: the test bed runs its own daemons inside namespaces.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PKGS=(frr bird2 iproute2 procps psmisc prometheus jq curl)

install() {
  local missing=()
  # dpkg -s succeeds for a removed package whose config files remain: ask for the install status.
  for p in "${PKGS[@]}"; do
    [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == "install ok installed" ]] || missing+=("$p")
  done
  if (( ${#missing[@]} == 0 )); then say "debian packages: ${PKGS[*]} installed"; return; fi
  [[ $(id -u) == 0 ]] || die "installing ${missing[*]} needs root (apt-get)"
  run_long "apt-get update" "$CACHE_DIR/logs/apt-update.log" apt-get update
  run_long "apt-get install ${missing[*]}" "$CACHE_DIR/logs/apt-install.log" \
    env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  # The packages' own services must not hold ports or sockets the bed uses.
  for s in frr bird prometheus; do
    if command -v systemctl >/dev/null && systemctl is-active --quiet "$s" 2>/dev/null; then systemctl stop "$s" || true; fi
  done
  pkill -x prometheus 2>/dev/null || true
}

with_lock debs install
