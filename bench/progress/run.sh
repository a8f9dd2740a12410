#!/usr/bin/env bash
# Benchmark: the progress measure (ecociv-progress, release build) vs its Python peer (the same measure
# written from anchors.md §2.3, crates/ecociv-progress/data/derive_expected.py), side by side on the same
# 126,000 generated series (2,800 county units × 45 rows). Both print their status counts and score sum,
# which must agree. Also times `zone_progress` for the example zone with its synthetic series × 2,800.
#
# usage: bench/progress/run.sh        needs: cargo, python3 (standard library only)
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== Rust (cargo bench -p ecociv-progress --bench progress)"
cargo bench -p ecociv-progress --bench progress --quiet 2>/dev/null | grep -v '^$'
echo "== Python peer ($(python3 --version))"
python3 crates/ecociv-progress/benches/peer_python.py
