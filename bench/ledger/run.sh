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
    "$(tail -c 200 "$WORK/cmd.out" "$WORK/cmd.err" 2>/dev/null | grep -v '^==>' | tr '\n' ' ' | cut -c1-150)"
}
measure "check (no database)" "$ECOCIV_BIN" ledger check --kind risk_hazard "$WORK/hazards.csv"
measure "import (stored)" "$ECOCIV_BIN" ledger import --db "$DB" --zone 450202 --kind risk_hazard --by bench "$WORK/hazards.csv"
measure "import again (all unchanged)" "$ECOCIV_BIN" ledger import --db "$DB" --zone 450202 --kind risk_hazard --by bench "$WORK/hazards.csv"
measure "import refused (last line bad)" "$ECOCIV_BIN" ledger import --db "$DB" --zone 450202 --kind risk_hazard --by bench "$WORK/refused.csv"
measure "sqlite3 .import (no checks)" sqlite3 "$WORK/peer.sqlite3" ".mode csv" ".import $WORK/hazards.csv peer"
echo "revisions stored: $(sqlite3 "$WORK/ledger.sqlite3" "SELECT COUNT(*) FROM ledger_record_revision WHERE record_id LIKE 'B%'"), imports: $(sqlite3 "$WORK/ledger.sqlite3" "SELECT COUNT(*) FROM ledger_import WHERE author = 'bench'")"
