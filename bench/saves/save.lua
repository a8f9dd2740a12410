-- wrk script of bench/saves/run.sh: each wrk thread is one writer (one connection, one session, one row),
-- saving a draft of its row for YEAR again and again (a new value each time, so every save writes a revision).
-- SESSIONS: file of "cookie csrf row" lines, one per writer.
local sessions = {}
for line in io.lines(os.getenv("SESSIONS")) do
  local cookie, csrf, row = line:match("^(%S+) (%S+) (%S+)$")
  if cookie then table.insert(sessions, { cookie = cookie, csrf = csrf, row = row }) end
end
local year = os.getenv("YEAR") or "2024"
local next_id = 1
setup = function(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end
local counter = 0
request = function()
  local s = sessions[((id or 1) - 1) % #sessions + 1]
  counter = counter + 1
  local body = string.format('{"value": "%.1f", "source": "负载测试 SYNTHETIC", "reason": "bench"}', 50 + (counter % 400) / 10)
  return wrk.format("PUT", "/api/v1/zones/450202/values/" .. s.row .. "/" .. year,
    { ["Cookie"] = s.cookie, ["X-CSRF-Token"] = s.csrf, ["Content-Type"] = "application/json" }, body)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT saves=%d per_s=%.1f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f non2xx=%d errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
