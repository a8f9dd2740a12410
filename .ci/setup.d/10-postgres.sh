# Sourced by .ci/run: installs Debian's PostgreSQL, starts a throwaway cluster on 127.0.0.1 (initdb into a
# temporary directory, run as user postgres, fsync off: for tests only), exports TEST_DATABASE_URL and
# REQUIRE_PG=1 for ecociv-store's and ecociv-server's tests, and stops the cluster on exit.
# The test role may create databases: each store test runs on a fresh database.
ecociv_pg_setup() {
  if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    if [ -z "${ECOCIV_APT_UPDATED:-}" ]; then apt-get update -qq; export ECOCIV_APT_UPDATED=1; fi
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
  local pgbin
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  export ECOCIV_PGBIN="$pgbin"
  export ECOCIV_PGPORT=${ECOCIV_PGPORT:-54329}
  ECOCIV_PGROOT=$(mktemp -d /tmp/ecociv-pgci.XXXXXX)
  export ECOCIV_PGROOT
  chown postgres:postgres "$ECOCIV_PGROOT"
  runuser -u postgres -- "$pgbin/initdb" -D "$ECOCIV_PGROOT/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$ECOCIV_PGROOT/data" -l "$ECOCIV_PGROOT/log" -w \
    -o "-p $ECOCIV_PGPORT -c listen_addresses=127.0.0.1 -k $ECOCIV_PGROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null
  psql -h 127.0.0.1 -p "$ECOCIV_PGPORT" -U postgres -qc "CREATE ROLE eco LOGIN CREATEDB PASSWORD 'eco'" -c "CREATE DATABASE eco_test OWNER eco" >/dev/null
  export TEST_DATABASE_URL="postgres://eco:eco@127.0.0.1:$ECOCIV_PGPORT/eco_test"
  export REQUIRE_PG=1
}
ecociv_pg_stop() {
  runuser -u postgres -- "$ECOCIV_PGBIN/pg_ctl" -D "$ECOCIV_PGROOT/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$ECOCIV_PGROOT"
}
ecociv_pg_setup
# Chain onto any EXIT trap set by an earlier setup script.
ecociv_pg_prev_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
# shellcheck disable=SC2064
trap "ecociv_pg_stop; ${ecociv_pg_prev_trap:-:}" EXIT
echo "PostgreSQL ready: $TEST_DATABASE_URL"
