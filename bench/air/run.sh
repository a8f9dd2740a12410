#!/usr/bin/env bash
# Benchmark: `ecociv air annual` (release build) against both peers side by side in one run — Polars
# (bench/air/polars_annual.py, default and streaming engine) and DuckDB (bench/air/duckdb_annual.py, one SQL
# query) — on the same generated file of 1,000 stations × 365 days of hourly data (8.68 M rows, ~330 MB).
# Each round runs every side once, one after the other (so each sees the same machine load); RUNS rounds.
# Checks that every peer writes a CSV byte-identical to ecociv's, measures wall, CPU (user+sys) and peak RSS
# with /usr/bin/time -v, and the machine's CSV parse floor for the file: bench/parse_floor.rs (read the file
# in 1 MiB blocks, split every line into fields on every core, nothing else) and DuckDB counting its rows
# (all columns as text). With REF_BIN=<another ecociv binary> (e.g. main's), checks that it writes the same
# bytes. Prints a Markdown table (best wall of the rounds) for docs/benchmarks.md.
# Generated data stays out of git (default: $BENCH_DIR=/tmp/ecociv-air-bench).
#
# usage: bench/air/run.sh [STATIONS] [DAYS] [RUNS]
# needs: cargo, python3 with `pip install polars duckdb`, /usr/bin/time (Debian package `time`)
set -euo pipefail
cd "$(dirname "$0")/../.."
STATIONS=${1:-1000}
DAYS=${2:-365}
RUNS=${3:-${RUNS:-3}}
BENCH_DIR=${BENCH_DIR:-/tmp/ecociv-air-bench}
mkdir -p "$BENCH_DIR"
DATA="$BENCH_DIR/hourly-${STATIONS}x${DAYS}.csv"

python3 -c "import polars, duckdb" 2>/dev/null || pip install --quiet polars duckdb
# ECOCIV_BIN=<a release ecociv> measures that binary instead of building one.
if [ -n "${ECOCIV_BIN:-}" ]; then
  BIN=$ECOCIV_BIN
else
  cargo build --release -p ecociv --quiet
  BIN="${CARGO_TARGET_DIR:-target}/release/ecociv"
fi
rustc --edition 2021 -O -o "$BENCH_DIR/parse_floor" bench/parse_floor.rs

if [ ! -s "$DATA" ]; then
  echo "generating $DATA ..." >&2
  python3 bench/air/gen_hourly.py "$DATA.tmp" --stations "$STATIONS" --days "$DAYS" --year 2023 --seed 20231
  mv "$DATA.tmp" "$DATA"
fi
ROWS=$(($(wc -l < "$DATA") - 1))
MB=$(($(stat -c %s "$DATA") / 1000000))

wall() { awk -F': ' '/Elapsed \(wall clock\)/ { n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s }' "$1"; }
cpu() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2/1024 }' "$1"; }
run() { # name, round, command...
  local name=$1 r=$2; shift 2
  /usr/bin/time -v "$@" > /dev/null 2> "$BENCH_DIR/$name-$r.time" || { cat "$BENCH_DIR/$name-$r.time" >&2; exit 1; }
  printf '%-10s round %d  wall %6.2f s  cpu %6s s  peak RSS %5s MiB  (load %s)\n' "$name" "$r" \
    "$(wall "$BENCH_DIR/$name-$r.time")" "$(cpu "$BENCH_DIR/$name-$r.time")" "$(rss "$BENCH_DIR/$name-$r.time")" \
    "$(cut -d' ' -f1 /proc/loadavg)" >&2
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$RUNS"); do
  run ecociv "$r" "$BIN" air annual --input "$DATA" --output "$BENCH_DIR/out-ecociv.csv"
  run duckdb "$r" python3 bench/air/duckdb_annual.py "$DATA" "$BENCH_DIR/out-duckdb.csv"
  run polars "$r" python3 bench/air/polars_annual.py "$DATA" "$BENCH_DIR/out-polars.csv"
  run pstream "$r" python3 bench/air/polars_annual.py "$DATA" "$BENCH_DIR/out-polars-s.csv" --streaming
done
# The machine's CSV parse floor for this file: every field split on every core, nothing else (best of 3), and
# DuckDB counting its rows, every column as text.
for r in 1 2 3; do run rfloor "$r" "$BENCH_DIR/parse_floor" "$DATA"; done
run floor 1 python3 -c "import duckdb; duckdb.sql(\"SELECT count(*) FROM read_csv('$DATA', header=true, all_varchar=true)\").fetchall()"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

if [ -n "${REF_BIN:-}" ]; then
  "$REF_BIN" air annual --input "$DATA" --output "$BENCH_DIR/out-ref.csv" 2>/dev/null
  cmp "$BENCH_DIR/out-ecociv.csv" "$BENCH_DIR/out-ref.csv" || { echo "DIFFERENT: ecociv vs REF_BIN $REF_BIN" >&2; exit 1; }
  echo "same bytes as REF_BIN ($REF_BIN)" >&2
fi
for f in out-duckdb.csv out-polars.csv out-polars-s.csv; do
  if cmp -s "$BENCH_DIR/out-ecociv.csv" "$BENCH_DIR/$f"; then
    echo "same numbers: ecociv = $f ($(($(wc -l < "$BENCH_DIR/out-ecociv.csv") - 1)) station-years, byte-identical CSV)" >&2
  else
    echo "DIFFERENT: ecociv vs $f" >&2; diff "$BENCH_DIR/out-ecociv.csv" "$BENCH_DIR/$f" | head -20 >&2; exit 1
  fi
done

best() { # name → the time file of the round with the smallest wall
  local b="" bw=""
  for f in "$BENCH_DIR/$1"-*.time; do
    local w; w=$(wall "$f")
    if [ -z "$bw" ] || awk -v a="$w" -v b="$bw" 'BEGIN { exit !(a < b) }'; then bw=$w; b=$f; fi
  done
  echo "$b"
}
walls() { local s=""; for f in "$BENCH_DIR/$1"-*.time; do s="$s${s:+ / }$(wall "$f")"; done; echo "$s"; }
E=$(wall "$(best ecociv)")
row() { # label, name
  local f; f=$(best "$2")
  local w; w=$(wall "$f")
  awk -v l="$1" -v w="$w" -v all="$(walls "$2")" -v c="$(cpu "$f")" -v r="$(rss "$f")" -v e="$E" -v mb="$MB" \
    'BEGIN { printf "| %s | %.2f | %s | %s | %s | %.0f | %.1f× |\n", l, w, all, c, r, mb / w, w / e }'
}
echo
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), Python $(python3 -c 'import platform; print(platform.python_version())'), Polars $(python3 -c 'import polars; print(polars.__version__)'), DuckDB $(python3 -c 'import duckdb; print(duckdb.__version__)')"
echo "Load average (1/5/15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER"
echo "Input: $ROWS hourly rows ($STATIONS stations × $DAYS days minus missing days), $MB MB; $RUNS rounds, best wall kept"
echo
echo "| run | wall s (best) | wall s (each round) | CPU s (user+sys) | peak RSS MiB | MB/s (wall) | wall ÷ ecociv |"
echo "|---|---:|---|---:|---:|---:|---:|"
row "\`ecociv air annual\`" ecociv
row "DuckDB peer (\`duckdb_annual.py\`)" duckdb
row "Polars peer, default engine" polars
row "Polars peer, streaming engine" pstream
row "CSV parse floor: \`bench/parse_floor.rs\` (split every field, every core)" rfloor
row "CSV parse floor: DuckDB \`count(*)\`, all varchar" floor
