# The node's token keys and service clients for deploy/local/up.sh and rotate-key.sh (ADR 0003). Source it after
# lib.sh; do not run it. Only the gateway gets private keys; every other host gets the public keys (JWKS) only.
# shellcheck shell=bash
# shellcheck disable=SC2034  # variables for the scripts that source this file

medcat_keys_init() { # medcat_keys_init NODE: the paths of that node's key files, and its database (for the hosts' roles)
  MEDCAT_KEYS_NODE=$1
  MEDCAT_KEYS_DATABASE=$(jq -er .database "$MEDCAT_REPO/deploy/tiers/$1.json") || medcat_die "deploy/tiers/$1.json: no database"
  MEDCAT_KEYS="$MEDCAT_LOCAL/keys"
  KEY="$MEDCAT_KEYS/$1.pem"                        # current: signs (gateway only)
  NEXT_KEY="$MEDCAT_KEYS/$1.next.pem"              # next: published, not signing yet (gateway only)
  PREVIOUS_KEY="$MEDCAT_KEYS/$1.previous.pub.pem"  # previous: public half, published until its tokens expired
  JWKS="$MEDCAT_KEYS/$1.jwks.json"                 # what services validate with (the gateway writes it)
  CLIENTS="$MEDCAT_LOCAL/service-clients/$1"       # <service>.secret of each service client, mode 600
  AUDIT_KEY="$MEDCAT_KEYS/$1-audit.pem"            # the audit trail's anchor key (ECDSA P-256, exchange only, ADR 0020)
  FEDERATION_KEY="$MEDCAT_KEYS/$1-federation.pem"  # signs what this node sends to its neighbours (ECDSA P-256, exchange only, ADR 0032)
  FEDERATION_PEERS="$MEDCAT_KEYS/federation"       # every node's public federation key, <node>.pub.pem: what the neighbours check with
}

medcat_new_key() { # medcat_new_key PATH: a new RSA 2048 private key, mode 600
  mkdir -p "$(dirname "$1")"
  chmod 700 "$(dirname "$1")"
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.tmp" 2>/dev/null && mv "$1.tmp" "$1") ||
    medcat_die "openssl could not generate $1"
}

medcat_host_env() { # medcat_host_env HOST: VAR=value lines that only this host gets (one per line)
  # Each host logs in to PostgreSQL as its own run-time role (docs/adr/0022).
  echo "ConnectionStrings__Postgres=Host=127.0.0.1;Port=$MEDCAT_PG_PORT;Username=${MEDCAT_KEYS_DATABASE}_$1;Password=$(medcat_db_password "$MEDCAT_KEYS_NODE" "$1")"
  echo "Auth__PublicKeysPath=$JWKS"
  case $1 in
    gateway)
      echo "Auth__SigningKeyPath=$KEY"
      [ ! -s "$NEXT_KEY" ] || echo "Auth__NextSigningKeyPath=$NEXT_KEY"
      [ ! -s "$PREVIOUS_KEY" ] || echo "Auth__PreviousPublicKeyPath=$PREVIOUS_KEY"
      ;;
    exchange)
      echo "Audit__SigningKeyPath=$AUDIT_KEY"
      echo "Federation__SigningKeyPath=$FEDERATION_KEY"
      echo "Federation__PeerKeysPath=$FEDERATION_PEERS"
      ;;
    registration)
      echo "Auth__ClientId=svc-registration"
      echo "Auth__ClientSecretPath=$CLIENTS/registration.secret"
      ;;
    directory)
      # Its token for reading Registration's published-entries feed when it rebuilds its read model (ADR 0024).
      echo "Auth__ClientId=svc-directory"
      echo "Auth__ClientSecretPath=$CLIENTS/directory.secret"
      # Its search index on local disk, kept across restarts (ADR 0030); a second instance builds its own under /tmp.
      echo "Directory__Index__Path=$MEDCAT_LOCAL/index/$MEDCAT_KEYS_NODE-directory"
      # Distributed mode (ADR 0032): each child's gateway, and this node's client there (its gateway's --seed-service-clients wrote the secret).
      local child gw
      for child in $(jq -r '.children[]?' "$MEDCAT_REPO/deploy/tiers/$MEDCAT_KEYS_NODE.json"); do
        [ -f "$MEDCAT_REPO/deploy/tiers/$child.json" ] || continue
        gw=$(jq -r '.endpoints.gateway' "$MEDCAT_REPO/deploy/tiers/$child.json")
        echo "Directory__FanOut__Peers__${child}__Gateway=$gw"
        echo "Directory__FanOut__Peers__${child}__ClientId=peer-$MEDCAT_KEYS_NODE"
        echo "Directory__FanOut__Peers__${child}__ClientSecretPath=$MEDCAT_LOCAL/service-clients/$child/peer-$MEDCAT_KEYS_NODE.secret"
      done
      ;;
  esac
}

medcat_run_host() { # medcat_run_host HOST LOGFILE ARGS...: runs a host in the foreground from its bin folder
  local h=$1 log=$2 extra
  shift 2
  mapfile -t extra < <(medcat_host_env "$h")
  # Exported in the host's own subshell, never put on a command line (the database password is among them).
  (cd "$(medcat_host_bin "$h")" && for kv in "${extra[@]}"; do export "${kv?}"; done && dotnet "$(medcat_host_assembly "$h").dll" "$@") >"$log" 2>&1 </dev/null
}

medcat_start_host() { # medcat_start_host HOST LOGFILE PIDFILE: starts a host in the background
  local h=$1 extra
  mapfile -t extra < <(medcat_host_env "$h")
  (cd "$(medcat_host_bin "$h")" && for kv in "${extra[@]}"; do export "${kv?}"; done && exec setsid nohup dotnet "$(medcat_host_assembly "$h").dll" \
    >"$2" 2>&1 </dev/null) &
  echo $! >"$3"
}
