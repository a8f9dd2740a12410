#!/usr/bin/env python3
"""Peer for benches/progress.rs: the same measure in plain Python (data/derive_expected.py, written
from anchors.md section 2.3), on the same generated series. Run: python3 benches/peer_python.py"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "data"))
from derive_expected import measure  # noqa: E402

ZONES, ROWS = 2800, 45
MASK = (1 << 64) - 1


def series(count):
    state = 42

    def nxt():
        nonlocal state
        state = (state * 6364136223846793005 + 1442695040888963407) & MASK
        return (state >> 11) / float(1 << 53)

    out = []
    for i in range(count):
        years = 2 + (i % 7)
        base = 10.0 + 90.0 * nxt()
        trend = (nxt() - 0.4) * 0.05
        pts = [(2021 + k, base * (1.0 + trend) ** k * (1.0 + 0.01 * (nxt() - 0.5))) for k in range(years)]
        target = None if i % 3 == 0 else base * (1.0 + 0.2 * (nxt() - 0.3))
        d = 1 if i % 2 == 0 else -1
        limit = 100.0 if i % 3 == 0 else None
        out.append((pts, d, 2021, 2030, target, limit))
    return out


def main():
    inputs = series(ZONES * ROWS)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for pts, d, by, ty, tgt, lim in inputs:
            measure(pts, d, by, ty, tgt, lim)
        best = min(best, time.perf_counter() - start)
    counts = {}
    score_sum = 0.0
    for pts, d, by, ty, tgt, lim in inputs:
        r = measure(pts, d, by, ty, tgt, lim)
        key = r.get("status", "error")
        counts[key] = counts.get(key, 0) + 1
        score_sum += r.get("score", 0.0)
    print(f"series: {len(inputs)}")
    print("statuses: {" + ", ".join(f'"{k}": {counts[k]}' for k in sorted(counts)) + "}")
    print(f"score sum: {score_sum:.6f}")
    print(f"python measure only: {best:.3f} s total, {best / len(inputs) * 1e9:.0f} ns/series")


if __name__ == "__main__":
    main()
