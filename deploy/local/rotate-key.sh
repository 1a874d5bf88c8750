#!/usr/bin/env bash
# Rotates a running node's token signing key in three steps, without restarting any service (ADR 0003):
#
#   deploy/local/rotate-key.sh <node> next      create the next key (.local/keys/<node>.next.pem) and publish it
#                                               beside the current one; services accept tokens signed by either
#   deploy/local/rotate-key.sh <node> promote   the next key signs from now on; the old current key's public half
#                                               (.local/keys/<node>.previous.pub.pem) stays published, so the tokens
#                                               it signed keep validating until they expire
#   deploy/local/rotate-key.sh <node> retire    once those tokens have expired (access tokens live 1 h; the step
#                                               refuses earlier unless --force), stop publishing the previous key
#
# Each step rewrites the JWKS file services read (.local/keys/<node>.jwks.json; they pick it up on the next request)
# and restarts the node's gateway alone, if up.sh started it, so that it signs and publishes the same keys.
set -euo pipefail
MEDCAT_SCRIPT=rotate-key.sh
# shellcheck source=deploy/local/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=deploy/local/keys.sh
. "$(dirname "${BASH_SOURCE[0]}")/keys.sh"

usage="usage: deploy/local/rotate-key.sh <node> next|promote|retire [--force]"
[ $# -ge 2 ] && [ $# -le 3 ] || medcat_die "$usage"
node=$1 step=$2 force=${3:-}
[ -z "$force" ] || [ "$force" = --force ] || medcat_die "$usage"
tier="$MEDCAT_REPO/deploy/tiers/$node.json"
[ -f "$tier" ] || medcat_die "no tier file $tier"
medcat_keys_init "$node"
RUN="$MEDCAT_LOCAL/run/$node"
LOGS="$MEDCAT_LOCAL/logs/$node"
TOKEN_LIFETIME_S=$((3600 + 60)) # OpenIddict's access-token lifetime plus the services' clock skew, rounded up
[ -s "$KEY" ] || medcat_die "$KEY does not exist: run deploy/local/up.sh $node first"
mkdir -p "$LOGS"

case $step in
  next)
    [ ! -s "$NEXT_KEY" ] || medcat_die "$NEXT_KEY exists already: promote it first"
    medcat_new_key "$NEXT_KEY"
    medcat_say "created the next key $NEXT_KEY"
    ;;
  promote)
    [ -s "$NEXT_KEY" ] || medcat_die "no next key $NEXT_KEY: run the 'next' step first (and let services see it)"
    if [ -s "$PREVIOUS_KEY" ]; then
      medcat_die "$PREVIOUS_KEY is still published: run the 'retire' step first"
    fi
    (umask 022 && openssl pkey -in "$KEY" -pubout -out "$PREVIOUS_KEY") || medcat_die "openssl could not extract the public key of $KEY"
    # The old private key is not kept: nothing may sign with it any more.
    mv "$NEXT_KEY" "$KEY"
    chmod 600 "$KEY"
    medcat_say "the next key now signs ($KEY); the old one stays published as $PREVIOUS_KEY"
    ;;
  retire)
    [ -s "$PREVIOUS_KEY" ] || medcat_die "no previous key $PREVIOUS_KEY to retire"
    age=$(($(date +%s) - $(stat -c %Y "$PREVIOUS_KEY")))
    if [ "$age" -lt "$TOKEN_LIFETIME_S" ] && [ "$force" != --force ]; then
      medcat_die "the previous key was retired from signing ${age} s ago; tokens it signed live up to ${TOKEN_LIFETIME_S} s (wait, or --force)"
    fi
    rm -f "$PREVIOUS_KEY"
    medcat_say "stopped publishing the previous key"
    ;;
  *) medcat_die "$usage" ;;
esac

# shellcheck source=/dev/null
[ ! -s "$MEDCAT_LOCAL/env" ] || . "$MEDCAT_LOCAL/env"
export Node__ConfigFile="$tier" ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
medcat_run_host gateway "$LOGS/publish-keys.log" --publish-keys || { tail -n 20 "$LOGS/publish-keys.log" >&2; medcat_die "gateway --publish-keys failed"; }
medcat_say "$(tail -n1 "$LOGS/publish-keys.log")"

if medcat_pid_alive "$RUN/gateway.pid" "$(medcat_host_assembly gateway).dll"; then
  medcat_stop_pid "$(head -n1 "$RUN/gateway.pid")" 20
  medcat_start_host gateway "$LOGS/gateway.log" "$RUN/gateway.pid"
  gw=$(jq -r .endpoints.gateway "$tier")
  for _ in $(seq 1 60); do
    if curl -sf -o /dev/null --max-time 2 "$gw/health/live"; then
      medcat_say "restarted the gateway of $node (PID $(head -n1 "$RUN/gateway.pid")); it publishes: $(curl -s "$gw/.well-known/jwks" | jq -r '[.keys[].kid] | join(", ")')"
      exit 0
    fi
    sleep 1
  done
  medcat_die "the gateway did not answer $gw/health/live after its restart (log: $LOGS/gateway.log)"
fi
medcat_say "the gateway of $node is not running (up.sh starts it with these keys)"
