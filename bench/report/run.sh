#!/usr/bin/env bash
# Benchmark of the document writers (ecociv-report) and a Python/openpyxl peer writing the same Table 2-1.
# Run by hand; results go to docs/benchmarks.md with the machine they ran on.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo bench -p ecociv-report --bench report
venv=target/bench-report/venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q openpyxl
fi
"$venv/bin/python" -c 'import openpyxl; print("openpyxl", openpyxl.__version__)'
"$venv/bin/python" bench/report/peer_openpyxl.py target/bench-report/open-data.csv
