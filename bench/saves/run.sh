#!/usr/bin/env bash
# Saves under concurrent writers on SQLite (issue 20: "4 editors saving for 60 s had p50 330–395 ms per save,
# and reads of a year the writes invalidate fell to 150 req/s"). `ecociv serve --demo` on a throwaway SQLite
# file; WRITERS sessions (admin and reviewer, alternately), each saving a draft of its own row of $YEAR as fast
# as it can (wrk, one connection per writer, bench/saves/save.lua); then the same while 8 connections read the
# assessment of that year (bench/saves/read.lua) and the year's Table 2-1 page; and the reads alone.
#
#   bench/saves/run.sh                       # builds the release binary; 4 writers, 30 s per run
#   ECOCIV_BIN=target/debug/ecociv WRITERS=4 DURATION=20s bench/saves/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18192}
WRITERS=${WRITERS:-4}
DURATION=${DURATION:-30s}
YEAR=${YEAR:-2024}
TARGET=${CARGO_TARGET_DIR:-target}
if [ -z "${ECOCIV_BIN:-}" ]; then
  cargo build --release -p ecociv --bin ecociv
  ECOCIV_BIN=$TARGET/release/ecociv
fi
WORK=$(mktemp -d /tmp/ecociv-saves.XXXXXX)
BASE=http://127.0.0.1:$PORT
"$ECOCIV_BIN" serve --demo --insecure-cookies --listen "127.0.0.1:$PORT" --db "sqlite://$WORK/saves.sqlite3" \
  >"$WORK/out" 2>"$WORK/err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 600); do curl -fs "$BASE/api/v1/health" >/dev/null && break; sleep 0.1; done
pw() { awk -v u="$1" '$1 == u {print $NF}' "$WORK/out"; }
prelogin() { curl -s -c "$1" "$BASE/api/v1/auth/csrf" | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/'; }
session() { # user row → "cookie csrf row"
  local jar="$WORK/jar-$RANDOM" token csrf
  token=$(prelogin "$jar")
  csrf=$(curl -s -b "$jar" -c "$jar" -H "X-CSRF-Token: $token" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$(pw "$1")\"}" "$BASE/api/v1/auth/login" | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/')
  echo "ecociv_session=$(awk '$6 == "ecociv_session" {print $7}' "$jar") $csrf $2"
}
ROWS=(7.1 7.2 8.1 8.2 9 10 11 12)
: >"$WORK/sessions"
for i in $(seq 0 $((WRITERS - 1))); do
  user=admin; [ $((i % 2)) -eq 1 ] && user=reviewer
  session "$user" "${ROWS[$i]}" >>"$WORK/sessions"
done
# One save by hand: it must succeed.
read -r cookie csrf row <"$WORK/sessions"
curl -s -o "$WORK/one" -w 'one save: %{http_code} in %{time_total} s\n' -X PUT -b "$cookie" -H "X-CSRF-Token: $csrf" \
  -H 'Content-Type: application/json' -d '{"value": "60.0", "reason": "bench"}' "$BASE/api/v1/zones/450202/values/$row/$YEAR"
grep -q '"error"' "$WORK/one" && { cat "$WORK/one"; exit 1; }
echo "machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
writes() { SESSIONS="$WORK/sessions" YEAR=$YEAR wrk -t"$WRITERS" -c"$WRITERS" -d"$DURATION" --timeout 10s --latency -s bench/saves/save.lua "$BASE" | grep RESULT; }
reads() { READ_PATH=$1 wrk -t1 -c8 -d"$DURATION" --timeout 10s --latency -s bench/saves/read.lua "$BASE" | grep RESULT; }
ASSESS="/api/v1/zones/450202/assessment?year=$YEAR"
PAGE="/z/450202/table?year=$YEAR"
echo "== reads alone (assessment of $YEAR, 8 connections)"; reads "$ASSESS"
echo "== reads alone (Table 2-1 of $YEAR, 8 connections)"; reads "$PAGE"
echo "== $WRITERS writers alone"; writes
echo "== $WRITERS writers while 8 connections read the assessment of $YEAR"
reads "$ASSESS" >"$WORK/r" & R=$!; writes; wait $R; cat "$WORK/r"
echo "== $WRITERS writers while 8 connections read Table 2-1 of $YEAR"
reads "$PAGE" >"$WORK/r" & R=$!; writes; wait $R; cat "$WORK/r"
echo "revisions stored: $(sqlite3 "$WORK/saves.sqlite3" 'SELECT COUNT(*) FROM value_revision') ; server RSS $(awk '/VmRSS/ {print int($2/1024)}' /proc/$SERVER/status) MiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
