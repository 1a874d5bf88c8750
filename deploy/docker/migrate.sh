#!/bin/sh
# One-shot job of docker-compose.yml: every host's EF migrations, one after the other, then the
# gateway's dev users/clients (credentials written once to /state/dev-credentials.txt).
set -eu
for n in Gateway Registration Metadata Directory Exchange Inference; do
  echo "medcat-migrate: $n --migrate"
  (cd "/app/MedImaging.$n" && dotnet "MedImaging.$n.dll" --migrate)
done
if [ "${MEDCAT_SEED_DEV_CREDENTIALS:-true}" = true ]; then
  echo "medcat-migrate: gateway --seed-dev-credentials /state/dev-credentials.txt"
  (cd /app/MedImaging.Gateway && dotnet MedImaging.Gateway.dll --seed-dev-credentials /state/dev-credentials.txt)
fi
