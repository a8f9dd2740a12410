#!/usr/bin/env bash
# Load benchmark of the web pages: `ecociv serve --demo` on a fresh SQLite file, then wrk on every page
# (public pages anonymously, data entry as the department editor, review as the reviewer), with the JSON API's
# assessment endpoint as the peer. Prints wrk's latency distribution (p50/p99) and requests/s per page.
#
# usage: bench/web/run.sh [--release]      needs: cargo, wrk (Debian package `wrk`), curl
# Environment: DURATION (default 10s), CONNECTIONS (default 8), THREADS (default 2).
set -euo pipefail
cd "$(dirname "$0")/../.."
profile=debug
if [ "${1:-}" = "--release" ]; then profile=release; fi
duration=${DURATION:-10s}
connections=${CONNECTIONS:-8}
threads=${THREADS:-2}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
if [ "$profile" = release ]; then cargo build --release -p ecociv --quiet; else cargo build -p ecociv --quiet; fi
bin="${CARGO_TARGET_DIR:-target}/$profile/ecociv"
work=$(mktemp -d)
port=$(( 20000 + RANDOM % 20000 ))
"$bin" serve --demo --db "sqlite://$work/bench.sqlite3" --listen "127.0.0.1:$port" --insecure-cookies >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fs "$base/api/v1/health" >/dev/null && break; sleep 0.1; done
password() { awk -v user="$1" '$1 == user { print $NF }' "$work/serve.log"; }
session() {
  local jar="$work/$1.jar"
  local token
  token=$(curl -fs -c "$jar" "$base/api/v1/auth/csrf" | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/')
  curl -fs -b "$jar" -c "$jar" -H "x-csrf-token: $token" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$(password "$1")\"}" "$base/api/v1/auth/login" >/dev/null
  awk '$6 == "ecociv_session" { print $7 }' "$jar"
}
editor=$(session editor-env)
reviewer=$(session reviewer)
admin=$(session admin)
# The demo's monitoring pages are filled in the background at start: wait until the air page has its figures.
for _ in $(seq 600); do curl -fs "$base/z/450202/air?year=2023" | grep -q '<svg' && break; sleep 0.2; done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "build: $profile; wrk -t$threads -c$connections -d$duration; database: SQLite, demo zone 450202"
run() {
  local label=$1 path=$2 cookie=${3:-}
  local args=(-t"$threads" -c"$connections" -d"$duration" --latency)
  if [ -n "$cookie" ]; then args+=(-H "Cookie: ecociv_session=$cookie"); fi
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' ${cookie:+-H "Cookie: ecociv_session=$cookie"} "$base$path")
  wrk "${args[@]}" "$base$path" | awk -v label="$label" -v status="$status" '
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } /^Requests\/sec/ { rps = $2 } /Non-2xx/ { bad = $NF }
    END { printf "%-34s HTTP %s  p50 %8s  p99 %8s  %8s req/s%s\n", label, status, p50, p99, rps, (bad ? "  NON-2xx: " bad : "") }'
}
run "peer: API assessment JSON 2021" "/api/v1/zones/450202/assessment?year=2021"
run "dashboard 2021 (public)" "/z/450202?year=2021"
run "dashboard 2021 (reviewer)" "/z/450202?year=2021" "$reviewer"
run "Table 2-1 2021 (public)" "/z/450202/table?year=2021"
run "Table 2-1 filtered not met" "/z/450202/table?year=2021&status=not_met"
run "indicator 7.2 2021 (public)" "/z/450202/indicators/7.2?year=2021"
run "indicator 3 2021 with chart" "/z/450202/indicators/3?year=2021"
run "indicator 5 2021 (reviewer, history)" "/z/450202/indicators/5?year=2021" "$reviewer"
run "air 2023 (SYNTHETIC monitoring data)" "/z/450202/air?year=2023"
run "water 2023 (SYNTHETIC monitoring data)" "/z/450202/water?year=2023"
run "air 2023 (reviewer: upload forms)" "/z/450202/air?year=2023" "$reviewer"
run "data entry 2022 (editor)" "/z/450202/entry?year=2022" "$editor"
run "review (reviewer)" "/z/450202/review" "$reviewer"
run "login page" "/login"
run "users (admin)" "/admin/users" "$admin"
run "departments (admin)" "/admin/departments" "$admin"
