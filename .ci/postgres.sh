#!/usr/bin/env bash
# PostgreSQL for the interaction-log store tests (test/sinks/log/postgres.test.ts): Debian's
# server binaries, nothing more. The tests start, use and stop a throwaway cluster of their own
# (initdb + pg_ctl on a free loopback port in a temporary directory, as the `postgres` user when
# run as root), so no server is started or configured here. See docs/store.md.
# Idempotent: does nothing when the binaries are already there.
set -euo pipefail

if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  echo "postgresql: already installed ($(ls /usr/lib/postgresql/ | tr '\n' ' '))"
  exit 0
fi

SUDO=''
if [ "$(id -u)" -ne 0 ]; then SUDO='sudo'; fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
echo "postgresql: installed ($(ls /usr/lib/postgresql/ | tr '\n' ' '))"
