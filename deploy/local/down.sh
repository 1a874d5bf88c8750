#!/usr/bin/env bash
# Stops what deploy/local/up.sh started for a node (default: hebei): its six hosts (recorded PIDs),
# then the servers that up.sh's servers.sh started, unless another node's hosts still run.
# Servers started by hand, by test.sh, or found already running are left alone.
#
#   deploy/local/down.sh [node]
#   deploy/local/down.sh --federation    the four nodes of up.sh --federation, their links, then the servers
set -euo pipefail
MEDCAT_SCRIPT=down.sh
# shellcheck source=deploy/local/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ "${1:-}" = --federation ]; then
  bash "$MEDCAT_REPO/deploy/local/links.sh" down || medcat_say "the links could not be removed (is RabbitMQ down already?)"
  for n in "${MEDCAT_FEDERATION_NODES[@]}"; do bash "$MEDCAT_REPO/deploy/local/down.sh" "$n"; done
  exit 0
fi

node=${1:-hebei}
[ $# -le 1 ] || medcat_die "usage: deploy/local/down.sh [node]"
RUN="$MEDCAT_LOCAL/run/$node"

stopped=()
pids=()
for h in "${MEDCAT_HOSTS[@]}"; do
  if medcat_pid_alive "$RUN/$h.pid" "$(medcat_host_assembly "$h").dll"; then
    pid=$(head -n1 "$RUN/$h.pid")
    kill -TERM "$pid" 2>/dev/null || true
    pids+=("$pid")
    stopped+=("$h")
  fi
done
for pid in "${pids[@]}"; do medcat_stop_pid "$pid" 20; done
rm -f "$RUN"/*.pid
if [ ${#stopped[@]} -gt 0 ]; then
  medcat_say "$node: stopped ${stopped[*]}"
else
  medcat_say "$node: no hosts running"
fi

others=()
for d in "$MEDCAT_LOCAL"/run/*/; do
  [ -d "$d" ] || continue
  o=$(basename "$d")
  [ "$o" = servers ] || [ "$o" = "$node" ] && continue
  for h in "${MEDCAT_HOSTS[@]}"; do
    if medcat_pid_alive "$d$h.pid" "$(medcat_host_assembly "$h").dll"; then others+=("$o"); break; fi
  done
done
if [ ${#others[@]} -gt 0 ]; then
  medcat_say "servers kept: the hosts of ${others[*]} still run"
  exit 0
fi
bash "$MEDCAT_REPO/deploy/local/servers.sh" down --owner up.sh
