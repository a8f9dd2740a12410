#!/usr/bin/env python3
"""Requests the assessment of every (zone, year) of the benchmark database once, so that the server's
assessment cache holds all of them (the steady state of a server that has been running).
Usage: warm.py PORT ZONES FIRST_YEAR YEARS"""
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

port, zones, first_year, years = (int(a) for a in sys.argv[1:5])
urls = [f"http://127.0.0.1:{port}/api/v1/zones/9{z:05d}/assessment?year={first_year + y}" for z in range(zones) for y in range(years)]


def get(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        return response.status


start = time.time()
with ThreadPoolExecutor(max_workers=16) as pool:
    statuses = list(pool.map(get, urls))
bad = sum(1 for s in statuses if s != 200)
print(f"warm-up: {len(urls)} assessments in {time.time() - start:.1f} s, {bad} not 200")
