#!/usr/bin/env bash
# Prepares .local/docker/<node>/ for `docker compose` (see docker-compose.yml):
#   tier.json         the node's tier file with each endpoint host replaced by its compose service
#                     name (http://127.0.0.1:5101 -> http://registration:5101), since every host
#                     runs in its own container
#   signing-key.pem   a copy of .local/keys/<node>.pem (generated if missing), readable by the
#                     images' non-root user (UID 1654); mounted by the gateway and the migrator only
#   keys-public/      where the migrator's gateway step writes the node's JWKS, mounted by every host
#   service-clients/  where it writes the service clients' secrets (Registration and Directory mount it)
#   audit-key.pem     likewise of .local/keys/<node>-audit.pem (ECDSA P-256), mounted into the exchange
#                     container only
#   federation-key.pem  likewise of .local/keys/<node>-federation.pem (ECDSA P-256, ADR 0032), exchange only
#   federation-peers/ the neighbours' public federation keys (<node>.pub.pem; copied from .local/keys/federation/,
#                     where up.sh writes them; a deployment puts its neighbours' there), exchange only
#   compose.env       MEDCAT_NODE, MEDCAT_DATABASE, MEDCAT_VHOST, MEDCAT_GATEWAY_PORT, MEDCAT_STATE, and
#                     MEDCAT_PG_PASSWORD_<HOST>: each host's database role password (docs/adr/0022), the
#                     same .local/db/<node>/<host>.password files deploy/local/up.sh uses
# Then: docker compose --env-file .local/docker/<node>/compose.env up --build
#
#   deploy/docker/prepare.sh [node]     (default: hebei)
set -euo pipefail
MEDCAT_SCRIPT=prepare.sh
# shellcheck source=deploy/local/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../local/lib.sh"

node=${1:-hebei}
tier="$MEDCAT_REPO/deploy/tiers/$node.json"
[ -f "$tier" ] || medcat_die "no tier file $tier"
command -v jq >/dev/null || medcat_die "jq is required (apt-get install jq)"
out="$MEDCAT_LOCAL/docker/$node"
key="$MEDCAT_LOCAL/keys/$node.pem"
mkdir -p "$out"

mkdir -p "$out/keys-public" "$out/service-clients"
jq '.endpoints |= with_entries(.key as $k | .value |= sub("://[^:/]+"; "://\($k)"))' "$tier" >"$out/tier.json"

if [ ! -s "$key" ]; then
  mkdir -p "$(dirname "$key")"
  chmod 700 "$(dirname "$key")"
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null)
fi
install -m 600 "$key" "$out/signing-key.pem"
if [ "$(id -u)" = 0 ]; then chown 1654:1654 "$out/signing-key.pem"; else chmod 644 "$out/signing-key.pem"; fi
audit_key="$MEDCAT_LOCAL/keys/$node-audit.pem"
[ -s "$audit_key" ] || (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$audit_key" 2>/dev/null)
install -m 600 "$audit_key" "$out/audit-key.pem"
if [ "$(id -u)" = 0 ]; then chown 1654:1654 "$out/audit-key.pem"; else chmod 644 "$out/audit-key.pem"; fi
federation_key="$MEDCAT_LOCAL/keys/$node-federation.pem"
[ -s "$federation_key" ] || (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$federation_key" 2>/dev/null)
install -m 600 "$federation_key" "$out/federation-key.pem"
if [ "$(id -u)" = 0 ]; then chown 1654:1654 "$out/federation-key.pem"; else chmod 644 "$out/federation-key.pem"; fi
mkdir -p "$MEDCAT_LOCAL/keys/federation" "$out/federation-peers"
openssl pkey -in "$federation_key" -pubout -out "$MEDCAT_LOCAL/keys/federation/$node.pub.pem" 2>/dev/null
cp "$MEDCAT_LOCAL/keys/federation/"*.pub.pem "$out/federation-peers/"

gw=$(jq -r .endpoints.gateway "$tier")
gw_port=${gw##*:}
gw_port=${gw_port%%/*}
cat >"$out/compose.env" <<ENV
MEDCAT_NODE=$node
MEDCAT_DATABASE=$(jq -r .database "$tier")
MEDCAT_VHOST=$(jq -r .vhost "$tier")
MEDCAT_GATEWAY_PORT=$gw_port
MEDCAT_STATE=./.local/docker/$node
ENV
for h in "${MEDCAT_HOSTS[@]}"; do
  echo "MEDCAT_PG_PASSWORD_${h^^}=$(medcat_db_password "$node" "$h")" >>"$out/compose.env"
done
chmod 600 "$out/compose.env"
medcat_say "wrote $out/{tier.json,signing-key.pem,audit-key.pem,federation-key.pem,federation-peers/,compose.env}"
echo "next: docker compose --env-file .local/docker/$node/compose.env up --build"
