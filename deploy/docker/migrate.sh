#!/bin/sh
# One-shot job of docker-compose.yml: the gateway publishes the node's public keys (/state/keys-public/jwks.json) and
# seeds the service clients (/state/service-clients/<service>.secret), then every host's EF migrations run, one after
# the other, then the gateway's dev users/clients (credentials written once to /state/dev-credentials.txt). Only the
# gateway steps see the private signing key (ADR 0003).
# Each host migrates with ConnectionStrings__PostgresAdmin (creates its owner and run-time roles, docs/adr/0022) and
# its own run-time role in ConnectionStrings__Postgres: ${MEDCAT_DATABASE}_<host>, password MEDCAT_PG_PASSWORD_<HOST>.
set -eu
: "${ConnectionStrings__PostgresAdmin:?}" "${MEDCAT_DATABASE:?}" "${MEDCAT_PG_SERVER:?}"
runtime() { # runtime HOST -> the connection string of HOST's run-time role
  pw=$(printenv "MEDCAT_PG_PASSWORD_$(echo "$1" | tr '[:lower:]' '[:upper:]')") || { echo "medcat-migrate: MEDCAT_PG_PASSWORD_* for $1 is not set" >&2; exit 1; }
  echo "$MEDCAT_PG_SERVER;Username=${MEDCAT_DATABASE}_$1;Password=$pw"
}
gateway() { (cd /app/MedImaging.Gateway && ConnectionStrings__Postgres=$(runtime gateway) && export ConnectionStrings__Postgres && dotnet MedImaging.Gateway.dll "$@"); }

echo "medcat-migrate: gateway --publish-keys"
gateway --publish-keys
echo "medcat-migrate: gateway --seed-service-clients /state/service-clients"
gateway --seed-service-clients /state/service-clients
# The hosts run as the images' non-root user (UID 1654); the secrets stay mode 600.
chown -R 1654:1654 /state/service-clients

for n in Gateway Registration Metadata Directory Exchange Inference; do
  echo "medcat-migrate: $n --migrate"
  h=$(echo "$n" | tr '[:upper:]' '[:lower:]')
  (cd "/app/MedImaging.$n" && ConnectionStrings__Postgres=$(runtime "$h") && export ConnectionStrings__Postgres &&
    if [ "$n" != Gateway ]; then unset Auth__SigningKeyPath; fi &&
    client=registration && if [ "$h" = directory ]; then client=directory; fi &&
    Auth__ClientId=svc-$client Auth__ClientSecretPath=/state/service-clients/$client.secret dotnet "MedImaging.$n.dll" --migrate)
done
if [ "${MEDCAT_SEED_DEV_CREDENTIALS:-true}" = true ]; then
  echo "medcat-migrate: gateway --seed-dev-credentials /state/dev-credentials.txt"
  (cd /app/MedImaging.Gateway && ConnectionStrings__Postgres=$(runtime gateway) && export ConnectionStrings__Postgres &&
    unset ConnectionStrings__PostgresAdmin && dotnet MedImaging.Gateway.dll --seed-dev-credentials /state/dev-credentials.txt)
fi
