#!/usr/bin/env bash
# Load-and-abuse run against `ecociv serve --demo` on 127.0.0.1 (a throwaway SQLite file), bounded in time:
#   1. 40 concurrent wrong passwords on one account → the account ends locked, ≤ 4 checked;
#   2. malformed bodies, wrong Content-Types and methods → every answer JSON in the error shape;
#   3. a 40 MB body on an import route → refused early (413, JSON), the server's RSS stays bounded;
#   4. hostile `next` values on /lang and /login → Location is always a same-site path;
#   5. /api/v1/health probed every 20 ms while two ${LOAD_MB:-30} MB dry-run imports run → the probe latencies.
#
#   bench/abuse/run.sh                    # builds the release binary
#   ECOCIV_BIN=target/debug/ecociv bench/abuse/run.sh   # any binary
#
# Prints PASS/FAIL per check and the figures; record them in docs/benchmarks.md with the machine and load.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18190}
LOAD_MB=${LOAD_MB:-30}
TARGET=${CARGO_TARGET_DIR:-target}
if [ -z "${ECOCIV_BIN:-}" ]; then
  cargo build --release -p ecociv --bin ecociv
  ECOCIV_BIN=$TARGET/release/ecociv
fi
WORK=$(mktemp -d /tmp/ecociv-abuse.XXXXXX)
BASE=http://127.0.0.1:$PORT
"$ECOCIV_BIN" serve --demo --insecure-cookies --no-background-assessments --listen "127.0.0.1:$PORT" \
  --db "sqlite://$WORK/abuse.sqlite3" >"$WORK/out" 2>"$WORK/err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 300); do curl -fs "$BASE/api/v1/health" >/dev/null && break; sleep 0.1; done
pw() { awk -v u="$1" '$1 == u {print $NF}' "$WORK/out"; }
fail=0
check() { if [ "$1" = ok ]; then echo "PASS $2"; else echo "FAIL $2"; fail=1; fi; }
# A client: cookie jar + pre-login token.
prelogin() { curl -s -c "$1" "$BASE/api/v1/auth/csrf" | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/'; }
login() { # jar user password → session CSRF token
  local token; token=$(prelogin "$1")
  curl -s -b "$1" -c "$1" -H "X-CSRF-Token: $token" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"$3\"}" "$BASE/api/v1/auth/login" | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/'
}

echo "== 1. 40 concurrent wrong passwords on 'viewer'"
for i in $(seq 40); do
  ( token=$(prelogin "$WORK/j$i"); curl -s -b "$WORK/j$i" -H "X-CSRF-Token: $token" -H 'Content-Type: application/json' \
      -d '{"username":"viewer","password":"wrong password"}' "$BASE/api/v1/auth/login" >"$WORK/r$i" ) &
done
wait $(jobs -p | grep -v "^$SERVER$") 2>/dev/null || true
checked=$(grep -l '"login_failed"' "$WORK"/r* | wc -l)
right=$(login "$WORK/jr" viewer "$(pw viewer)")
echo "checked: $checked of 40; the right password afterwards: ${right:0:20}"
[ "$checked" -le 4 ] && [ ${#right} -ne 64 ] && check ok "lockout under concurrency" || check no "lockout under concurrency"

echo "== 2. malformed requests"
admin=$(login "$WORK/ja" admin "$(pw admin)")
bad=0; total=0
while read -r method path ctype body; do
  total=$((total + 1))
  out=$(curl -s -o "$WORK/b" -w '%{http_code} %{content_type}' -X "$method" -b "$WORK/ja" -H "X-CSRF-Token: $admin" \
        -H "Content-Type: $ctype" --data-binary "$body" "$BASE$path")
  case "$out" in 4*application/json*|5*application/json*) grep -q '"error":{' "$WORK/b" || bad=$((bad + 1));; *) bad=$((bad + 1)); echo "  $method $path → $out";; esac
done <<'LIST'
POST /api/v1/auth/login application/json {
POST /api/v1/auth/login text/plain x
PUT /api/v1/zones/450202/values/7.1/abc application/json {"value":"1"}
PUT /api/v1/zones/450202/values/7.1/2022 application/json [1]
GET /api/v1/zones/450202/progress application/json -
GET /api/v1/zones/450202/assessment?year=x application/json -
GET /api/v1/zones/450202/assessment?year=1999 application/json -
DELETE /api/v1/zones application/json -
PATCH /api/v1/users application/json {}
GET /api/v1/nope application/json -
POST /api/v1/users application/json {"username":"аdmin","display_name":"x","password":"生态文明建设示范区2030"}
POST /api/v1/users application/json {"username":"ADMIN","display_name":"x","password":"生态文明建设示范区2030"}
POST /api/v1/users application/json {"username":"nobody2","display_name":"x","password":"          "}
LIST
echo "$((total - bad)) of $total in the JSON error shape"
[ "$bad" -eq 0 ] && check ok "error contract" || check no "error contract"

echo "== 3. a 40 MB body on the import route"
head -c $((40 << 20)) /dev/zero | tr '\0' 'x' >"$WORK/big"
code=$(curl -s -o "$WORK/b" -w '%{http_code}' -b "$WORK/ja" -H "X-CSRF-Token: $admin" -H 'Content-Type: text/csv' \
       --data-binary @"$WORK/big" "$BASE/api/v1/zones/450202/import?dry_run=true")
rss=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status)
echo "status $code, server RSS ${rss} KB"
[ "${code:0:1}" = 4 ] && grep -q '"error"' "$WORK/b" && check ok "big body refused" || check no "big body refused"

echo "== 4. hostile next"
badnext=0
for next in '//evil.example/' '/%09/evil.example/' '/%0A/x' '/%5Cevil.example' 'https://evil.example/' '/%E2%80%AE/x'; do
  loc=$(curl -s -o /dev/null -w '%{redirect_url}' "$BASE/lang/en?next=$next")
  [ "$loc" = "$BASE/" ] || { badnext=1; echo "  $next → $loc"; }
done
[ "$badnext" -eq 0 ] && check ok "same-site next" || check no "same-site next"

echo "== 5. health while two ${LOAD_MB} MB dry-run imports run"
editor=$(login "$WORK/je" editor-env "$(pw editor-env)")
{ echo "indicator,year,value,assigned"; yes '7.1,2022,95,' | head -c $((LOAD_MB << 20)) || true; } >"$WORK/values.csv"
for i in 1 2; do
  curl -s -o /dev/null -w "import $i: %{http_code} in %{time_total} s\n" -b "$WORK/je" -H "X-CSRF-Token: $editor" \
    -H 'Content-Type: text/csv' --data-binary @"$WORK/values.csv" "$BASE/api/v1/zones/450202/import?dry_run=true" &
done
IMPORTS=$(jobs -p | grep -v "^$SERVER$" | tr '\n' ' ')
: >"$WORK/probes"
while kill -0 $IMPORTS 2>/dev/null; do
  curl -s -o /dev/null -w '%{time_total}\n' "$BASE/api/v1/health" >>"$WORK/probes"; sleep 0.02
done
wait $IMPORTS 2>/dev/null || true
sort -n "$WORK/probes" | awk '{a[NR]=$1} END {printf "health probes: %d, median %.1f ms, p99 %.1f ms, max %.1f ms\n", NR, a[int(NR/2)+1]*1000, a[int(NR*0.99)+1]*1000, a[NR]*1000; if (a[int(NR/2)+1] < 0.1) exit 0; else exit 1}' \
  && check ok "health during imports" || check no "health during imports"
echo "server RSS after: $(awk '/VmRSS/ {print $2}' /proc/$SERVER/status) KB; load: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $fail
