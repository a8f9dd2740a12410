#!/usr/bin/env python3
"""Load of the public survey form (issue 14): N concurrent submitters POST the form for D seconds, each
sending its next response only after the previous one was answered, then every submitter finishes its
request in flight. Prints the count of acknowledged responses (303 to the thanks page), the other answers by
status, and latency percentiles; the caller compares the acknowledged count with the count the server
stored (no lost, no doubled response).

usage: submit.py BASE_URL PATH SUBMITTERS SECONDS"""
import http.client
import random
import sys
import threading
import time
import urllib.parse

base, path, submitters, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
TOKEN = "5ec0c1f5" * 8  # the double-submit CSRF token: the same value in the cookie and the form
STRATA = ["chengzhong", "gongyuan", "zhongnan", "tanzhong", "hedong", "jinglan", "yanjiang"]
ACTIVITIES = ["sort", "travel", "save", "plant", "volunteer", "report", "hearing"]

lock = threading.Lock()
acknowledged = 0
other = {}
latencies = []
stop_at = time.monotonic() + seconds


def body(rng):
    fields = [("csrf_token", TOKEN), ("stratum", rng.choice(STRATA)), ("q_aware", rng.choice("123")),
              ("q_sat_overall", rng.choice("1112345"))]
    if rng.random() < 0.9:
        fields += [("q_participate", a) for a in rng.sample(ACTIVITIES, rng.randint(1, 3))]
    else:
        fields.append(("q_participate", "none"))
    return urllib.parse.urlencode(fields)


def submitter(n):
    global acknowledged
    rng = random.Random(n)
    connection = http.client.HTTPConnection(host, port, timeout=60)
    mine, statuses, times = 0, {}, []
    while time.monotonic() < stop_at:
        started = time.monotonic()
        try:
            connection.request("POST", path, body(rng), {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"ecociv_csrf={TOKEN}",
            })
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            status = f"error {type(error).__name__}"
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=60)
        times.append(time.monotonic() - started)
        if status == 303:
            mine += 1
        else:
            statuses[status] = statuses.get(status, 0) + 1
    with lock:
        acknowledged += mine
        for status, count in statuses.items():
            other[status] = other.get(status, 0) + count
        latencies.extend(times)


threads = [threading.Thread(target=submitter, args=(n,)) for n in range(submitters)]
started = time.monotonic()
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - started
latencies.sort()


def pct(p):
    return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000 if latencies else 0


print(f"submitters {submitters}, {elapsed:.1f} s: acknowledged {acknowledged} ({acknowledged / elapsed:.0f}/s), "
      f"other {dict(sorted(other.items(), key=str)) or 'none'}; latency p50 {pct(50):.0f} ms, p99 {pct(99):.0f} ms, "
      f"max {pct(100):.0f} ms")
print(f"ACKNOWLEDGED {acknowledged}")
