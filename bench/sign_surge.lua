-- wrk script: each request signs the petition as the next citizen (a fresh IdP token and a
-- distinct client address behind the trusted proxy); acknowledged serials are collected.
-- With "health" as the petition argument the same requests (same headers, same per-request
-- Lua work on both sides of the exchange) go to GET /health instead: the trivial endpoint
-- under the same load, so the share compares what the server does, not what wrk does.
-- The requests are formatted once, in init, before the clock starts.
local reqs = {}
local pos = 0
thread_id = 0
nthreads = 1
local next_thread_id = 0
local threads = {}
local path

function setup(thread)
  thread:set("thread_id", next_thread_id)
  next_thread_id = next_thread_id + 1
  threads[#threads + 1] = thread
end

function init(args)
  local method = "POST"
  path = "/api/v1/petitions/" .. args[1] .. "/signatures"
  if args[1] == "health" then method, path = "GET", "/health" end
  local n = tonumber(args[3])
  local i = 0
  for line in io.lines(args[2]) do
    if i % n == thread_id then
      local serial, tok, ip = line:match("(%d+) (%S+) (%S+)")
      reqs[#reqs + 1] = wrk.format(method, path, {["Authorization"] = "Bearer " .. tok, ["X-Forwarded-For"] = ip}, "")
    end
    i = i + 1
  end
end

function request()
  pos = pos + 1
  return reqs[(pos - 1) % #reqs + 1]
end

acked = {}
created = 0
conflicts = 0
function response(status, headers, body)
  if status == 201 then
    created = created + 1
    acked[#acked + 1] = body:match('"public_name":"B(%d+) ')
  elseif status == 409 then
    conflicts = conflicts + 1
  end
end

function done(summary, latency, requests)
  local total, conf = 0, 0
  local f = assert(io.open(os.getenv("SIGN_ACKED"), "w"))
  for _, t in ipairs(threads) do
    total = total + t:get("created")
    conf = conf + t:get("conflicts")
    for _, s in ipairs(t:get("acked")) do f:write(s, "\n") end
  end
  f:close()
  io.write(string.format("wrk-summary created_201=%d conflicts_409=%d requests=%d non2xx=%d socket_errors=%d p50_ms=%.2f p99_ms=%.2f\n",
    total, conf, summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
