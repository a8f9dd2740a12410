-- wrk script: GET the assessment of a random synthetic zone (900000 + 0..ZONES-1) and year (2015..2024).
local zones = tonumber(os.getenv("ZONES") or "3000")
local first_year = tonumber(os.getenv("FIRST_YEAR") or "2015")
local years = tonumber(os.getenv("YEARS") or "10")
math.randomseed(os.time())
request = function()
  local zone = string.format("9%05d", math.random(0, zones - 1))
  local year = first_year + math.random(0, years - 1)
  return wrk.format("GET", "/api/v1/zones/" .. zone .. "/assessment?year=" .. year)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.1f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d connect_err=%d read_err=%d write_err=%d timeouts=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
