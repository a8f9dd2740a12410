#!/usr/bin/env python3
"""The Polars peer of `ecociv air annual`: the same HJ 633-2012 / HJ 663-2013 computation written as an
analyst would with Polars (lazy scan, group-bys, expressions), exact to the same rules:

* daily means need >= 20 hourly values; rounded half to even (GB/T 8170) to integers (CO to 0.1 mg/m³);
* O3 8-h windows within the day (start 0..16), each >= 6 hours; MDA8 valid with >= 14 windows or > 160;
  O3 daily max 1-h needs >= 20 hours;
* daily AQI with the HJ 633-2012 breakpoints (ceil), O3 8-h > 800 → the 1-h IAQI;
* a valid day has all six pollutants; good day AQI <= 100; good_rate in % to one decimal (half even);
* annual mean / CO p95 / O3-8h p90 (HJ 663 percentile = linear interpolation) valid with >= 324 days and
  >= 27 per month (February >= 25); empty otherwise.

usage: polars_annual.py INPUT.csv OUTPUT.csv [--streaming]
Only for data of one edition (before 2026-03-01, HJ 633-2012), like the benchmark's generated year.
"""
import sys

import polars as pl

BP = {  # HJ 633-2012 Table 1, report units (µg/m³; CO in 0.1 mg/m³)
    "so2": [0, 50, 150, 475, 800, 1600, 2100, 2620],
    "no2": [0, 40, 80, 180, 280, 565, 750, 940],
    "pm10": [0, 50, 150, 250, 350, 420, 500, 600],
    "co": [0, 20, 40, 140, 240, 360, 480, 600],
    "o3_1h": [0, 160, 200, 300, 400, 800, 1000, 1200],
    "o3_8h": [0, 100, 160, 215, 265, 800],
    "pm25": [0, 35, 75, 115, 150, 250, 350, 500],
}
IAQI = [0, 50, 100, 150, 200, 300, 400, 500]
POLS = ["so2", "no2", "pm10", "co", "o3", "pm25"]


def rhe(num, den):
    """Integer num/den rounded half to even (den > 0), as an expression."""
    q = num // den
    r = num - q * den
    up = (2 * r > den) | ((2 * r == den) & (q % 2 == 1))
    return q + up.cast(pl.Int64)


def ceil_div(num, den):
    return -((-num) // den)


def iaqi(c, bps):
    expr = pl.when(c.is_null()).then(None)
    for i in range(1, len(bps)):
        lo, hi = bps[i - 1], bps[i]
        expr = expr.when(c <= hi).then(IAQI[i - 1] + ceil_div((IAQI[i] - IAQI[i - 1]) * (c - lo), pl.lit(hi - lo)))
    return expr.otherwise(500)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    streaming = "--streaming" in sys.argv
    lf = pl.scan_csv(
        src,
        schema={"station": pl.Utf8, "date": pl.Utf8, "hour": pl.Int32, **{p: pl.Float64 for p in POLS}},
    )
    # exact fixed point: thousandths of the unit
    lf = lf.with_columns([(pl.col(p) * 1000).round(0).cast(pl.Int64).alias(p) for p in POLS])
    aggs = []
    for p in ["so2", "no2", "pm10", "co", "pm25"]:
        aggs += [pl.col(p).sum().alias(f"{p}_s"), pl.col(p).count().alias(f"{p}_n")]
    aggs += [pl.col("o3").max().alias("o3_max"), pl.col("o3").count().alias("o3_n")]
    for s in range(17):
        inwin = (pl.col("hour") >= s) & (pl.col("hour") < s + 8)
        aggs += [
            pl.col("o3").filter(inwin).sum().alias(f"w{s}_s"),
            pl.col("o3").filter(inwin).count().alias(f"w{s}_n"),
        ]
    day = lf.group_by(["station", "date"]).agg(aggs)
    cols = []
    for p in ["so2", "no2", "pm10", "pm25"]:
        cols.append(pl.when(pl.col(f"{p}_n") >= 20).then(rhe(pl.col(f"{p}_s"), pl.col(f"{p}_n") * 1000)).alias(p))
    cols.append(pl.when(pl.col("co_n") >= 20).then(rhe(pl.col("co_s"), pl.col("co_n") * 100)).alias("co"))
    cols.append(pl.when(pl.col("o3_n") >= 20).then(rhe(pl.col("o3_max"), pl.lit(1000))).alias("o3_1h"))
    wins = [
        pl.when(pl.col(f"w{s}_n") >= 6).then(rhe(pl.col(f"w{s}_s"), pl.col(f"w{s}_n") * 1000)) for s in range(17)
    ]
    nwin = pl.sum_horizontal([(pl.col(f"w{s}_n") >= 6).cast(pl.Int32) for s in range(17)])
    mda8 = pl.max_horizontal(wins)
    cols.append(pl.when((nwin >= 14) | (mda8 > 160)).then(mda8).alias("o3_8h"))
    day = day.select(["station", "date"] + cols)
    i = {p: iaqi(pl.col(p), BP[p]) for p in BP}
    o3_8h_iaqi = pl.when(pl.col("o3_8h") > 800).then(None).otherwise(i["o3_8h"])
    aqi = pl.max_horizontal([i["so2"], i["no2"], i["pm10"], i["co"], i["o3_1h"], o3_8h_iaqi, i["pm25"]])
    valid = pl.all_horizontal([pl.col(p).is_not_null() for p in ["so2", "no2", "pm10", "co", "o3_8h", "pm25"]])
    day = day.with_columns(
        aqi.alias("aqi"),
        (valid & aqi.is_not_null()).alias("valid"),
        pl.col("date").str.slice(0, 4).cast(pl.Int32).alias("year"),
        pl.col("date").str.slice(5, 2).cast(pl.Int32).alias("month"),
    )
    stats = ["so2", "no2", "pm10", "pm25", "co", "o3_8h"]
    monthly = (
        day.group_by(["station", "year", "month"])
        .agg([pl.col(p).count().alias(p) for p in stats])
        .with_columns(pl.when(pl.col("month") == 2).then(25).otherwise(27).alias("need"))
        .group_by(["station", "year"])
        .agg(
            [((pl.col(p) >= pl.col("need")).all() & (pl.len() == 12)).alias(f"{p}_months_ok") for p in stats]
        )
    )
    annual = day.group_by(["station", "year"]).agg(
        pl.col("valid").sum().alias("valid_days"),
        (pl.col("valid") & (pl.col("aqi") <= 100)).sum().alias("good_days"),
        *[pl.col(p).sum().alias(f"{p}_s") for p in ["so2", "no2", "pm10", "pm25"]],
        *[pl.col(p).count().alias(f"{p}_n") for p in stats],
        pl.col("co").quantile(0.95, interpolation="linear").alias("co_q"),
        pl.col("o3_8h").quantile(0.90, interpolation="linear").alias("o3_q"),
    )
    annual = annual.join(monthly, on=["station", "year"], how="left")
    ok = {p: (pl.col(f"{p}_n") >= 324) & pl.col(f"{p}_months_ok") for p in stats}
    out = annual.select(
        "station",
        "year",
        "valid_days",
        "good_days",
        pl.when(pl.col("valid_days") > 0)
        .then(rhe(pl.col("good_days").cast(pl.Int64) * 1000, pl.col("valid_days").cast(pl.Int64)))
        .alias("good_rate_t"),
        *[pl.when(ok[p]).then(rhe(pl.col(f"{p}_s"), pl.col(f"{p}_n").cast(pl.Int64))).alias(p) for p in ["so2", "no2", "pm10", "pm25"]],
        pl.when(ok["co"]).then(rhe((pl.col("co_q") * 100).round(0).cast(pl.Int64), pl.lit(100))).alias("co_t"),
        pl.when(ok["o3_8h"]).then(rhe((pl.col("o3_q") * 100).round(0).cast(pl.Int64), pl.lit(100))).alias("o3_8h_p90"),
    ).sort(["station", "year"])
    out = out.collect(engine="streaming") if streaming else out.collect()
    tenths = lambda c: pl.when(pl.col(c).is_null()).then(None).otherwise(
        (pl.col(c) // 10).cast(pl.Utf8) + "." + (pl.col(c) % 10).cast(pl.Utf8)
    )
    out = out.with_columns(tenths("good_rate_t").alias("good_rate"), tenths("co_t").alias("co_p95")).select(
        "station", "year", "valid_days", "good_days", "good_rate", "so2", "no2", "pm10", "pm25", "co_p95", "o3_8h_p90"
    )
    out.write_csv(dst)


if __name__ == "__main__":
    main()
