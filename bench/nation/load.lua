-- wrk script of the nation benchmark (bench/nation/run.sh). MODE:
--   assess  anonymous GET of a random county's assessment (Accept-Encoding: gzip)
--   me      signed-in GET /api/v1/me (session, account and every role of the caller)
--   page    signed-in GET of the caller's county dashboard page /z/{code}?year= (HTML: roles, the zone,
--           the assessment, the departments' workflow progress from the store)
--   mixed   1/4 signed-in /api/v1/me, 1/4 signed-in assessment of the caller's county, 1/2 anonymous assessment
--   write   signed-in PUT of a value of the caller's county for the year after the generated ones (a draft
--           in a plan year: the generated years hold approved, locked values), by a county reviewer (the
--           sessions marked "w"; provincial viewers may not write)
-- SESSIONS: file of "cookie csrf zone [w]" lines; CODES: file of county codes; FIRST_YEAR, YEARS.
local mode = os.getenv("MODE") or "mixed"
local first_year = tonumber(os.getenv("FIRST_YEAR") or "2015")
local years = tonumber(os.getenv("YEARS") or "10")
local sessions, writers, codes = {}, {}, {}
for line in io.lines(os.getenv("SESSIONS")) do
  local cookie, csrf, zone, mark = line:match("^(%S+) (%S+) (%S+) ?(%S*)$")
  if cookie then
    local s = { cookie = cookie, csrf = csrf, zone = zone }
    table.insert(sessions, s)
    if mark == "w" then table.insert(writers, s) end
  end
end
for line in io.lines(os.getenv("CODES")) do table.insert(codes, line) end
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
local function year() return first_year + math.random(0, years - 1) end
local function anonymous()
  return wrk.format("GET", "/api/v1/zones/" .. codes[math.random(#codes)] .. "/assessment?year=" .. year(),
    { ["Accept-Encoding"] = "gzip" })
end
local counter = 0
request = function()
  local s = sessions[math.random(#sessions)]
  if mode == "assess" then return anonymous() end
  if mode == "me" then return wrk.format("GET", "/api/v1/me", { ["Cookie"] = s.cookie }) end
  if mode == "page" then
    return wrk.format("GET", "/z/" .. s.zone .. "?year=" .. year(), { ["Cookie"] = s.cookie, ["Accept-Encoding"] = "gzip" })
  end
  if mode == "write" then
    s = writers[math.random(#writers)]
    counter = counter + 1
    local body = string.format('{"value": "%.1f", "source": "负载测试 SYNTHETIC", "reason": "bench"}', 90 + (counter % 90) / 10)
    return wrk.format("PUT", "/api/v1/zones/" .. s.zone .. "/values/7.1/" .. (first_year + years),
      { ["Cookie"] = s.cookie, ["X-CSRF-Token"] = s.csrf, ["Content-Type"] = "application/json" }, body)
  end
  local r = math.random()
  if r < 0.25 then return wrk.format("GET", "/api/v1/me", { ["Cookie"] = s.cookie }) end
  if r < 0.5 then
    return wrk.format("GET", "/api/v1/zones/" .. s.zone .. "/assessment?year=" .. year(),
      { ["Cookie"] = s.cookie, ["Accept-Encoding"] = "gzip" })
  end
  return anonymous()
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT mode=%s requests=%d rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d errors=%d\n",
    mode, summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
