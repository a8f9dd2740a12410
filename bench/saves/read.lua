-- Reads of the year the writers invalidate (bench/saves/run.sh): PATH, e.g. the assessment of YEAR.
local path = os.getenv("READ_PATH")
request = function() return wrk.format("GET", path, { ["Accept-Encoding"] = "gzip" }) end
done = function(summary, latency, requests)
  io.write(string.format("RESULT reads=%d per_s=%.0f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f non2xx=%d errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
