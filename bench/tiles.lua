-- wrk script for bench/tiles-vs-nginx.sh: every request asks for a tile picked at random from the
-- file named by $TILES (one URL path a line), so the servers see many different tiles, as under a
-- crowd of viewers panning and zooming. $TOKEN, when set, goes out as a bearer token (nginx ignores it).
local counter = 0
local paths = {}

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  for line in io.lines(os.getenv("TILES")) do
    paths[#paths + 1] = line
  end
  math.randomseed(1000 + (seed or 0))
  local token = os.getenv("TOKEN")
  if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local failed = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT tiles_per_s=%.0f requests=%d failed=%d mb_per_s=%.1f p99_ms=%.2f\n",
    (summary.requests - failed) / seconds, summary.requests, failed, summary.bytes / seconds / 1e6,
    latency:percentile(99) / 1000))
end
