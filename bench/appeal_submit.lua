-- wrk script: POST appeals as many citizens, each request with a unique Idempotency-Key and a
-- varied text (so that repeated-appeal detection does real work but rarely matches).
local tokens = {}
local counter = 0
-- Not local: setup() assigns it per thread with thread:set, which sets a global.
thread_id = 0
local next_thread_id = 0
local words = {"жол", "көше", "жарық", "су", "жылу", "мектеп", "аурухана", "автобус", "дорога",
  "улица", "освещение", "вода", "отопление", "школа", "больница", "автобус", "яма", "мусор",
  "двор", "парк", "лифт", "крыша", "подъезд", "тротуар", "светофор", "остановка"}
local categories = {"roads.repair", "roads.lighting", "housing.heating", "housing.water", "ecology.greenery", "other"}
local katos = {"611600000", "750000000", "710000000", "350000000", "550000000", "790000000"}

local threads = {}
function setup(thread)
  thread:set("thread_id", next_thread_id)
  next_thread_id = next_thread_id + 1
  threads[#threads + 1] = thread
end

function init(args)
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
  f:close()
  math.randomseed(os.time() + thread_id * 7919)
end

function request()
  counter = counter + 1
  local t = {}
  for i = 1, 12 do t[i] = words[math.random(#words)] end
  local body = string.format(
    '{"form":"application","language":"%s","category_id":"%s","kato":"%s","text":"%s %d"}',
    (counter % 2 == 0) and "kk" or "ru", categories[math.random(#categories)], katos[math.random(#katos)],
    table.concat(t, " "), counter)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
    ["Idempotency-Key"] = string.format("bench-%d-%d-%d", thread_id, counter, math.random(1e9)),
  }
  return wrk.format("POST", "/api/v1/appeals", headers, body)
end

created = 0
function response(status, headers, body)
  if status == 201 then created = created + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("created") end
  io.write(string.format("wrk-summary created_201=%d requests=%d non2xx=%d socket_errors=%d p50_ms=%.2f p99_ms=%.2f\n",
    total, summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
