#!/usr/bin/env python3
"""The DuckDB peer of `ecociv air annual`: the same HJ 633-2012 / HJ 663-2013 computation as
`polars_annual.py`, written as an analyst would in SQL (one query over `read_csv`: group-bys, CASE
expressions, `quantile_cont`), exact to the same rules:

* daily means need >= 20 hourly values; rounded half to even (GB/T 8170) to integers (CO to 0.1 mg/m³);
* O3 8-h windows within the day (start 0..16), each >= 6 hours; MDA8 valid with >= 14 windows or > 160;
  O3 daily max 1-h needs >= 20 hours;
* daily AQI with the HJ 633-2012 breakpoints (ceil), O3 8-h > 800 → the 1-h IAQI;
* a valid day has all six pollutants; good day AQI <= 100; good_rate in % to one decimal (half even);
* annual mean / CO p95 / O3-8h p90 (HJ 663 percentile = linear interpolation) valid with >= 324 days and
  >= 27 per month (February >= 25); empty otherwise.

usage: duckdb_annual.py INPUT.csv OUTPUT.csv
DuckDB runs the query on every core. Only for data of one edition (before 2026-03-01, HJ 633-2012), like the
benchmark's generated year. The output is checked byte for byte against `ecociv air annual` by run.sh.
"""
import sys

import duckdb

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
STATS = ["so2", "no2", "pm10", "pm25", "co", "o3_8h"]


def rhe(num, den):
    """Integer num/den (num >= 0, den > 0) rounded half to even, as SQL."""
    q = f"(({num}) // ({den}))"
    r = f"(({num}) - {q} * ({den}))"
    return f"({q} + CASE WHEN 2 * {r} > ({den}) OR (2 * {r} = ({den}) AND {q} % 2 = 1) THEN 1 ELSE 0 END)"


def iaqi(c, bps):
    whens = " ".join(
        f"WHEN {c} <= {hi} THEN {IAQI[i - 1]} + ({(IAQI[i] - IAQI[i - 1])} * ({c} - {lo}) + {hi - lo - 1}) // {hi - lo}"
        for i, (lo, hi) in enumerate(zip(bps, bps[1:]), start=1)
    )
    return f"CASE WHEN {c} IS NULL THEN NULL {whens} ELSE 500 END"


def tenths(c):
    return f"CASE WHEN {c} IS NULL THEN NULL ELSE CAST({c} // 10 AS VARCHAR) || '.' || CAST({c} % 10 AS VARCHAR) END"


def query(src):
    types = "{'station': 'VARCHAR', 'date': 'VARCHAR', 'hour': 'INTEGER', " + ", ".join(
        f"'{p}': 'DOUBLE'" for p in POLS
    ) + "}"
    # exact fixed point: thousandths of the unit
    fixed = ", ".join(f"CAST(round({p} * 1000) AS BIGINT) AS {p}" for p in POLS)
    hourly = f"SELECT station, date, hour, {fixed} FROM read_csv('{src}', header = true, columns = {types})"
    day_aggs = []
    for p in ["so2", "no2", "pm10", "co", "pm25"]:
        day_aggs += [f"sum({p}) AS {p}_s", f"count({p}) AS {p}_n"]
    day_aggs += ["max(o3) AS o3_max", "count(o3) AS o3_n"]
    for s in range(17):
        day_aggs += [
            f"sum(o3) FILTER (WHERE hour >= {s} AND hour < {s + 8}) AS w{s}_s",
            f"count(o3) FILTER (WHERE hour >= {s} AND hour < {s + 8}) AS w{s}_n",
        ]
    daily = f"SELECT station, date, {', '.join(day_aggs)} FROM hourly GROUP BY station, date"
    wins = [f"CASE WHEN w{s}_n >= 6 THEN {rhe(f'w{s}_s', f'w{s}_n * 1000')} END" for s in range(17)]
    nwin = " + ".join(f"CAST(w{s}_n >= 6 AS INTEGER)" for s in range(17))
    day_cols = [f"CASE WHEN {p}_n >= 20 THEN {rhe(f'{p}_s', f'{p}_n * 1000')} END AS {p}" for p in ["so2", "no2", "pm10", "pm25"]]
    day_cols.append(f"CASE WHEN co_n >= 20 THEN {rhe('co_s', 'co_n * 100')} END AS co")
    day_cols.append(f"CASE WHEN o3_n >= 20 THEN {rhe('o3_max', '1000')} END AS o3_1h")
    day_cols += [f"greatest({', '.join(wins)}) AS mda8", f"({nwin}) AS nwin"]
    day_vals = f"SELECT station, date, {', '.join(day_cols)} FROM daily"
    o3_8h = "CASE WHEN nwin >= 14 OR mda8 > 160 THEN mda8 END"
    day8 = f"SELECT *, {o3_8h} AS o3_8h FROM day_vals"
    i = {p: iaqi(p, BP[p]) for p in BP}
    o3_8h_iaqi = f"CASE WHEN o3_8h > 800 THEN NULL ELSE {i['o3_8h']} END"
    aqi = f"greatest({i['so2']}, {i['no2']}, {i['pm10']}, {i['co']}, {i['o3_1h']}, {o3_8h_iaqi}, {i['pm25']})"
    valid = " AND ".join(f"{p} IS NOT NULL" for p in ["so2", "no2", "pm10", "co", "o3_8h", "pm25"])
    day = (
        f"SELECT station, CAST(substr(date, 1, 4) AS INTEGER) AS year, CAST(substr(date, 6, 2) AS INTEGER) AS month, "
        f"{', '.join(STATS)}, aqi, ({valid} AND aqi IS NOT NULL) AS valid FROM (SELECT *, {aqi} AS aqi FROM day8)"
    )
    monthly = (
        f"SELECT station, year, {', '.join(f'bool_and({p} >= need) AND count(*) = 12 AS {p}_months_ok' for p in STATS)} "
        f"FROM (SELECT station, year, month, CASE WHEN month = 2 THEN 25 ELSE 27 END AS need, "
        f"{', '.join(f'count({p}) AS {p}' for p in STATS)} FROM day GROUP BY station, year, month) "
        f"GROUP BY station, year"
    )
    annual = (
        "SELECT station, year, count_if(valid) AS valid_days, count_if(valid AND aqi <= 100) AS good_days, "
        + ", ".join(f"sum({p}) AS {p}_s" for p in ["so2", "no2", "pm10", "pm25"])
        + ", "
        + ", ".join(f"count({p}) AS {p}_n" for p in STATS)
        + ", quantile_cont(co, 0.95) AS co_q, quantile_cont(o3_8h, 0.90) AS o3_q FROM day GROUP BY station, year"
    )
    ok = {p: f"({p}_n >= 324 AND {p}_months_ok)" for p in STATS}
    out = ", ".join(
        [
            "station",
            "year",
            "valid_days",
            "good_days",
            f"CASE WHEN valid_days > 0 THEN {rhe('good_days * 1000', 'valid_days')} END AS good_rate_t",
            *[f"CASE WHEN {ok[p]} THEN {rhe(f'{p}_s', f'{p}_n')} END AS {p}" for p in ["so2", "no2", "pm10", "pm25"]],
            f"CASE WHEN {ok['co']} THEN {rhe('CAST(round(co_q * 100) AS BIGINT)', '100')} END AS co_t",
            f"CASE WHEN {ok['o3_8h']} THEN {rhe('CAST(round(o3_q * 100) AS BIGINT)', '100')} END AS o3_8h_p90",
        ]
    )
    return (
        f"WITH hourly AS ({hourly}), daily AS ({daily}), day_vals AS ({day_vals}), day8 AS ({day8}), "
        f"day AS ({day}), monthly AS ({monthly}), annual AS ({annual}), "
        f"result AS (SELECT {out} FROM annual LEFT JOIN monthly USING (station, year)) "
        f"SELECT station, year, valid_days, good_days, {tenths('good_rate_t')} AS good_rate, so2, no2, pm10, pm25, "
        f"{tenths('co_t')} AS co_p95, o3_8h_p90 FROM result ORDER BY station, year"
    )


def main():
    src, dst = sys.argv[1], sys.argv[2]
    con = duckdb.connect()
    con.execute(f"COPY ({query(src)}) TO '{dst}' (HEADER, DELIMITER ',')")


if __name__ == "__main__":
    main()
