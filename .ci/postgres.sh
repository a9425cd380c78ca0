#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store tests (CI and developers):
#   eval "$(.ci/postgres.sh start)"   # installs Debian's postgresql if missing (root), starts a cluster on a
#                                     # free loopback port, prints the exports (POST_EDITOR_TEST_DATABASE_URL)
#   npm test
#   .ci/postgres.sh stop "$PE_PG_DIR" # stops it and deletes its files
# Data is on a temp dir with fsync off: fast, and nothing to keep.
set -euo pipefail

pg_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$dir" ]; then echo "$dir"; fi
}

# Runs a command as the postgres user when we are root (initdb refuses root), else as ourselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    bin=$(pg_bin)
    if [ -z "$bin" ]; then
      echo "PostgreSQL not found: installing Debian's postgresql package" >&2
      apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
      bin=$(pg_bin)
    fi
    [ -n "$bin" ] || { echo "PostgreSQL binaries still not found after install" >&2; exit 1; }
    dir=$(mktemp -d "${TMPDIR:-/tmp}/pe-pg-XXXXXX")
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300" \
      start >&2
    echo "export POST_EDITOR_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
    echo "export PE_PG_DIR=$dir"
    ;;
  stop)
    dir="${2:?usage: $0 stop DIR (the PE_PG_DIR printed by start)}"
    bin=$(pg_bin)
    if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >&2 || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
