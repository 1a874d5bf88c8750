#!/usr/bin/env bash
# The test command: servers up, test peers installed, `dotnet test` over the whole solution,
# one summary line. Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Dicom").
# Results (.trx) land in .local/test-results/. Exits with dotnet test's status.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
MEDCAT_SCRIPT=test.sh
# shellcheck source=deploy/local/lib.sh
. deploy/local/lib.sh

# One apt-get (update + install) for the servers and the test peers together.
medcat_apt_ensure "${MEDCAT_SERVER_PACKAGES[@]}" "${MEDCAT_TEST_PACKAGES[@]}"
bash deploy/local/servers.sh up --owner test.sh
# shellcheck source=/dev/null
. .local/env
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
# On CI, leave no MSBuild node or build-server processes behind.
if [ -n "${CI:-}" ]; then export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0; fi

results="$MEDCAT_LOCAL/test-results"
rm -rf "$results"
mkdir -p "$results"

rc=0
dotnet test MedImagingCatalog.sln -c Release --logger "trx;LogFilePrefix=medcat" --results-directory "$results" "$@" || rc=$?

# Sum the <Counters .../> of every trx: skipped = notExecuted; failed also counts error/timeout/aborted.
attr() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2"; }
passed=0 failed=0 skipped=0 files=0
for f in "$results"/*.trx; do
  [ -e "$f" ] || continue
  c=$(grep -o '<Counters [^>]*>' "$f" | head -n1 || true)
  [ -n "$c" ] || continue
  files=$((files + 1))
  n=$(attr passed "$c")
  passed=$((passed + ${n:-0}))
  for a in failed error timeout aborted; do
    n=$(attr "$a" "$c")
    failed=$((failed + ${n:-0}))
  done
  n=$(attr notExecuted "$c")
  skipped=$((skipped + ${n:-0}))
done
[ $files -gt 0 ] || echo "test.sh: no .trx results in $results (dotnet test exit $rc)" >&2
echo "$passed passed, $failed failed, $skipped skipped"
exit $rc
