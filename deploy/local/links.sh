#!/usr/bin/env bash
# Configures the federation links between the nodes of the tier files (issue 13, ADR 0032): one RabbitMQ dynamic
# shovel per direction of each parent–child pair, from the sender's queue federation.out.<receiver> (in the sender's
# vhost) to the receiver's queue federation.in (in its vhost). The project decides what crosses a link; the shovel
# carries it, durably (acknowledged after the receiver's broker confirmed it) and reconnecting after an outage.
#
#   deploy/local/links.sh up [TIER_DIR]       create or update the shovels of every link whose two nodes have a file there
#   deploy/local/links.sh down [TIER_DIR]     delete them (queued messages stay in federation.out.* until the link is back)
#   deploy/local/links.sh status [TIER_DIR]   each shovel's state, as RabbitMQ reports it
#
# TIER_DIR defaults to deploy/tiers. The broker is ours (deploy/local/servers.sh), or the one named by
# MEDCAT_RABBITMQ_MANAGEMENT, MEDCAT_RABBITMQ_USER, MEDCAT_RABBITMQ_PASSWORD and MEDCAT_AMQP_PORT (tests set these).
# Every node's vhost is on that one broker here; with separate brokers, MEDCAT_LINK_URI_<nodeId> names the receiver's.
set -euo pipefail
MEDCAT_SCRIPT=links.sh
# shellcheck source=deploy/local/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd=${1:-}
TIERS=${2:-$MEDCAT_REPO/deploy/tiers}
MGMT=${MEDCAT_RABBITMQ_MANAGEMENT:-http://127.0.0.1:$MEDCAT_MGMT_PORT}
USER_=${MEDCAT_RABBITMQ_USER:-$MEDCAT_USER}
PASS_=${MEDCAT_RABBITMQ_PASSWORD:-$MEDCAT_PASSWORD}
AMQP_PORT=${MEDCAT_AMQP_PORT_OVERRIDE:-$MEDCAT_AMQP_PORT}
case $cmd in up | down | status) ;; *) medcat_die "usage: links.sh up|down|status [TIER_DIR]" ;; esac
[ -d "$TIERS" ] || medcat_die "$TIERS: no such folder of tier files"
command -v jq >/dev/null || medcat_die "jq is needed (apt-get install jq)"

api() { # api METHOD PATH [JSON] -> body on stdout; dies on an HTTP error
  local method=$1 path=$2 data=${3:-} out code
  out=$(mktemp)
  local args=(-s -o "$out" -w '%{http_code}' --max-time 15 -u "$USER_:$PASS_" -X "$method")
  [ -n "$data" ] && args+=(-H 'content-type: application/json' --data "$data")
  code=$(curl "${args[@]}" "$MGMT$path" || echo 000)
  if [[ $code != 2?? && ! ($method == DELETE && $code == 404) ]]; then
    medcat_say "$method $path: HTTP $code $(head -c 400 "$out")" >&2
    rm -f "$out"
    return 1
  fi
  cat "$out"
  rm -f "$out"
}

urlenc() { jq -rn --arg v "$1" '$v|@uri'; }

declare -A VHOST
for f in "$TIERS"/*.json; do
  [ -e "$f" ] || continue
  id=$(jq -er .nodeId "$f") || medcat_die "$f: no nodeId"
  VHOST[$id]=$(jq -er .vhost "$f") || medcat_die "$f: no vhost"
done

# Every (sender receiver) pair: a node and its parent, both ways, where both have a tier file here.
links=()
for f in "$TIERS"/*.json; do
  [ -e "$f" ] || continue
  id=$(jq -er .nodeId "$f")
  parent=$(jq -r '.parent // empty' "$f")
  [ -n "$parent" ] && [ -n "${VHOST[$parent]:-}" ] || continue
  links+=("$id $parent" "$parent $id")
done
[ ${#links[@]} -gt 0 ] || medcat_say "no parent–child pair among the tier files in $TIERS: no links"

for pair in "${links[@]}"; do
  read -r from to <<<"$pair"
  vh=$(urlenc "${VHOST[$from]}")
  name="federation-to-$to"
  case $cmd in
    up)
      var="MEDCAT_LINK_URI_${to//-/_}"
      dest=${!var:-amqp://$(urlenc "$USER_"):$(urlenc "$PASS_")@127.0.0.1:$AMQP_PORT/$(urlenc "${VHOST[$to]}")}
      src="amqp://$(urlenc "$USER_"):$(urlenc "$PASS_")@127.0.0.1:$AMQP_PORT/$vh"
      body=$(jq -cn --arg src "$src" --arg dest "$dest" --arg q "federation.out.$to" '{value: {
        "src-protocol": "amqp091", "src-uri": $src, "src-queue": $q,
        "dest-protocol": "amqp091", "dest-uri": $dest, "dest-queue": "federation.in",
        "ack-mode": "on-confirm", "reconnect-delay": 2, "src-delete-after": "never", "dest-add-forward-headers": false}}')
      api PUT "/api/parameters/shovel/$vh/$name" "$body" >/dev/null
      medcat_say "link $from → $to: shovel $name in vhost ${VHOST[$from]} (federation.out.$to → ${VHOST[$to]}/federation.in)"
      ;;
    down)
      api DELETE "/api/parameters/shovel/$vh/$name" >/dev/null
      medcat_say "link $from → $to: shovel $name deleted"
      ;;
    status)
      state=$(api GET "/api/shovels/$vh" | jq -r --arg n "$name" '[.[] | select(.name == $n) | .state] | first // "absent"')
      echo "$from → $to: $state"
      ;;
  esac
done
