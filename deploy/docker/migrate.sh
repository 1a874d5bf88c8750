#!/bin/sh
# One-shot job of docker-compose.yml: the gateway publishes the node's public keys (/state/keys-public/jwks.json) and
# seeds the service clients (/state/service-clients/<service>.secret), then every host's EF migrations run, one after
# the other, then the gateway's dev users/clients (credentials written once to /state/dev-credentials.txt). Only the
# gateway steps see the private signing key (ADR 0003).
set -eu
gateway() { (cd /app/MedImaging.Gateway && dotnet MedImaging.Gateway.dll "$@"); }
service() { n=$1; shift; (cd "/app/MedImaging.$n" && env -u Auth__SigningKeyPath "$@" dotnet "MedImaging.$n.dll" --migrate); }

echo "medcat-migrate: gateway --publish-keys"
gateway --publish-keys
echo "medcat-migrate: gateway --seed-service-clients /state/service-clients"
gateway --seed-service-clients /state/service-clients
# The hosts run as the images' non-root user (UID 1654); the secrets stay mode 600.
chown -R 1654:1654 /state/service-clients

echo "medcat-migrate: Gateway --migrate"
gateway --migrate
for n in Registration Metadata Directory Exchange Inference; do
  echo "medcat-migrate: $n --migrate"
  service "$n" Auth__ClientId=svc-registration Auth__ClientSecretPath=/state/service-clients/registration.secret
done
if [ "${MEDCAT_SEED_DEV_CREDENTIALS:-true}" = true ]; then
  echo "medcat-migrate: gateway --seed-dev-credentials /state/dev-credentials.txt"
  gateway --seed-dev-credentials /state/dev-credentials.txt
fi
