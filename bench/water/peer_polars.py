"""Peer for the `ecociv water classify` benchmark: GB 3838-2002 single-factor class of each sample with Polars
(lazy, streaming engine). Same rules as ecociv-water: 21 section items (TN and fecal coliform excluded), "at most"
items → best class whose limit is not exceeded, DO → best class whose limit is reached, pH outside 6–9 → 劣V,
TP by river/lake, equal limits → better class, above V → 劣V. Output: section,date,class.

Usage: python3 peer_polars.py INPUT OUTPUT
The limits are read from crates/ecociv-water/data/gb3838-2002.csv, so both sides use the same table.
"""

import csv
import os
import sys

import polars as pl

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = os.path.join(HERE, "..", "..", "crates", "ecociv-water", "data", "gb3838-2002.csv")
SECTION_ITEMS = [
    "ph", "do", "codmn", "cod", "bod5", "nh3n", "tp", "cu", "zn", "f", "se", "as", "hg", "cd", "cr6", "pb",
    "cn", "phenol", "oil", "las", "s",
]
LABELS = ["I", "II", "III", "IV", "V", "劣V"]


def bound_class(col, direction, limits):
    """Class 1..6 of one bound; null when the value is null."""
    c = pl.col(col)
    expr = None
    for k, lim in enumerate(limits, start=1):
        cond = (c <= lim) if direction == "le" else (c >= lim)
        expr = pl.when(cond).then(pl.lit(k)) if expr is None else expr.when(cond).then(pl.lit(k))
    return pl.when(c.is_null()).then(pl.lit(None, dtype=pl.Int8)).otherwise(expr.otherwise(pl.lit(6))).cast(pl.Int8)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    rules = {}
    with open(TABLE, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            limits = [float(row[k]) for k in ("I", "II", "III", "IV", "V")]
            kinds = ["river", "lake"] if row["waterbody"] == "all" else [row["waterbody"]]
            for kind in kinds:
                rules.setdefault((row["item"], kind), []).append((row["direction"], limits))

    item_exprs = []
    lake = pl.col("waterbody").str.to_lowercase() == "lake"
    for item in SECTION_ITEMS:
        per_kind = {}
        for kind in ("river", "lake"):
            bounds = [bound_class(item, d, lim) for d, lim in rules[(item, kind)]]
            per_kind[kind] = bounds[0] if len(bounds) == 1 else pl.max_horizontal(bounds)
        item_exprs.append(pl.when(lake).then(per_kind["lake"]).otherwise(per_kind["river"]))

    schema = {"section": pl.String, "date": pl.String, "waterbody": pl.String}
    lf = pl.scan_csv(src, schema_overrides={**schema, **{i: pl.Float64 for i in SECTION_ITEMS}}, infer_schema=False)
    cls = pl.max_horizontal(item_exprs)
    label = pl.lit(None, dtype=pl.String)
    for k in range(6, 0, -1):
        label = pl.when(cls == k).then(pl.lit(LABELS[k - 1])).otherwise(label)
    out = lf.select(pl.col("section"), pl.col("date"), label.alias("class"))
    out.sink_csv(dst)


if __name__ == "__main__":
    main()
