# Sourced by .ci/run: builds and installs Citus into Debian's PostgreSQL 15 from the source beside the
# checkout (../shared/citus/install.sh; does nothing when already installed), starts a throwaway coordinator
# and two workers on 127.0.0.1 (../shared/citus/cluster.sh), exports TEST_CITUS_URL and REQUIRE_CITUS=1 for
# ecociv-store's and ecociv-server's tests (each test makes its own database on every node and the store
# distributes its tables; see crates/ecociv-store/src/distribute.rs), and stops the cluster on exit.
# After 10-postgres.sh (both use Debian's PostgreSQL 15).
ecociv_citus_setup() {
  local shared=${ECOCIV_CITUS_SHARED:-../shared/citus}
  if [ ! -f "$shared/install.sh" ] || [ ! -f "$shared/cluster.sh" ]; then
    echo "15-citus.sh: $shared/install.sh or cluster.sh not found (CI has ../shared beside the checkout)" >&2
    return 1
  fi
  local started
  started=$(date +%s)
  # Debian's PostgreSQL is built with LLVM, so PGXS compiles every Citus source file a second time with
  # clang into JIT bitcode (363 files); the tests never JIT-inline Citus's functions. A make variable given
  # in MAKEFLAGS overrides the makefiles' `with_llvm = yes`: about half the compile (given to install.sh
  # only: cargo's build scripts must not see it).
  if ! MAKEFLAGS="with_llvm=no" bash "$shared/install.sh"; then
    # install.sh's one source patch assumes PostgreSQL 15.20 or later, whose server declares
    # have_createdb_privilege() itself; an earlier 15 (Debian 12 without its security suite has 15.18)
    # does not, and Citus 13.2.2 builds there as released. Then build again without the patch.
    local header=/usr/include/postgresql/15/server/commands/dbcommands.h
    if [ -f "$header" ] && ! grep -q have_createdb_privilege "$header"; then
      echo "15-citus.sh: PostgreSQL $(dpkg-query -W -f '${Version}' postgresql-15 2>/dev/null) predates 15.20: building Citus without install.sh's patch" >&2
      local unpatched
      unpatched=$(mktemp -d /tmp/ecociv-citus-install.XXXXXX)
      sed '/^python3 - /,/^PY$/d' "$shared/install.sh" >"$unpatched/install.sh"
      ln -s "$(cd "$shared" && pwd)/citus-13.2.2.tar.gz" "$unpatched/"
      MAKEFLAGS="with_llvm=no" bash "$unpatched/install.sh" || { echo "15-citus.sh: building Citus failed" >&2; return 1; }
      rm -rf "$unpatched"
    else
      echo "15-citus.sh: building Citus failed" >&2
      return 1
    fi
  fi
  ECOCIV_CITUS_DIR=$(mktemp -d /tmp/ecociv-citus.XXXXXX)
  export ECOCIV_CITUS_DIR
  export ECOCIV_CITUS_SCRIPT="$shared/cluster.sh"
  TEST_CITUS_URL=$(bash "$shared/cluster.sh" start "$ECOCIV_CITUS_DIR" "${ECOCIV_CITUS_PORT:-55432}" | tail -1)
  case "$TEST_CITUS_URL" in
    postgres://*) ;;
    *) echo "15-citus.sh: the cluster did not start (got: $TEST_CITUS_URL)" >&2; return 1 ;;
  esac
  export TEST_CITUS_URL
  export REQUIRE_CITUS=1
  echo "Citus ready in $(( $(date +%s) - started )) s: $TEST_CITUS_URL"
}
ecociv_citus_stop() {
  bash "$ECOCIV_CITUS_SCRIPT" stop "$ECOCIV_CITUS_DIR" || true
  rm -rf "$ECOCIV_CITUS_DIR"
}
ecociv_citus_setup
# Chain onto any EXIT trap set by an earlier setup script.
ecociv_citus_prev_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
# shellcheck disable=SC2064
trap "ecociv_citus_stop; ${ecociv_citus_prev_trap:-:}" EXIT
