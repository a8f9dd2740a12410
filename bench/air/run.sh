#!/usr/bin/env bash
# Benchmark: `ecociv air annual` (release build) vs the Polars peer (bench/air/polars_annual.py), side by
# side on the same generated file of 1,000 stations × 365 days of hourly data (8.76 M rows minus ~1 %
# missing days, ~360 MB). Checks that both give the same numbers, and reports wall time and peak RSS from
# /usr/bin/time -v. Generated data stays out of git (default: $BENCH_DIR=/tmp/ecociv-air-bench).
#
# usage: bench/air/run.sh [STATIONS] [DAYS] [RUNS]
# needs: cargo, python3 with `pip install polars`, /usr/bin/time (Debian package `time`)
set -euo pipefail
cd "$(dirname "$0")/../.."
STATIONS=${1:-1000}
DAYS=${2:-365}
RUNS=${3:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/ecociv-air-bench}
mkdir -p "$BENCH_DIR"
DATA="$BENCH_DIR/hourly-${STATIONS}x${DAYS}.csv"

cargo build --release -p ecociv --quiet
BIN="${CARGO_TARGET_DIR:-target}/release/ecociv"

if [ ! -s "$DATA" ]; then
  echo "generating $DATA ..."
  python3 bench/air/gen_hourly.py "$DATA.tmp" --stations "$STATIONS" --days "$DAYS" --year 2023 --seed 20231
  mv "$DATA.tmp" "$DATA"
fi
echo "input: $DATA ($(du -m "$DATA" | cut -f1) MB, $(($(wc -l < "$DATA") - 1)) rows)"
python3 -c 'import polars, sys; print("polars", polars.__version__, "python", sys.version.split()[0])'
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

measure() { # label, output file, command...
  local label=$1 out=$2; shift 2
  for i in $(seq "$RUNS"); do
    /usr/bin/time -v "$@" > /dev/null 2> "$BENCH_DIR/time.log" || { cat "$BENCH_DIR/time.log"; exit 1; }
    local wall rss cpu
    wall=$(grep 'Elapsed (wall clock)' "$BENCH_DIR/time.log" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$BENCH_DIR/time.log" | awk '{print $NF}')
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$BENCH_DIR/time.log")
    printf '%-24s run %d  wall %-9s  cpu %6ss  peak RSS %6d MB  (load %s)\n' "$label" "$i" "$wall" "$cpu" $((rss / 1024)) \
      "$(cut -d' ' -f1 /proc/loadavg)"
  done
}

measure "ecociv air annual" "$BENCH_DIR/out-ecociv.csv" \
  "$BIN" air annual --input "$DATA" --output "$BENCH_DIR/out-ecociv.csv"
measure "polars (default engine)" "$BENCH_DIR/out-polars.csv" \
  python3 bench/air/polars_annual.py "$DATA" "$BENCH_DIR/out-polars.csv"
measure "polars (streaming)" "$BENCH_DIR/out-polars-s.csv" \
  python3 bench/air/polars_annual.py "$DATA" "$BENCH_DIR/out-polars-s.csv" --streaming

for f in out-polars.csv out-polars-s.csv; do
  if cmp -s "$BENCH_DIR/out-ecociv.csv" "$BENCH_DIR/$f"; then
    echo "same numbers: ecociv = $f ($(($(wc -l < "$BENCH_DIR/out-ecociv.csv") - 1)) station-years, byte-identical CSV)"
  else
    echo "DIFFERENT: ecociv vs $f"; diff "$BENCH_DIR/out-ecociv.csv" "$BENCH_DIR/$f" | head -20; exit 1
  fi
done
