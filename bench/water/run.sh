#!/usr/bin/env bash
# Benchmark of `ecociv water classify` (GB 3838-2002 single-factor class per sample) against a Polars peer.
# Not a test: run by hand, copy the printed table into docs/benchmarks.md with the machine.
#
#   bash bench/water/run.sh              # 10 million samples (about 1 GB of CSV)
#   N=1000000 bash bench/water/run.sh    # a smaller run
#
# Generated data and outputs go to $BENCH_DIR (default target/bench-water, ignored by git).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-10000000}
SMALL=$(( N / 10 ))
WORK=${BENCH_DIR:-$ROOT/target/bench-water}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
mkdir -p "$WORK"

python3 -c "import polars" 2>/dev/null || pip install --quiet polars

echo "== build (release)" >&2
cargo build --release --quiet -p ecociv --manifest-path "$ROOT/Cargo.toml"
BIN=$TARGET/release/ecociv
rustc --edition 2021 -O -o "$WORK/gen" "$ROOT/bench/water/gen.rs"

for n in "$SMALL" "$N"; do
  f="$WORK/samples-$n.csv"
  if [ ! -s "$f" ]; then
    echo "== generate $n samples" >&2
    "$WORK/gen" "$n" > "$f.tmp" && mv "$f.tmp" "$f"
  fi
done

run() { # name, time-file, command...
  local name=$1 tf=$2; shift 2
  /usr/bin/time -v "$@" 2> "$tf" >/dev/null || { cat "$tf" >&2; exit 1; }
}
wall() { awk -F': ' '/Elapsed \(wall clock\)/ { n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s }' "$1"; }
cpu() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2/1024 }' "$1"; }

echo "== ecociv water classify" >&2
run rust-small "$WORK/rust-small.time" "$BIN" water classify --input "$WORK/samples-$SMALL.csv" --output "$WORK/rust-small.csv"
run rust "$WORK/rust.time" "$BIN" water classify --input "$WORK/samples-$N.csv" --output "$WORK/rust.csv"
run rust-stdout "$WORK/rust-stdout.time" sh -c "'$BIN' water classify --input '$WORK/samples-$N.csv' > /dev/null"
echo "== Polars peer" >&2
run peer-small "$WORK/peer-small.time" python3 "$ROOT/bench/water/peer_polars.py" "$WORK/samples-$SMALL.csv" "$WORK/peer-small.csv"
run peer "$WORK/peer.time" python3 "$ROOT/bench/water/peer_polars.py" "$WORK/samples-$N.csv" "$WORK/peer.csv"

echo "== compare class columns" >&2
python3 - "$WORK/rust.csv" "$WORK/peer.csv" <<'PY'
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
print(f"agree: {a.height} rows, class column identical; distribution:", dict(a.group_by("class").len().sort("class").iter_rows()), file=sys.stderr)
PY

bytes=$(stat -c %s "$WORK/samples-$N.csv")
row() { # label, rows, time-file
  local t; t=$(wall "$3")
  awk -v l="$1" -v n="$2" -v t="$t" -v c="$(cpu "$3")" -v r="$(rss "$3")" -v b="$bytes" -v big="$N" \
    'BEGIN { mb = (n == big) ? sprintf("%.0f", b / t / 1e6) : "—"; printf "| %s | %d | %.1f | %s | %.2f | %s | %s |\n", l, n, t, c, n / t / 1e6, mb, r }'
}
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), $(rustc --version), Python $(python3 -c 'import platform; print(platform.python_version())'), Polars $(python3 -c 'import polars; print(polars.__version__)')"
echo "Input: $N samples, $(( bytes / 1000000 )) MB of CSV (bench/water/gen.rs, fixed seed)"
echo
echo "| run | samples | wall s | CPU s (user+sys) | M samples/s (wall) | MB/s (wall) | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
row "ecociv water classify --output (1 thread)" "$SMALL" "$WORK/rust-small.time"
row "ecociv water classify --output (1 thread)" "$N" "$WORK/rust.time"
row "ecociv water classify > stdout (spooled)" "$N" "$WORK/rust-stdout.time"
row "Polars $(python3 -c 'import polars; print(polars.__version__)') peer, streaming sink_csv" "$SMALL" "$WORK/peer-small.time"
row "Polars $(python3 -c 'import polars; print(polars.__version__)') peer, streaming sink_csv" "$N" "$WORK/peer.time"
