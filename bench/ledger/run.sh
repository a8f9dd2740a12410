#!/usr/bin/env bash
# Import of 100,000 register records (issue 13: "Import of 100,000 ledger records is a benchmark (time and
# memory), streamed, all or nothing"). A throwaway SQLite database with the example zone (`serve --demo`,
# stopped once it answers), then `ecociv ledger import` of N generated hazard records (risk_hazard: 8 columns,
# a lifecycle: every record 登记, every 10th also 整改中 and 销号 in the same file) — elapsed time and peak
# resident memory from /usr/bin/time. Side by side: the same file checked without a database (`ecociv ledger
# check`: parse, check, the whole ledger in memory), imported again (every line unchanged: nothing stored),
# refused (its last line bad: nothing stored), and sqlite3's own `.import` of the file into a bare table (the
# floor for writing those bytes, no checks).
#
#   bench/ledger/run.sh                               # builds the release binary; N=100000
#   ECOCIV_BIN=target/release/ecociv N=20000 bench/ledger/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-100000}
PORT=${PORT:-18413}
TARGET=${CARGO_TARGET_DIR:-target}
if [ -z "${ECOCIV_BIN:-}" ]; then
  cargo build --release -p ecociv --bin ecociv
  ECOCIV_BIN=$TARGET/release/ecociv
fi
WORK=$(mktemp -d /tmp/ecociv-ledger.XXXXXX)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
SERVER=
DB="sqlite://$WORK/ledger.sqlite3"
if curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null; then echo "port $PORT is taken (PORT=… to choose another)"; exit 1; fi
"$ECOCIV_BIN" serve --demo --listen "127.0.0.1:$PORT" --db "$DB" --no-background-assessments >"$WORK/out" 2>"$WORK/err" &
SERVER=$!
for _ in $(seq 3000); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null || { echo "the demo server did not start"; cat "$WORK/err"; exit 1; }
kill $SERVER; wait $SERVER 2>/dev/null || true
awk -v n="$N" 'BEGIN {
  print "编号,单位或地点,隐患描述,隐患等级,发现日期,整改期限,状态,状态日期";
  split("一般,较大,重大", grade, ",");
  lines = 0; i = 0;
  while (lines < n) {
    i++; m = 1 + (i % 12); d = 1 + (i % 28);
    date = sprintf("2024-%02d-%02d", m, d);
    id = sprintf("B%07d", i);
    printf "%s,示例单位%d,隐患描述第%d项（储罐围堰、应急物资、标识）,%s,%s,2025-06-30,登记,%s\n", id, i % 500, i, grade[1 + i % 3], date, date; lines++;
    if (i % 10 == 0 && lines + 2 <= n) {
      printf "%s,示例单位%d,隐患描述第%d项（储罐围堰、应急物资、标识）,%s,%s,2025-06-30,整改中,2024-12-30\n", id, i % 500, i, grade[1 + i % 3], date;
      printf "%s,示例单位%d,隐患描述第%d项（储罐围堰、应急物资、标识）,%s,%s,2025-06-30,销号,2024-12-31\n", id, i % 500, i, grade[1 + i % 3], date;
      lines += 2;
    }
  }
}' >"$WORK/hazards.csv"
cp "$WORK/hazards.csv" "$WORK/refused.csv"
echo "B9999999,示例单位,隐患,特大,2024-01-01,,登记,2024-01-01" >>"$WORK/refused.csv"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) MiB; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "file: $N lines, $(du -k "$WORK/hazards.csv" | cut -f1) KiB"
measure() { # label, command…
  local label=$1; shift
  local load; load=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >"$WORK/cmd.out" 2>"$WORK/cmd.err" || true
  read -r secs kib < <(tail -1 "$WORK/time")
  printf '%-34s %7.2f s  peak RSS %5d MiB  (load before: %s)  %s\n' "$label" "$secs" $((kib / 1024)) "$load" \
    "$(tail -c 200 "$WORK/cmd.out" "$WORK/cmd.err" 2>/dev/null | grep -av "^==>" | tr '\n' ' ' | cut -c1-150)"
}
measure "check (no database)" "$ECOCIV_BIN" ledger check --kind risk_hazard "$WORK/hazards.csv"
measure "import (stored)" "$ECOCIV_BIN" ledger import --db "$DB" --zone 450202 --kind risk_hazard --by bench "$WORK/hazards.csv"
measure "import again (all unchanged)" "$ECOCIV_BIN" ledger import --db "$DB" --zone 450202 --kind risk_hazard --by bench "$WORK/hazards.csv"
measure "import refused (last line bad)" "$ECOCIV_BIN" ledger import --db "$DB" --zone 450202 --kind risk_hazard --by bench "$WORK/refused.csv"
measure "sqlite3 .import (no checks)" sqlite3 "$WORK/peer.sqlite3" ".mode csv" ".import $WORK/hazards.csv peer"
echo "revisions stored: $(sqlite3 "$WORK/ledger.sqlite3" "SELECT COUNT(*) FROM ledger_record_revision WHERE kind_id = 'risk_hazard' AND record_id LIKE 'B%'"), imports: $(sqlite3 "$WORK/ledger.sqlite3" "SELECT COUNT(*) FROM ledger_import WHERE author = 'bench'")"

# The same file through the server's API (the body streamed into the import: `body_stream`), on a fresh
# demo database: the server's resident memory before, after, and its peak (VmHWM, over its whole life —
# the demo's loading at start included).
DB2="sqlite://$WORK/api.sqlite3"
BASE=http://127.0.0.1:$PORT
"$ECOCIV_BIN" serve --demo --insecure-cookies --listen "127.0.0.1:$PORT" --db "$DB2" --no-background-assessments \
  >"$WORK/out2" 2>"$WORK/err2" &
SERVER=$!
for _ in $(seq 3000); do curl -fs "$BASE/api/v1/health" >/dev/null && break; sleep 0.1; done
rss() { awk '/VmRSS/ {r=$2} /VmHWM/ {h=$2} END {printf "RSS %d MiB, peak %d MiB", r/1024, h/1024}' "/proc/$SERVER/status"; }
PW=$(awk '$1 == "reviewer" {print $NF}' "$WORK/out2")
TOKEN=$(curl -s -c "$WORK/jar" "$BASE/api/v1/auth/csrf" | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/')
TOKEN=$(curl -s -b "$WORK/jar" -c "$WORK/jar" -H "X-CSRF-Token: $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"username\":\"reviewer\",\"password\":\"$PW\"}" "$BASE/api/v1/auth/login" | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/')
api() { # label file
  local before load; before=$(rss); load=$(cut -d' ' -f1-3 /proc/loadavg)
  local out; out=$(curl -s -b "$WORK/jar" -H "X-CSRF-Token: $TOKEN" -H 'Content-Type: text/csv' --data-binary "@$2" \
    -w ' HTTP %{http_code} %{time_total} s' "$BASE/api/v1/zones/450202/ledgers/risk_hazard/import?file=hazards.csv")
  printf '%-34s %s  (server before: %s; after: %s; load before: %s)\n' "$1" "$(echo "$out" | grep -oE 'HTTP [0-9]+ [0-9.]+ s')" \
    "$before" "$(rss)" "$load"
  echo "  $(echo "$out" | sed -E 's/ HTTP [0-9]+ [0-9.]+ s$//' | cut -c1-160)"
}
api "API import refused (last line bad)" "$WORK/refused.csv"
api "API import (stored)" "$WORK/hazards.csv"
api "API import again (all unchanged)" "$WORK/hazards.csv"
echo "revisions stored through the API: $(sqlite3 "$WORK/api.sqlite3" "SELECT COUNT(*) FROM ledger_record_revision WHERE kind_id = 'risk_hazard' AND record_id LIKE 'B%'")"
