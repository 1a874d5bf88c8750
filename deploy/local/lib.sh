# Shared helpers for deploy/local/*.sh and test.sh. Source it; do not run it.
# shellcheck shell=bash
# shellcheck disable=SC2034  # variables for the scripts that source this file

MEDCAT_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
MEDCAT_LOCAL="$MEDCAT_REPO/.local"
MEDCAT_PG_BIN=/usr/lib/postgresql/15/bin

# Fixed conventions (the C# side relies on these).
MEDCAT_PG_PORT=55432
MEDCAT_AMQP_PORT=55672
MEDCAT_MGMT_PORT=55673
MEDCAT_DIST_PORT=55679
MEDCAT_EPMD_PORT=55669          # a private epmd, so ours never mixes with a system-wide one
MEDCAT_REDIS_PORT=56379
MEDCAT_RABBIT_NODE=medcat@localhost
MEDCAT_USER=medcat
MEDCAT_PASSWORD=medcat-dev

# The demo federation of up.sh --federation, children before parents.
MEDCAT_FEDERATION_NODES=(zhengding zanhuang shijiazhuang hebei)

umask 022

medcat_say() { printf '%s: %s\n' "${MEDCAT_SCRIPT:-medcat}" "$*"; }
medcat_die() { printf '%s: error: %s\n' "${MEDCAT_SCRIPT:-medcat}" "$*" >&2; exit 1; }

medcat_require_root() {
  [ "$(id -u)" = 0 ] || medcat_die "must run as root (it installs Debian packages and starts servers as their own users)"
}

# medcat_port_open PORT -> 0 when something accepts TCP connections on 127.0.0.1:PORT
medcat_port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# medcat_pid_alive PIDFILE PATTERN -> 0 when the PID in PIDFILE runs and its command line contains PATTERN
# (guards against a recycled PID after a reboot or a crash).
medcat_pid_alive() {
  local pidfile=$1 pattern=$2 pid
  [ -s "$pidfile" ] || return 1
  pid=$(head -n1 "$pidfile")
  case $pid in '' | *[!0-9]*) return 1 ;; esac
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$pattern"
}

# medcat_zombie PID -> 0 when PID has exited but its parent has not reaped it yet
medcat_zombie() { [ "$(sed -n "s/^[0-9]* (.*) \\([A-Z]\\) .*/\\1/p" "/proc/$1/stat" 2>/dev/null)" = Z ]; }

# medcat_stop_pid PID [SECONDS] : SIGTERM, wait, then SIGKILL.
medcat_stop_pid() {
  local pid=$1 secs=${2:-20} i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < secs * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    medcat_zombie "$pid" && return 0
    sleep 0.2
  done
  medcat_say "PID $pid did not stop in ${secs}s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.2
}

# medcat_apt_ensure PKG... : installs the packages that are not installed, in one apt-get call.
# apt-get update runs at most once per process tree (MEDCAT_APT_UPDATED is exported).
medcat_apt_ensure() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  medcat_require_root
  medcat_say "installing missing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${MEDCAT_APT_UPDATED:-}" ]; then
    apt-get update -q >/dev/null || medcat_die "apt-get update failed"
    export MEDCAT_APT_UPDATED=1
  fi
  # Packaged services must not start themselves (system-wide ports, system data dirs):
  # the scripts start their own instances. Docker's Debian images already ship such a policy.
  local own_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && own_policy=1
  fi
  local rc=0
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null || rc=$?
  [ -n "$own_policy" ] && rm -f /usr/sbin/policy-rc.d
  [ $rc -eq 0 ] || medcat_die "apt-get install ${missing[*]} failed (exit $rc)"
}

# Native libraries the hosts load at run time: MedImaging.Dicom's JPEG-LS (CharLS) and JPEG 2000 (OpenJPEG) codecs
# (docs/adr/0013). Part of the server list, so up.sh and test.sh install them.
MEDCAT_RUNTIME_PACKAGES=(libcharls2 libopenjp2-7)
# What servers.sh needs on a machine that has only the .NET SDK.
MEDCAT_SERVER_PACKAGES=(postgresql-15 rabbitmq-server redis-server jq curl openssl "${MEDCAT_RUNTIME_PACKAGES[@]}")
# The peers test.sh needs besides the servers (libgdcm-tools: gdcmconv, the JPEG 2000 peer; jing: the RELAX NG validator
# that checks the ATNA audit export against the DICOM PS3.15 A.5.1 schema, docs/adr/0023; python3-rdflib: reads the
# DCAT-AP export back, docs/adr/0028).
MEDCAT_TEST_PACKAGES=(dcmtk python3-pydicom python3-numpy dicom3tools libxml2-utils orthanc orthanc-dicomweb chromium fonts-noto-cjk libgdcm-tools strace procps time jing python3-rdflib)
# OWSLib: the real CSW client of the Directory CSW tests (docs/adr/0027).
MEDCAT_TEST_PACKAGES+=(python3-owslib)
# opencc: the traditional spellings of the concept dictionary's Chinese terms, which the Directory's normaliser must fold.
MEDCAT_TEST_PACKAGES+=(opencc)

# medcat_db_password NODE SERVICE -> the password of SERVICE's run-time database role on NODE (docs/adr/0022),
# generated once into .local/db/NODE/SERVICE.password (mode 600); the migration step sets it, the host logs in with it.
medcat_db_password() {
  local dir="$MEDCAT_LOCAL/db/$1" f="$MEDCAT_LOCAL/db/$1/$2.password"
  if [ ! -s "$f" ]; then
    mkdir -p "$dir" && chmod 700 "$dir"
    (umask 077 && openssl rand -hex 24 >"$f.tmp" && mv "$f.tmp" "$f") || medcat_die "could not write $f"
  fi
  chmod 600 "$f"
  cat "$f"
}

# The six hosts of a node: name -> project directory and assembly.
MEDCAT_HOSTS=(gateway registration metadata directory exchange inference)
MEDCAT_SERVICES=(registration metadata directory exchange inference)
medcat_host_dir() { # medcat_host_dir NAME -> repo-relative project folder
  if [ "$1" = gateway ]; then echo src/Gateway; else echo "src/Services/${1^}"; fi
}
medcat_host_assembly() { echo "MedImaging.${1^}"; }
medcat_host_bin() { echo "$MEDCAT_REPO/$(medcat_host_dir "$1")/bin/Release/net10.0"; }
