#!/bin/sh
# One-shot job of docker-compose.yml: every host's EF migrations, one after the other, then the
# gateway's dev users/clients (credentials written once to /state/dev-credentials.txt).
# Each host migrates with ConnectionStrings__PostgresAdmin (creates its owner and run-time roles, docs/adr/0022) and
# its own run-time role in ConnectionStrings__Postgres: ${MEDCAT_DATABASE}_<host>, password MEDCAT_PG_PASSWORD_<HOST>.
set -eu
: "${ConnectionStrings__PostgresAdmin:?}" "${MEDCAT_DATABASE:?}" "${MEDCAT_PG_SERVER:?}"
runtime() { # runtime HOST -> the connection string of HOST's run-time role
  pw=$(printenv "MEDCAT_PG_PASSWORD_$(echo "$1" | tr '[:lower:]' '[:upper:]')") || { echo "medcat-migrate: MEDCAT_PG_PASSWORD_* for $1 is not set" >&2; exit 1; }
  echo "$MEDCAT_PG_SERVER;Username=${MEDCAT_DATABASE}_$1;Password=$pw"
}
for n in Gateway Registration Metadata Directory Exchange Inference; do
  echo "medcat-migrate: $n --migrate"
  h=$(echo "$n" | tr '[:upper:]' '[:lower:]')
  (cd "/app/MedImaging.$n" && ConnectionStrings__Postgres=$(runtime "$h") && export ConnectionStrings__Postgres &&
    dotnet "MedImaging.$n.dll" --migrate)
done
if [ "${MEDCAT_SEED_DEV_CREDENTIALS:-true}" = true ]; then
  echo "medcat-migrate: gateway --seed-dev-credentials /state/dev-credentials.txt"
  (cd /app/MedImaging.Gateway && ConnectionStrings__Postgres=$(runtime gateway) && export ConnectionStrings__Postgres &&
    unset ConnectionStrings__PostgresAdmin && dotnet MedImaging.Gateway.dll --seed-dev-credentials /state/dev-credentials.txt)
fi
