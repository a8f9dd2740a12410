#!/usr/bin/env bash
# Load benchmark of the public survey form (issue 14): `ecociv serve --demo` (SQLite by default, or the
# PostgreSQL URL in DB), then bench/survey/submit.py: SUBMITTERS (default 200) concurrent submitters POST the
# public form of the demo survey for SECONDS (default 60); every submitter finishes its request in flight.
# The count the bureau's page shows before and after must differ by exactly the responses acknowledged
# (303): no lost and no doubled response. The per-address limit is lifted for the run (one address).
#
# usage: bench/survey/run.sh [--release]      needs: cargo, python3, curl
set -euo pipefail
cd "$(dirname "$0")/../.."
profile=debug
if [ "${1:-}" = "--release" ]; then profile=release; fi
submitters=${SUBMITTERS:-200}
seconds=${SECONDS_RUN:-60}
if [ "$profile" = release ]; then cargo build --release -p ecociv --quiet; else cargo build -p ecociv --quiet; fi
bin="${CARGO_TARGET_DIR:-target}/$profile/ecociv"
work=$(mktemp -d)
db=${DB:-sqlite://$work/bench.sqlite3}
port=$(( 20000 + RANDOM % 20000 ))
"$bin" serve --demo --db "$db" --listen "127.0.0.1:$port" --insecure-cookies \
  --survey-submissions-per-address 1000000000 >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 300); do curl -fs "$base/api/v1/health" >/dev/null && break; sleep 0.1; done
password() { awk -v user="$1" '$1 == user { print $NF }' "$work/serve.log"; }
jar="$work/reviewer.jar"
token=$(curl -fs -c "$jar" "$base/api/v1/auth/csrf" | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/')
curl -fs -b "$jar" -c "$jar" -H "x-csrf-token: $token" -H 'content-type: application/json' \
  -d "{\"username\":\"reviewer\",\"password\":\"$(password reviewer)\"}" "$base/api/v1/auth/login" >/dev/null
survey=$(curl -fs -b "$jar" "$base/z/450202/surveys" | grep -o 'href="/z/450202/surveys/[0-9a-f]*"' | head -1 | sed -E 's/.*surveys\/([0-9a-f]+)"/\1/')
count() { curl -fs -b "$jar" "$base/z/450202/surveys/$survey" | sed -nE 's/.*id="survey-count">([0-9]+)<.*/\1/p'; }
before=$(count)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
engine=SQLite; if [ -n "${DB:-}" ]; then engine=PostgreSQL; fi
echo "build: $profile; database: $engine; survey $survey; responses before: $before"
out=$(python3 bench/survey/submit.py "$base" "/s/450202/$survey" "$submitters" "$seconds")
echo "$out" | head -1
acknowledged=$(echo "$out" | sed -nE 's/^ACKNOWLEDGED ([0-9]+)$/\1/p')
after=$(count)
echo "responses after: $after; stored $((after - before)), acknowledged $acknowledged"
if [ "$((after - before))" -eq "$acknowledged" ]; then
  echo "OK: every acknowledged response stored once, nothing else stored"
else
  echo "MISMATCH: stored $((after - before)) != acknowledged $acknowledged" >&2
  exit 1
fi
