#!/usr/bin/env python3
"""Deterministic generator of SYNTHETIC hourly air monitoring data (not real measurements).

Format: station,date,hour,so2,no2,pm10,co,o3,pm25 (µg/m³; CO mg/m³ with one decimal; empty = missing),
sorted by station, date, hour. Seasonal PM2.5, diurnal O3, ~2 % missing cells and ~1 % missing days so
that the HJ 663 validity rules are exercised.

usage: gen_hourly.py OUT.csv --stations N --days D [--year Y] [--seed S] [--prefix P]
"""
import argparse
import datetime
import math
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--stations", type=int, default=1000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--year", type=int, default=2023)
    ap.add_argument("--seed", type=int, default=20231)
    ap.add_argument("--prefix", default="S")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    start = datetime.date(a.year, 1, 1)
    dates = [(start + datetime.timedelta(days=i)).isoformat() for i in range(a.days)]
    with open(a.out, "w", newline="") as f:
        f.write("station,date,hour,so2,no2,pm10,co,o3,pm25\n")
        for s in range(a.stations):
            st = f"{a.prefix}{s:04d}"
            base = 0.6 + 0.8 * rng.random()  # station's pollution level
            lines = []
            for d, date in enumerate(dates):
                if rng.random() < 0.01:
                    continue  # whole day missing
                season = 1.0 + 0.6 * math.cos(2 * math.pi * d / 365.0)  # winter high
                day_f = 0.5 + rng.random() * (1.2 + (0.8 if rng.random() < 0.05 else 0))
                pm_day = 35 * base * season * day_f
                o3_day = 60 + 90 * rng.random() * (2.0 - season)
                for h in range(24):
                    diurnal = max(0.0, math.sin(math.pi * (h - 6) / 14)) if 6 <= h <= 20 else 0.0
                    pm25 = max(1, int(pm_day * (0.8 + 0.4 * rng.random())))
                    cells = [
                        str(int(3 + 12 * base * rng.random())),
                        str(int(10 + 40 * base * season * rng.random())),
                        str(int(pm25 * (1.3 + 0.6 * rng.random()))),
                        f"{0.3 + 0.9 * base * season * rng.random():.1f}",
                        str(int(10 + o3_day * diurnal * (0.7 + 0.6 * rng.random()) + 15 * rng.random())),
                        str(pm25),
                    ]
                    for k in range(6):
                        if rng.random() < 0.02:
                            cells[k] = ""
                    lines.append(f"{st},{date},{h},{','.join(cells)}\n")
            f.writelines(lines)


if __name__ == "__main__":
    main()
