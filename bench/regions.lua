-- wrk script for bench/multi-instance.sh: every request creates a small polygon region on a slice
-- picked at random from $SLICES (comma-separated ids), at a random place, with the bearer token
-- $TOKEN (scope write). Only 2xx answers count as writes.
local counter = 0
local slices = {}

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  for id in string.gmatch(os.getenv("SLICES"), "[^,]+") do
    slices[#slices + 1] = id
  end
  math.randomseed(2000 + (seed or 0))
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local x, y = math.random(0, 900), math.random(0, 900)
  local body = string.format('{"type":"Feature","properties":{"classification":{"name":"Tumor"}},'
    .. '"geometry":{"type":"Polygon","coordinates":[[[%d,%d],[%d,%d],[%d,%d],[%d,%d],[%d,%d]]]}}',
    x, y, x + 20, y, x + 20, y + 15, x, y + 15, x, y)
  return wrk.format("POST", "/api/v1/slices/" .. slices[math.random(#slices)] .. "/regions", nil, body)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local failed = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT per_s=%.0f requests=%d failed=%d p99_ms=%.2f\n",
    (summary.requests - failed) / seconds, summary.requests, failed, latency:percentile(99) / 1000))
end
