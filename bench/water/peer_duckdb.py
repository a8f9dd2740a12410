"""DuckDB peer for the `ecociv water classify` benchmark: the same GB 3838-2002 single-factor class of each
sample as `peer_polars.py` (21 section items, "at most" items → best class whose limit is not exceeded, DO →
best class whose limit is reached, pH outside 6–9 → 劣V, TP by river/lake, equal limits → better class, above V
→ 劣V), as one SQL query over `read_csv`, written with `COPY … TO` (DuckDB runs it on every core).

Usage: python3 peer_duckdb.py INPUT OUTPUT
The limits are read from crates/ecociv-water/data/gb3838-2002.csv, so every side uses the same table.
"""

import csv
import os
import sys

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = os.path.join(HERE, "..", "..", "crates", "ecociv-water", "data", "gb3838-2002.csv")
SECTION_ITEMS = [
    "ph", "do", "codmn", "cod", "bod5", "nh3n", "tp", "cu", "zn", "f", "se", "as", "hg", "cd", "cr6", "pb",
    "cn", "phenol", "oil", "las", "s",
]
LABELS = ["I", "II", "III", "IV", "V", "劣V"]


def bound_class(col, direction, limits):
    op = "<=" if direction == "le" else ">="
    whens = " ".join(f"WHEN {col} {op} {lim!r} THEN {k}" for k, lim in enumerate(limits, start=1))
    return f"CASE WHEN {col} IS NULL THEN NULL {whens} ELSE 6 END"


def main():
    src, dst = sys.argv[1], sys.argv[2]
    rules = {}
    with open(TABLE, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            limits = [float(row[k]) for k in ("I", "II", "III", "IV", "V")]
            kinds = ["river", "lake"] if row["waterbody"] == "all" else [row["waterbody"]]
            for kind in kinds:
                rules.setdefault((row["item"], kind), []).append((row["direction"], limits))
    items = []
    for item in SECTION_ITEMS:
        col = f'"{item}"'
        per_kind = {}
        for kind in ("river", "lake"):
            bounds = [bound_class(col, d, lim) for d, lim in rules[(item, kind)]]
            per_kind[kind] = bounds[0] if len(bounds) == 1 else f"GREATEST({', '.join(bounds)})"
        items.append(f"CASE WHEN lower(waterbody) = 'lake' THEN {per_kind['lake']} ELSE {per_kind['river']} END")
    cls = f"GREATEST({', '.join(items)})"
    label = "CASE cls " + " ".join(f"WHEN {k} THEN '{LABELS[k - 1]}'" for k in range(1, 7)) + " END"
    types = {"section": "VARCHAR", "date": "VARCHAR", "waterbody": "VARCHAR"}
    types.update({i: "DOUBLE" for i in SECTION_ITEMS})
    type_sql = "{" + ", ".join(f"'{k}': '{v}'" for k, v in types.items()) + "}"
    query = (
        f"SELECT section, date, {label} AS class FROM ("
        f"SELECT section, date, {cls} AS cls FROM read_csv('{src}', header = true, types = {type_sql}, "
        f"all_varchar = false, auto_detect = true))"
    )
    con = duckdb.connect()
    con.execute(f"COPY ({query}) TO '{dst}' (HEADER, DELIMITER ',')")


if __name__ == "__main__":
    main()
