#!/usr/bin/env bash
# Runs one node (default: hebei) on this machine: servers, build, migrations, dev credentials,
# the six hosts in the background, then waits until the gateway reports every service ready.
#
#   deploy/local/up.sh [node]        node = a file name under deploy/tiers/, without .json
#   deploy/local/up.sh --federation  the demo federation (ADR 0032): the counties zhengding and zanhuang, the city
#                                    shijiazhuang and the province hebei, each its six hosts, database and vhost; the
#                                    links between them (links.sh); sample entries published at the counties
#
# Running it again restarts this node's hosts cleanly (stop, build, migrate, start); servers that
# already run are kept. Environment: MEDCAT_UP_TIMEOUT (seconds to wait for readiness, default 90).
set -euo pipefail
MEDCAT_SCRIPT=up.sh
# shellcheck source=deploy/local/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=deploy/local/keys.sh
. "$(dirname "${BASH_SOURCE[0]}")/keys.sh"

if [ "${1:-}" = --federation ]; then
  [ $# -eq 1 ] || medcat_die "usage: deploy/local/up.sh --federation"
  # Children first: a parent's Directory reads the client secret its child's gateway wrote for it.
  for n in "${MEDCAT_FEDERATION_NODES[@]}"; do
    medcat_say "--federation: starting $n"
    bash "$MEDCAT_REPO/deploy/local/up.sh" "$n" >"$MEDCAT_LOCAL/up-$n.out" 2>&1 ||
      { tail -n 30 "$MEDCAT_LOCAL/up-$n.out" >&2; medcat_die "up.sh $n failed (output: $MEDCAT_LOCAL/up-$n.out)"; }
    medcat_say "$(grep -m1 ' is up in ' "$MEDCAT_LOCAL/up-$n.out")"
  done
  bash "$MEDCAT_REPO/deploy/local/links.sh" up
  medcat_say "publishing sample entries at the counties (as their dev users, through their gateways)"
  dotnet "$MEDCAT_REPO/src/Tools/MedImaging.Federation.Bench/bin/Release/net10.0/MedImaging.Federation.Bench.dll" load --repo "$MEDCAT_REPO" ||
    medcat_die "loading the sample entries failed"
  echo
  echo "The demo federation is up: province hebei ← city shijiazhuang ← counties zhengding, zanhuang."
  for n in "${MEDCAT_FEDERATION_NODES[@]}"; do
    printf '  %-13s %s   credentials: %s\n' "$n" "$(jq -r .endpoints.gateway "$MEDCAT_REPO/deploy/tiers/$n.json")" "$MEDCAT_LOCAL/dev-credentials-$n.txt"
  done
  echo "  Where to look (with a dev user's token of that node):"
  echo "    GET  http://127.0.0.1:5100/api/directory/search?q=样例                    the province's replicated read model (centralised)"
  echo "    GET  http://127.0.0.1:5100/api/directory/search?q=样例&mode=distributed    the same query asked of every node"
  echo "    GET  http://127.0.0.1:5300/api/exchange/links/status                      a county's link to its city (regulator)"
  echo "    deploy/local/links.sh status                                              the shovels"
  echo "  Benchmark: dotnet src/Tools/MedImaging.Federation.Bench/bin/Release/net10.0/MedImaging.Federation.Bench.dll bench"
  echo "  Stop: deploy/local/down.sh --federation"
  exit 0
fi

node=${1:-hebei}
[ $# -le 1 ] || medcat_die "usage: deploy/local/up.sh [node] | --federation"
tier="$MEDCAT_REPO/deploy/tiers/$node.json"
if [ ! -f "$tier" ]; then
  medcat_die "no tier file $tier (nodes: $(cd "$MEDCAT_REPO/deploy/tiers" 2>/dev/null && ls ./*.json 2>/dev/null | sed 's|^\./||; s|\.json$||' | tr '\n' ' '))"
fi
RUN="$MEDCAT_LOCAL/run/$node"
LOGS="$MEDCAT_LOCAL/logs/$node"
medcat_keys_init "$node"
CREDS="$MEDCAT_LOCAL/dev-credentials-$node.txt"
timeout_s=${MEDCAT_UP_TIMEOUT:-90}
t0=$SECONDS

medcat_require_root
medcat_apt_ensure "${MEDCAT_SERVER_PACKAGES[@]}"
command -v dotnet >/dev/null || medcat_die "the .NET SDK (dotnet) is not on PATH"

endpoint() { jq -er ".endpoints.$1" "$tier" || medcat_die "$tier: no endpoints.$1"; }
port_of() { local u=${1#*://}; u=${u%%/*}; echo "${u##*:}"; }
host_alive() { medcat_pid_alive "$RUN/$1.pid" "$(medcat_host_assembly "$1").dll"; }

tail_log() {
  [ -s "$1" ] || { echo "(no output in $1)" >&2; return; }
  echo "----- last lines of $1 -----" >&2
  tail -n "${2:-40}" "$1" >&2
}

stop_hosts() { # stops the hosts of this node that an earlier up.sh started
  local h pid stopped=()
  for h in "${MEDCAT_HOSTS[@]}"; do
    if host_alive "$h"; then
      pid=$(head -n1 "$RUN/$h.pid")
      kill -TERM "$pid" 2>/dev/null || true
      stopped+=("$h:$pid")
    fi
  done
  for h in "${stopped[@]}"; do medcat_stop_pid "${h#*:}" 20; done
  rm -f "$RUN"/*.pid
  [ ${#stopped[@]} -eq 0 ] || medcat_say "stopped the running hosts of $node (${stopped[*]}) to restart them"
}

# 1. servers (tagged, so down.sh stops only servers that up.sh started)
bash "$MEDCAT_REPO/deploy/local/servers.sh" up --owner up.sh
# shellcheck source=/dev/null
. "$MEDCAT_LOCAL/env"

mkdir -p "$RUN" "$LOGS"
stop_hosts

# 2. build, unless another node's hosts run from the same bin/ folders (rebuilding under them could crash them)
others=()
for d in "$MEDCAT_LOCAL"/run/*/; do
  o=$(basename "$d")
  [ "$o" = servers ] || [ "$o" = "$node" ] && continue
  for h in "${MEDCAT_HOSTS[@]}"; do
    if medcat_pid_alive "$d$h.pid" "$(medcat_host_assembly "$h").dll"; then others+=("$o"); break; fi
  done
done
if [ ${#others[@]} -eq 0 ]; then
  medcat_say "building MedImagingCatalog.sln (Release)"
  (cd "$MEDCAT_REPO" && dotnet build MedImagingCatalog.sln -c Release -nologo -v minimal) >"$LOGS/build.log" 2>&1 ||
    { tail_log "$LOGS/build.log" 60; medcat_die "build failed (full log: $LOGS/build.log)"; }
else
  medcat_say "not rebuilding: the hosts of ${others[*]} run from the same binaries (stop them with down.sh to rebuild)"
fi
for h in "${MEDCAT_HOSTS[@]}"; do
  dll="$(medcat_host_bin "$h")/$(medcat_host_assembly "$h").dll"
  [ -f "$dll" ] || medcat_die "$dll is missing after the build"
done

# 3. the node's token keys: the gateway alone holds the private ones (current, and next during a rotation:
#    deploy/local/rotate-key.sh) and publishes their public halves as the JWKS every other host validates with
if [ ! -s "$KEY" ]; then
  medcat_new_key "$KEY"
  medcat_say "generated the signing key $KEY"
fi
chmod 600 "$KEY"
# the Exchange service's audit key, which signs the audit chain's anchors (ECDSA P-256; only the exchange host gets it)
if [ ! -s "$AUDIT_KEY" ]; then
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$AUDIT_KEY" 2>/dev/null) ||
    medcat_die "openssl could not generate $AUDIT_KEY"
  medcat_say "generated the audit key $AUDIT_KEY"
fi
chmod 600 "$AUDIT_KEY"
# the federation key, which signs what this node sends to its neighbours; its public half goes where they all look (ADR 0032)
if [ ! -s "$FEDERATION_KEY" ]; then
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$FEDERATION_KEY" 2>/dev/null) ||
    medcat_die "openssl could not generate $FEDERATION_KEY"
  medcat_say "generated the federation key $FEDERATION_KEY"
fi
chmod 600 "$FEDERATION_KEY"
mkdir -p "$FEDERATION_PEERS"
openssl pkey -in "$FEDERATION_KEY" -pubout -out "$FEDERATION_PEERS/$node.pub.pem" 2>/dev/null ||
  medcat_die "openssl could not write the public half of $FEDERATION_KEY"

export Node__ConfigFile="$tier"
export ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# Each host logs in as its own database role (docs/adr/0022, medcat_host_env); the superuser string of .local/env goes
# only to --migrate, as ConnectionStrings__PostgresAdmin.
PG_ADMIN=$ConnectionStrings__Postgres
unset ConnectionStrings__Postgres
for h in "${MEDCAT_HOSTS[@]}"; do medcat_db_password "$node" "$h" >/dev/null; done # generated once, here, where a failure stops up.sh

run_once() { # run_once NAME LOGNAME ARGS... : runs a host in the foreground with the variables it alone gets
  local h=$1 logname=$2
  shift 2
  medcat_run_host "$h" "$LOGS/$logname.log" "$@"
}

run_once gateway publish-keys --publish-keys ||
  { tail_log "$LOGS/publish-keys.log"; medcat_die "gateway --publish-keys failed"; }
medcat_say "$(tail -n1 "$LOGS/publish-keys.log")"

# 3b. the service clients (Registration's token for its own Metadata calls, Directory's for reading Registration's feed): secrets in $CLIENTS, mode 600
# (it migrates the gateway first, so it gets the administrative connection as --migrate does)
ConnectionStrings__PostgresAdmin=$PG_ADMIN run_once gateway seed-service-clients --seed-service-clients "$CLIENTS" ||
  { tail_log "$LOGS/seed-service-clients.log"; medcat_die "gateway --seed-service-clients failed"; }

# 4. migrations, one host after the other (they share the node's database); each creates its roles as the superuser
for h in "${MEDCAT_HOSTS[@]}"; do
  ConnectionStrings__PostgresAdmin=$PG_ADMIN run_once "$h" "migrate-$h" --migrate ||
    { tail_log "$LOGS/migrate-$h.log"; medcat_die "$h --migrate failed"; }
done
medcat_say "migrations applied for ${MEDCAT_HOSTS[*]} (database $(jq -r .database "$tier"))"

# 5. dev users and clients (created if missing; the file is written once)
run_once gateway seed --seed-dev-credentials "$CREDS" ||
  { tail_log "$LOGS/seed.log"; medcat_die "gateway --seed-dev-credentials failed"; }

# 6. start the six hosts
for h in "${MEDCAT_HOSTS[@]}"; do
  url=$(endpoint "$h")
  if medcat_port_open "$(port_of "$url")"; then
    medcat_die "$h: $url is already in use by a process up.sh did not start for $node (see: ss -ltnp)"
  fi
done
for h in "${MEDCAT_HOSTS[@]}"; do
  medcat_start_host "$h" "$LOGS/$h.log" "$RUN/$h.pid"
done
medcat_say "started ${MEDCAT_HOSTS[*]} (logs in $LOGS/, PIDs in $RUN/)"

# 7. wait until the gateway answers 200 on every service's readiness probe
gw=$(endpoint gateway)
deadline=$((SECONDS + timeout_s))
declare -A code
while :; do
  pending=()
  for s in "${MEDCAT_SERVICES[@]}"; do
    code[$s]=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$gw/api/$s/health/ready" || true)
    [ "${code[$s]}" = 200 ] || pending+=("$s")
  done
  [ ${#pending[@]} -eq 0 ] && break
  for h in "${MEDCAT_HOSTS[@]}"; do
    if ! host_alive "$h"; then
      tail_log "$LOGS/$h.log"
      medcat_die "$h exited during start-up (log: $LOGS/$h.log); the others still run: deploy/local/down.sh $node"
    fi
  done
  if [ $SECONDS -ge $deadline ]; then
    for s in "${pending[@]}"; do
      echo "$s: GET $gw/api/$s/health/ready -> ${code[$s]:-no answer}" >&2
      tail_log "$LOGS/$s.log" 20
    done
    case ${code[${pending[0]}]} in 000 | 502 | 503 | 504) tail_log "$LOGS/gateway.log" 20 ;; esac
    medcat_die "not ready after ${timeout_s} s: ${pending[*]} (hosts left running for inspection; stop: deploy/local/down.sh $node)"
  fi
  sleep 1
done

# 8. where things are
echo
echo "Node $node ($(jq -r .tier "$tier"), $(jq -r .name.en "$tier")) is up in $((SECONDS - t0)) s"
printf '  %-13s %s\n' gateway "$gw"
for s in "${MEDCAT_SERVICES[@]}"; do
  printf '  %-13s %s   (health: %s)\n' "$s" "$gw/api/$s/scalar" "$gw/api/$s/health/ready"
done
echo "  logs          $LOGS/"
echo "  stop          deploy/local/down.sh $node"
echo
if [ -s "$CREDS" ]; then
  echo "Dev credentials ($CREDS):"
  sed 's/^/  /' "$CREDS"
else
  echo "No dev credentials file at $CREDS; the seeding step printed:"
  sed 's/^/  /' "$LOGS/seed.log"
fi
