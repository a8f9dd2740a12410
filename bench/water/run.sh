#!/usr/bin/env bash
# Benchmark of `ecociv water classify` (GB 3838-2002 single-factor class per sample) against a Polars and a
# DuckDB peer, side by side on the same file (issue 19: ecociv on every core, and on one core with taskset).
# Not a test: run by hand, copy the printed table into docs/benchmarks.md with the machine.
#
#   bash bench/water/run.sh              # 10 million samples (about 1 GB of CSV)
#   N=1000000 bash bench/water/run.sh    # a smaller run
#
# Generated data and outputs go to $BENCH_DIR (default target/bench-water, ignored by git).
# The parse floor: bench/parse_floor.rs (the file read in 1 MiB blocks, every field split on every core, nothing
# else) and DuckDB counting the rows. With REF_BIN=<another ecociv binary> (e.g. main's), checks that it
# writes the same bytes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-10000000}
SMALL=$(( N / 10 ))
WORK=${BENCH_DIR:-$ROOT/target/bench-water}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
mkdir -p "$WORK"

python3 -c "import polars, duckdb" 2>/dev/null || pip install --quiet polars duckdb

echo "== build (release)" >&2
# CLASSIFY=example builds only ecociv-water's benchmark example (the same library call as the CLI, without
# the rest of the binary) — for a machine where the full release build does not fit the time.
if [ "${CLASSIFY:-cli}" = example ]; then
  cargo build --release --quiet -p ecociv-water --example classify --manifest-path "$ROOT/Cargo.toml"
  CLASSIFY_CMD=("$TARGET/release/examples/classify")
  LABEL="classify_parallel (ecociv-water example)"
else
  # ECOCIV_BIN=<a release ecociv> measures that binary instead of building one.
  [ -n "${ECOCIV_BIN:-}" ] || cargo build --release --quiet -p ecociv --manifest-path "$ROOT/Cargo.toml"
  CLASSIFY_CMD=("${ECOCIV_BIN:-$TARGET/release/ecociv}" water classify)
  LABEL="ecociv water classify"
fi
BIN=${ECOCIV_BIN:-$TARGET/release/ecociv}
rustc --edition 2021 -O -o "$WORK/gen" "$ROOT/bench/water/gen.rs"
rustc --edition 2021 -O -o "$WORK/parse_floor" "$ROOT/bench/parse_floor.rs"

for n in "$SMALL" "$N"; do
  f="$WORK/samples-$n.csv"
  if [ ! -s "$f" ]; then
    echo "== generate $n samples" >&2
    "$WORK/gen" "$n" > "$f.tmp" && mv "$f.tmp" "$f"
  fi
done

run() { # name, time-file, command...
  local name=$1 tf=$2; shift 2
  # The wall time to the microsecond from bash's clock (GNU time prints hundredths: too coarse for a 0.1 s
  # parse floor); CPU and memory from GNU time.
  local t0=$EPOCHREALTIME
  /usr/bin/time -v "$@" 2> "$tf" >/dev/null || { cat "$tf" >&2; exit 1; }
  local t1=$EPOCHREALTIME
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }' > "$tf.wall"
}
wall() { cat "$1.wall"; }
cpu() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2/1024 }' "$1"; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# One round: ecociv (every core), ecociv (one core), Polars, DuckDB, one after the other on the same file, so
# each sees the same machine load; ROUNDS rounds (default 2), the best wall of each kept.
ROUNDS=${ROUNDS:-2}
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r: ecociv water classify (all cores, then taskset -c 0), Polars, DuckDB" >&2
  run rust-$r "$WORK/rust-$r.time" "${CLASSIFY_CMD[@]}" --input "$WORK/samples-$N.csv" --output "$WORK/rust.csv"
  run rust1-$r "$WORK/rust1-$r.time" taskset -c 0 "${CLASSIFY_CMD[@]}" --input "$WORK/samples-$N.csv" --output "$WORK/rust1.csv"
  run peer-$r "$WORK/peer-$r.time" python3 "$ROOT/bench/water/peer_polars.py" "$WORK/samples-$N.csv" "$WORK/peer.csv"
  run duck-$r "$WORK/duck-$r.time" python3 "$ROOT/bench/water/peer_duckdb.py" "$WORK/samples-$N.csv" "$WORK/duck.csv"
done
# The annual evaluation on every core and on one core: the first 84 % of the file (the generator repeats a
# section's date from sample 1,680,000 on, which the annual evaluation refuses as a sample given twice).
ANNUAL_N=$(( N * 84 / 100 ))
head -n $(( ANNUAL_N + 1 )) "$WORK/samples-$N.csv" > "$WORK/annual-$ANNUAL_N.csv"
# Half of those samples (the same sections and years): the annual evaluation's memory must not grow with them.
HALF_N=$(( ANNUAL_N / 2 ))
head -n $(( HALF_N + 1 )) "$WORK/samples-$N.csv" > "$WORK/annual-$HALF_N.csv"
if [ "${CLASSIFY:-cli}" != example ]; then
  for r in $(seq 1 "$ROUNDS"); do
    run annual-$r "$WORK/annual-$r.time" "$BIN" water annual --input "$WORK/annual-$ANNUAL_N.csv" --output "$WORK/annual.csv"
    run annual1-$r "$WORK/annual1-$r.time" taskset -c 0 "$BIN" water annual --input "$WORK/annual-$ANNUAL_N.csv" --output "$WORK/annual1.csv"
  done
  cmp "$WORK/annual.csv" "$WORK/annual1.csv" || { echo "annual: all-core and one-core outputs differ" >&2; exit 1; }
  run annual-half "$WORK/annual-half.time" "$BIN" water annual --input "$WORK/annual-$HALF_N.csv" --output "$WORK/annual-half.csv"
fi
run rust-small "$WORK/rust-small.time" "${CLASSIFY_CMD[@]}" --input "$WORK/samples-$SMALL.csv" --output "$WORK/rust-small.csv"
if [ "${CLASSIFY:-cli}" != example ]; then
  run rust-stdout "$WORK/rust-stdout.time" sh -c "'$BIN' water classify --input '$WORK/samples-$N.csv' > /dev/null"
fi
# The machine's CSV parse floor for this file: every field split on every core (best of the rounds), and DuckDB
# counting the rows of the same file (parse, no work).
for r in $(seq 1 "$ROUNDS"); do run rfloor-$r "$WORK/rfloor-$r.time" "$WORK/parse_floor" "$WORK/samples-$N.csv"; done
run floor "$WORK/floor.time" python3 -c "import duckdb,sys; print(duckdb.sql(\"SELECT count(*) FROM read_csv('$WORK/samples-$N.csv', header=true, all_varchar=true)\").fetchall())"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
best() { # prefix → the time file of the round with the smallest wall
  local b="" bw=""
  for r in $(seq 1 "$ROUNDS"); do
    local w; w=$(wall "$WORK/$1-$r.time")
    if [ -z "$bw" ] || awk -v a="$w" -v b="$bw" 'BEGIN { exit !(a < b) }'; then bw=$w; b="$WORK/$1-$r.time"; fi
  done
  echo "$b"
}

echo "== compare class columns" >&2
cmp "$WORK/rust.csv" "$WORK/rust1.csv" || { echo "all-core and one-core outputs differ" >&2; exit 1; }
if [ -n "${REF_BIN:-}" ]; then
  "$REF_BIN" water classify --input "$WORK/samples-$N.csv" --output "$WORK/ref.csv" 2>/dev/null
  cmp "$WORK/rust.csv" "$WORK/ref.csv" || { echo "classify: differs from REF_BIN $REF_BIN" >&2; exit 1; }
  echo "classify: same bytes as REF_BIN ($REF_BIN)" >&2
fi
for peer in peer duck; do
python3 - "$WORK/rust.csv" "$WORK/$peer.csv" <<'PY'
import sys
import polars as pl
a = pl.scan_csv(sys.argv[1], infer_schema=False).select("section", "date", "class").collect()
b = pl.scan_csv(sys.argv[2], infer_schema=False).select("section", "date", "class").collect()
assert a.height == b.height, f"row counts differ: {a.height} vs {b.height}"
diff = (~a["class"].eq_missing(b["class"])) | (a["section"] != b["section"]) | (a["date"] != b["date"])
bad = int(diff.sum())
if bad:
    print(f"DISAGREE on {bad} rows; first:", file=sys.stderr)
    print(a.filter(diff).head(5), file=sys.stderr)
    print(b.filter(diff).head(5), file=sys.stderr)
    sys.exit(1)
print(f"{sys.argv[2]} agrees: {a.height} rows in input order, class column identical; distribution:", dict(a.group_by("class").len().sort("class").iter_rows()), file=sys.stderr)
PY
done

bytes=$(stat -c %s "$WORK/samples-$N.csv")
row() { # label, rows, time-file
  local t; t=$(wall "$3")
  awk -v l="$1" -v n="$2" -v t="$t" -v c="$(cpu "$3")" -v r="$(rss "$3")" -v b="$bytes" -v big="$N" \
    'BEGIN { mb = (n == big) ? sprintf("%.0f", b / t / 1e6) : "—"; printf "| %s | %d | %.3f | %s | %.2f | %s | %s |\n", l, n, t, c, n / t / 1e6, mb, r }'
}
ratio() { # label, time-file, time-file of the reference → "label: wall x, CPU x"
  awk -v l="$1" -v a="$(wall "$2")" -v b="$(wall "$3")" -v ca="$(cpu "$2")" -v cb="$(cpu "$3")" \
    'BEGIN { printf "- %s: %.2f× in wall time (%.3f s / %.3f s), %.2f× in CPU time (%.2f s / %.2f s)\n", l, a / b, a, b, ca / cb, ca, cb }'
}
echo
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), $(rustc --version), Python $(python3 -c 'import platform; print(platform.python_version())'), Polars $(python3 -c 'import polars; print(polars.__version__)'), DuckDB $(python3 -c 'import duckdb; print(duckdb.__version__)')"
echo "Load average (1/5/15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER"
echo "Input: $N samples, $(( bytes / 1000000 )) MB of CSV (bench/water/gen.rs, fixed seed); best of $ROUNDS rounds"
echo
echo "| run | samples | wall s | CPU s (user+sys) | M samples/s (wall) | MB/s (wall) | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
row "$LABEL --output (all cores)" "$N" "$(best rust)"
row "$LABEL --output (taskset -c 0: one core)" "$N" "$(best rust1)"
row "$LABEL --output (all cores)" "$SMALL" "$WORK/rust-small.time"
[ -f "$WORK/rust-stdout.time" ] && [ "${CLASSIFY:-cli}" != example ] && row "ecociv water classify > stdout (spooled)" "$N" "$WORK/rust-stdout.time"
if [ "${CLASSIFY:-cli}" != example ]; then
  row "ecociv water annual (all cores)" "$ANNUAL_N" "$(best annual)"
  row "ecociv water annual (taskset -c 0: one core)" "$ANNUAL_N" "$(best annual1)"
  row "ecociv water annual (all cores), half the samples (memory flat in file size)" "$HALF_N" "$WORK/annual-half.time"
fi
row "Polars $(python3 -c 'import polars; print(polars.__version__)') peer, streaming sink_csv" "$N" "$(best peer)"
row "DuckDB $(python3 -c 'import duckdb; print(duckdb.__version__)') peer, COPY (query) TO csv" "$N" "$(best duck)"
row "CSV parse floor: bench/parse_floor.rs (split every field, every core)" "$N" "$(best rfloor)"
row "CSV parse floor: DuckDB count(*) of the file, all varchar" "$N" "$WORK/floor.time"
echo
echo "Ratios (best rounds):"
ratio "$LABEL --output against the parse floor (goal: within 3×)" "$(best rust)" "$(best rfloor)"
[ -f "$WORK/rust-stdout.time" ] && [ "${CLASSIFY:-cli}" != example ] && ratio "ecociv water classify > stdout against the parse floor" "$WORK/rust-stdout.time" "$(best rfloor)"
ratio "DuckDB against $LABEL --output (goal: 2× or more)" "$(best duck)" "$(best rust)"
ratio "Polars against $LABEL --output" "$(best peer)" "$(best rust)"
