-- wrk script: each connection waits `WRK_DELAY_MS` between requests, so that N connections
-- offer about N * 1000 / WRK_DELAY_MS requests/s (wrk 4 has no fixed-rate mode). Latency is
-- measured per request, without the wait.
local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "10")
function delay()
  return delay_ms
end
