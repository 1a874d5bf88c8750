#!/usr/bin/env bash
# PostgreSQL 15, RabbitMQ 3.10 and Redis 7 for local runs and tests, on 127.0.0.1 only,
# with their data under the repository's ignored .local/ folder.
#
#   deploy/local/servers.sh up     [--owner TAG]   install what is missing, start what is not running,
#                                                  create every tier's database and vhost, write .local/env
#   deploy/local/servers.sh down   [--owner TAG]   stop what this script started (only those started
#                                                  with that TAG when --owner is given)
#   deploy/local/servers.sh status                 what runs, and who started it
#   deploy/local/servers.sh rabbitmqctl ARGS...    rabbitmqctl against our node (private epmd port)
#
# A server already listening on its port that this script did not start is reused, never restarted
# or stopped. PIDs of what it started are kept in .local/run/servers/<name>.pid (+ <name>.owner).
set -euo pipefail
MEDCAT_SCRIPT=servers.sh
# shellcheck source=deploy/local/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUN="$MEDCAT_LOCAL/run/servers"
LOGS="$MEDCAT_LOCAL/logs/servers"
PG_ROOT="$MEDCAT_LOCAL/postgres"
PG_DATA="$PG_ROOT/data"
RMQ="$MEDCAT_LOCAL/rabbitmq"
REDIS="$MEDCAT_LOCAL/redis"
TIERS="$MEDCAT_REPO/deploy/tiers"
MGMT="http://127.0.0.1:$MEDCAT_MGMT_PORT"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2; }

cmd=${1:-}
[ $# -gt 0 ] && shift
owner=manual
owner_filter=
if [ "$cmd" != rabbitmqctl ]; then
  while [ $# -gt 0 ]; do
    case $1 in
      --owner) [ $# -ge 2 ] || usage; owner=$2; owner_filter=$2; shift 2 ;;
      --owner=*) owner=${1#--owner=}; owner_filter=$owner; shift ;;
      *) usage ;;
    esac
  done
fi

# --- helpers -----------------------------------------------------------------------------------

as_user() { # as_user USER CMD... : run as a system user, with that user's HOME
  local u=$1 home
  shift
  home=$(getent passwd "$u" | cut -d: -f6)
  setpriv --reuid="$u" --regid="$u" --init-groups -- env HOME="$home" "$@" 9>&-
}

RABBIT_ENV=( # the environment of our RabbitMQ node and of the CLI tools that talk to it
  HOME=/var/lib/rabbitmq
  RABBITMQ_NODENAME="$MEDCAT_RABBIT_NODE"
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  RABBITMQ_NODE_PORT="$MEDCAT_AMQP_PORT"
  RABBITMQ_DIST_PORT="$MEDCAT_DIST_PORT"
  RABBITMQ_CONF_ENV_FILE="$RMQ/rabbitmq-env.conf"
  RABBITMQ_CONFIG_FILE="$RMQ/rabbitmq.conf"
  RABBITMQ_ADVANCED_CONFIG_FILE="$RMQ/advanced.config"
  RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ/enabled_plugins"
  RABBITMQ_MNESIA_BASE="$RMQ/mnesia"
  RABBITMQ_LOG_BASE="$RMQ/log"
  RABBITMQ_PID_FILE="$RMQ/beam.pid"
  "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
  "RABBITMQ_CTL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
  ERL_EPMD_PORT="$MEDCAT_EPMD_PORT"
  ERL_EPMD_ADDRESS=127.0.0.1
)

record() { # record NAME PID
  printf '%s\n' "$2" >"$RUN/$1.pid"
  printf '%s\n' "$owner" >"$RUN/$1.owner"
}

owner_of() { cat "$RUN/$1.owner" 2>/dev/null || echo manual; }

forget() { rm -f "$RUN/$1.pid" "$RUN/$1.owner"; }

# The pattern that identifies each of our processes in /proc/PID/cmdline.
pattern_of() {
  case $1 in
    postgres) echo "$PG_DATA" ;;
    rabbitmq) echo "rabbitmq-server" ;;
    epmd) echo "epmd -port $MEDCAT_EPMD_PORT" ;;
    redis) echo "redis-server" ;;
  esac
}

ours_running() { medcat_pid_alive "$RUN/$1.pid" "$(pattern_of "$1")"; }

psql_medcat() {
  PGPASSWORD="$MEDCAT_PASSWORD" PGCONNECT_TIMEOUT=5 "$MEDCAT_PG_BIN/psql" -h 127.0.0.1 -p "$MEDCAT_PG_PORT" \
    -U "$MEDCAT_USER" -d postgres -X -q -t -A -v ON_ERROR_STOP=1 "$@"
}

mgmt() { # mgmt METHOD PATH [JSON] -> HTTP status on stdout, body in $RUN/.mgmt-body
  local method=$1 path=$2 data=${3:-}
  local args=(-s -o "$RUN/.mgmt-body" -w '%{http_code}' --max-time 10 -u "$MEDCAT_USER:$MEDCAT_PASSWORD" -X "$method")
  [ -n "$data" ] && args+=(-H 'content-type: application/json' --data "$data")
  curl "${args[@]}" "$MGMT$path" || true
}

redis_ping() {
  REDISCLI_AUTH="$MEDCAT_PASSWORD" timeout 5 redis-cli -h 127.0.0.1 -p "$MEDCAT_REDIS_PORT" ping 2>/dev/null | grep -q PONG
}

# CI clones into a `mktemp -d` folder (mode 700): the postgres/rabbitmq/redis users could not reach
# .local/ below it. Give "search" (o+x, not read) on each ancestor one of them cannot traverse.
fix_traversal() {
  local d=$MEDCAT_LOCAL chain=() fixed=() u
  while :; do
    chain=("$d" "${chain[@]}")
    [ "$d" = / ] && break
    d=$(dirname "$d")
  done
  for d in "${chain[@]}"; do # from / down, so each check sees its parents already fixed
    for u in postgres rabbitmq redis; do
      if ! setpriv --reuid="$u" --regid="$u" --init-groups -- test -x "$d"; then
        chmod o+x "$d"
        fixed+=("$d")
        break
      fi
    done
  done
  if [ ${#fixed[@]} -gt 0 ]; then
    medcat_say "made ${fixed[*]} traversable (chmod o+x) so the postgres/rabbitmq/redis users can reach $MEDCAT_LOCAL"
  fi
}

tail_log() { # tail_log FILE...
  local f
  for f in "$@"; do
    [ -s "$f" ] || continue
    echo "----- last lines of $f -----" >&2
    tail -n 25 "$f" >&2
  done
}

# --- PostgreSQL --------------------------------------------------------------------------------

pg_start() {
  if ours_running postgres; then
    medcat_say "postgres: already running (PID $(head -n1 "$RUN/postgres.pid"), started by $(owner_of postgres))"
    return
  fi
  forget postgres
  if medcat_port_open "$MEDCAT_PG_PORT"; then
    medcat_say "postgres: reusing the server already listening on 127.0.0.1:$MEDCAT_PG_PORT (not started by this script)"
    return
  fi
  mkdir -p "$PG_ROOT" "$LOGS"
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    medcat_say "postgres: initdb $PG_DATA"
    rm -rf "$PG_DATA"
    mkdir -p "$PG_DATA"
    chown postgres:postgres "$PG_DATA"
    chmod 700 "$PG_DATA"
    local pw="$PG_ROOT/.pwfile"
    printf '%s\n' "$MEDCAT_PASSWORD" >"$pw"
    chown postgres:postgres "$pw"
    chmod 600 "$pw"
    as_user postgres "$MEDCAT_PG_BIN/initdb" -D "$PG_DATA" -U "$MEDCAT_USER" --pwfile="$pw" \
      -E UTF8 --locale=C.UTF-8 --auth-host=scram-sha-256 --auth-local=peer >"$LOGS/initdb.log" 2>&1 ||
      { rm -f "$pw"; tail_log "$LOGS/initdb.log"; medcat_die "initdb failed"; }
    rm -f "$pw"
    echo "include_if_exists = 'medcat.conf'" >>"$PG_DATA/postgresql.conf"
    # Dev credentials written by up.sh name accounts of the databases just replaced: let the next up.sh seed anew.
    local stale
    for stale in "$MEDCAT_LOCAL"/dev-credentials-*.txt; do
      [ -e "$stale" ] || continue
      rm -f "$stale"
      medcat_say "removed $stale (its accounts were in the previous database)"
    done
  fi
  cat >"$PG_DATA/medcat.conf" <<EOF
# written by deploy/local/servers.sh on every start
listen_addresses = '127.0.0.1'
port = $MEDCAT_PG_PORT
unix_socket_directories = ''
max_connections = 300
password_encryption = scram-sha-256
EOF
  chown postgres:postgres "$PG_DATA/medcat.conf"
  touch "$LOGS/postgres.log"
  chown postgres:postgres "$LOGS/postgres.log"
  as_user postgres "$MEDCAT_PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOGS/postgres.log" -w -t 60 start >/dev/null ||
    { tail_log "$LOGS/postgres.log"; medcat_die "postgres did not start"; }
  record postgres "$(head -n1 "$PG_DATA/postmaster.pid")"
  medcat_say "postgres: started on 127.0.0.1:$MEDCAT_PG_PORT (PID $(head -n1 "$RUN/postgres.pid"))"
}

pg_stop() {
  local pid
  pid=$(head -n1 "$RUN/postgres.pid")
  as_user postgres "$MEDCAT_PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1 ||
    medcat_stop_pid "$pid" 30
}

# --- RabbitMQ ----------------------------------------------------------------------------------

rabbit_start() { # starts (does not wait); sets rabbit_started=1 when it launched the node
  rabbit_started=
  if ours_running rabbitmq; then
    medcat_say "rabbitmq: already running (PID $(head -n1 "$RUN/rabbitmq.pid"), started by $(owner_of rabbitmq))"
    return
  fi
  forget rabbitmq
  if medcat_port_open "$MEDCAT_AMQP_PORT"; then
    medcat_say "rabbitmq: reusing the server already listening on 127.0.0.1:$MEDCAT_AMQP_PORT (not started by this script)"
    return
  fi
  mkdir -p "$RMQ/mnesia" "$RMQ/log" "$LOGS"
  # Only used on a fresh node database: creates medcat as the administrator instead of guest.
  cat >"$RMQ/rabbitmq.conf" <<EOF
# written by deploy/local/servers.sh on every start
listeners.tcp.default = 127.0.0.1:$MEDCAT_AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $MEDCAT_MGMT_PORT
default_vhost = /
default_user = $MEDCAT_USER
default_pass = $MEDCAT_PASSWORD
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
log.console = false
log.file.level = info
EOF
  echo '[rabbitmq_management,rabbitmq_federation,rabbitmq_federation_management,rabbitmq_shovel,rabbitmq_shovel_management].' \
    >"$RMQ/enabled_plugins"
  : >"$RMQ/rabbitmq-env.conf"
  echo '[].' >"$RMQ/advanced.config"
  chown -R rabbitmq:rabbitmq "$RMQ"
  rm -f "$RMQ/beam.pid"

  # Our own epmd on a private port, bound to loopback, so stopping it never touches anyone else's.
  if ! ours_running epmd; then
    forget epmd
    if medcat_port_open "$MEDCAT_EPMD_PORT"; then
      medcat_say "rabbitmq: reusing the epmd already listening on 127.0.0.1:$MEDCAT_EPMD_PORT"
    else
      (cd "$RMQ" && exec setsid setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups -- \
        epmd -port "$MEDCAT_EPMD_PORT" -address 127.0.0.1 >>"$LOGS/epmd.log" 2>&1 </dev/null 9>&-) &
      record epmd $!
    fi
  fi

  (cd "$RMQ" && exec setsid setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups -- \
    env "${RABBIT_ENV[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server >>"$LOGS/rabbitmq-stdout.log" 2>&1 </dev/null 9>&-) &
  record rabbitmq $!
  rabbit_started=1
}

rabbit_wait() { # the management API answers for medcat once the node, its plugins and the user exist
  local i code
  for ((i = 0; i < 120; i++)); do
    code=$(mgmt GET /api/overview)
    [ "$code" = 200 ] && break
    if [ -n "$rabbit_started" ] && ! ours_running rabbitmq; then
      tail_log "$LOGS/rabbitmq-stdout.log" "$RMQ/log/$MEDCAT_RABBIT_NODE.log"
      medcat_die "rabbitmq exited during start-up"
    fi
    if [ "$code" = 401 ]; then
      medcat_die "the RabbitMQ on 127.0.0.1:$MEDCAT_MGMT_PORT rejects $MEDCAT_USER/$MEDCAT_PASSWORD (not ours? stop it, or add the user)"
    fi
    sleep 0.5
  done
  if [ "$code" != 200 ]; then
    tail_log "$LOGS/rabbitmq-stdout.log" "$RMQ/log/$MEDCAT_RABBIT_NODE.log"
    medcat_die "rabbitmq management API ($MGMT) not ready after 60 s (last HTTP status: ${code:-none})"
  fi
  if [ -n "$rabbit_started" ]; then
    medcat_say "rabbitmq: started $MEDCAT_RABBIT_NODE on 127.0.0.1:$MEDCAT_AMQP_PORT, management $MGMT (PID $(head -n1 "$RUN/rabbitmq.pid"))"
  fi
}

rabbit_stop() {
  local pid beam=
  pid=$(head -n1 "$RUN/rabbitmq.pid")
  [ -s "$RMQ/beam.pid" ] && beam=$(head -n1 "$RMQ/beam.pid")
  # SIGTERM to the rabbitmq-server script makes it stop the VM gracefully.
  medcat_stop_pid "$pid" 40
  if [ -n "$beam" ] && [ -r "/proc/$beam/cmdline" ] && tr '\0' ' ' <"/proc/$beam/cmdline" | grep -qF "$RMQ"; then
    medcat_stop_pid "$beam" 10
  fi
  rm -f "$RMQ/beam.pid"
}

# --- Redis -------------------------------------------------------------------------------------

redis_start() {
  if ours_running redis; then
    medcat_say "redis: already running (PID $(head -n1 "$RUN/redis.pid"), started by $(owner_of redis))"
    return
  fi
  forget redis
  if medcat_port_open "$MEDCAT_REDIS_PORT"; then
    medcat_say "redis: reusing the server already listening on 127.0.0.1:$MEDCAT_REDIS_PORT (not started by this script)"
    return
  fi
  mkdir -p "$REDIS/data" "$LOGS"
  chown redis:redis "$REDIS/data"
  chmod 750 "$REDIS/data"
  cat >"$REDIS/redis.conf" <<EOF
# written by deploy/local/servers.sh on every start
bind 127.0.0.1
port $MEDCAT_REDIS_PORT
protected-mode yes
requirepass $MEDCAT_PASSWORD
dir "$REDIS/data"
daemonize no
supervised no
logfile ""
EOF
  (cd "$REDIS/data" && exec setsid setpriv --reuid=redis --regid=redis --init-groups -- \
    redis-server "$REDIS/redis.conf" >>"$LOGS/redis.log" 2>&1 </dev/null 9>&-) &
  record redis $!
  local i
  for ((i = 0; i < 50; i++)); do
    redis_ping && break
    ours_running redis || { tail_log "$LOGS/redis.log"; medcat_die "redis exited during start-up"; }
    sleep 0.2
  done
  redis_ping || { tail_log "$LOGS/redis.log"; medcat_die "redis did not answer PING in 10 s"; }
  medcat_say "redis: started on 127.0.0.1:$MEDCAT_REDIS_PORT (PID $(head -n1 "$RUN/redis.pid"))"
}

# --- per-tier databases and vhosts -------------------------------------------------------------

provision() {
  local f db vh existing created=() code
  local files=("$TIERS"/*.json)
  [ -e "${files[0]}" ] || { medcat_say "no tier files under $TIERS: no databases/vhosts created"; return; }
  existing=$(psql_medcat -c "select datname from pg_database") ||
    medcat_die "cannot log in to postgres on 127.0.0.1:$MEDCAT_PG_PORT as $MEDCAT_USER"
  for f in "${files[@]}"; do
    db=$(jq -er '.database' "$f") || medcat_die "$f: no \"database\" field"
    vh=$(jq -er '.vhost' "$f") || medcat_die "$f: no \"vhost\" field"
    [[ $db =~ ^[a-z_][a-z0-9_]*$ ]] || medcat_die "$f: database name '$db' is not a plain lower-case identifier"
    [[ $vh =~ ^[A-Za-z0-9._-]+$ ]] || medcat_die "$f: vhost '$vh' has characters this script does not quote"
    if ! grep -qx -- "$db" <<<"$existing"; then
      psql_medcat -c "create database \"$db\" owner \"$MEDCAT_USER\"" >/dev/null
      created+=("database $db")
    fi
    code=$(mgmt GET "/api/vhosts/$vh")
    if [ "$code" != 200 ]; then
      code=$(mgmt PUT "/api/vhosts/$vh")
      [[ $code == 20? ]] || medcat_die "creating vhost $vh failed (HTTP $code): $(cat "$RUN/.mgmt-body")"
      created+=("vhost $vh")
    fi
    code=$(mgmt PUT "/api/permissions/$vh/$MEDCAT_USER" '{"configure":".*","write":".*","read":".*"}')
    [[ $code == 20? ]] || medcat_die "granting $MEDCAT_USER on vhost $vh failed (HTTP $code): $(cat "$RUN/.mgmt-body")"
  done
  rm -f "$RUN/.mgmt-body"
  if [ ${#created[@]} -gt 0 ]; then
    medcat_say "created: ${created[*]}"
  fi
}

write_env() {
  cat >"$MEDCAT_LOCAL/env.tmp" <<EOF
# written by deploy/local/servers.sh; source it (set -a not needed)
export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$MEDCAT_PG_PORT;Username=$MEDCAT_USER;Password=$MEDCAT_PASSWORD"
export ConnectionStrings__RabbitMq="amqp://$MEDCAT_USER:$MEDCAT_PASSWORD@127.0.0.1:$MEDCAT_AMQP_PORT"
export ConnectionStrings__Redis="127.0.0.1:$MEDCAT_REDIS_PORT,password=$MEDCAT_PASSWORD"
export MEDCAT_RABBITMQ_MANAGEMENT="$MGMT"
export MEDCAT_RABBITMQ_USER=$MEDCAT_USER
export MEDCAT_RABBITMQ_PASSWORD=$MEDCAT_PASSWORD
EOF
  mv "$MEDCAT_LOCAL/env.tmp" "$MEDCAT_LOCAL/env"
}

# --- commands ----------------------------------------------------------------------------------

lock() {
  mkdir -p "$RUN"
  exec 9>"$RUN/.lock"
  flock -w 300 9 || medcat_die "another servers.sh holds $RUN/.lock"
}

do_up() {
  local t0=$SECONDS
  medcat_require_root
  medcat_apt_ensure "${MEDCAT_SERVER_PACKAGES[@]}"
  mkdir -p "$MEDCAT_LOCAL"
  fix_traversal
  lock
  rabbit_start # slowest: let it boot while postgres and redis start
  pg_start
  redis_start
  rabbit_wait
  provision
  write_env
  medcat_say "servers up in $((SECONDS - t0)) s; connection settings in $MEDCAT_LOCAL/env"
}

stop_one() { # stop_one NAME
  local name=$1
  [ -e "$RUN/$name.pid" ] || return 0
  if ! ours_running "$name"; then
    forget "$name"
    return 0
  fi
  if [ -n "$owner_filter" ] && [ "$(owner_of "$name")" != "$owner_filter" ]; then
    medcat_say "$name: kept (started by $(owner_of "$name"), not $owner_filter)"
    return 0
  fi
  case $name in
    postgres) pg_stop ;;
    rabbitmq) rabbit_stop ;;
    epmd) kill -KILL "$(head -n1 "$RUN/epmd.pid")" 2>/dev/null || true ;; # stateless; takes ~2 s to honour SIGTERM
    *) medcat_stop_pid "$(head -n1 "$RUN/$name.pid")" 20 ;;
  esac
  forget "$name"
  medcat_say "$name: stopped"
}

do_down() {
  lock
  local n
  stop_one rabbitmq & # the slowest (about 8 s): in parallel with the others
  stop_one redis
  stop_one postgres
  wait
  # epmd goes with our rabbitmq node, never while that node still runs.
  if ! ours_running rabbitmq; then stop_one epmd; fi
  for n in postgres rabbitmq redis; do
    if ! ours_running "$n"; then
      case $n in
        postgres) p=$MEDCAT_PG_PORT ;;
        rabbitmq) p=$MEDCAT_AMQP_PORT ;;
        redis) p=$MEDCAT_REDIS_PORT ;;
      esac
      if medcat_port_open "$p"; then
        medcat_say "$n: something not started by this script still listens on 127.0.0.1:$p (left alone)"
      fi
    fi
  done
}

do_status() {
  local n p
  for n in postgres rabbitmq epmd redis; do
    case $n in
      postgres) p=$MEDCAT_PG_PORT ;;
      rabbitmq) p=$MEDCAT_AMQP_PORT ;;
      epmd) p=$MEDCAT_EPMD_PORT ;;
      redis) p=$MEDCAT_REDIS_PORT ;;
    esac
    if ours_running "$n"; then
      printf '%-9s running  127.0.0.1:%-6s PID %s (started by %s)\n' "$n" "$p" "$(head -n1 "$RUN/$n.pid")" "$(owner_of "$n")"
    elif medcat_port_open "$p"; then
      printf '%-9s running  127.0.0.1:%-6s not started by servers.sh (reused)\n' "$n" "$p"
    else
      printf '%-9s stopped  127.0.0.1:%s\n' "$n" "$p"
    fi
  done
}

case $cmd in
  up) do_up ;;
  down) do_down ;;
  status) do_status ;;
  rabbitmqctl)
    medcat_require_root
    cd /var/lib/rabbitmq
    exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups -- env "${RABBIT_ENV[@]}" \
      /usr/lib/rabbitmq/bin/rabbitmqctl -n "$MEDCAT_RABBIT_NODE" "$@" ;;
  *) usage ;;
esac
