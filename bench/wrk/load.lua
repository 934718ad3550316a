-- wrk script for bench/load.ts. Arguments (after --): mode, method, path, body, keys file, threads,
-- and a suffix written after each key (API v2's /reveal).
--   fixed: the same request every time (share, status, the raw ceiling)
--   keys:  path .. <next key from the file>; each thread takes every Nth key, never reusing one
--          (a used key of a one-time secret would only measure the cheap "unknown" answer)
--   loop:  like keys, but cycles through them (metadata: reading a receipt consumes nothing)
--   cycle: share, then reveal the secret_key its answer returned, on every connection
-- done() prints one line, "BENCH {json}", that load.ts reads.

local threads = {}
local nthreads = 0

function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
  table.insert(threads, thread)
end

local mode, method, path, body, keys_file, suffix
local keys, next_key, queue = {}, 1, {}
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
revealed, exhausted = 0, 0

function init(args)
  mode, method, path, body, keys_file, suffix = args[1], args[2], args[3], args[4], args[5], args[7] or ""
  local total = tonumber(args[6]) or 1
  if body == "" then body = nil end
  if keys_file ~= nil and keys_file ~= "" then
    local i = 0
    for line in io.lines(keys_file) do
      if i % total == tid then table.insert(keys, line) end
      i = i + 1
    end
  end
  -- Only the cycle reads answers: a response() function makes wrk parse every body.
  if mode == "cycle" then response = cycle_response end
end

function request()
  if mode == "keys" or mode == "loop" then
    if next_key > #keys then
      if mode == "keys" then exhausted = exhausted + 1 end
      next_key = 1
    end
    local key = keys[next_key]
    next_key = next_key + 1
    return wrk.format(method, path .. key .. suffix, headers, body)
  end
  if mode == "cycle" and #queue > 0 then
    local key = table.remove(queue)
    return wrk.format("POST", "/api/v1/secret/" .. key, headers, nil)
  end
  return wrk.format(method, path, headers, body)
end

function cycle_response(_, _, answer)
  -- A reveal's answer names its secret_key too: look for its value first.
  if answer:match('"value":') then
    revealed = revealed + 1
    return
  end
  local key = answer:match('"secret_key":"(%w+)"')
  if key ~= nil then table.insert(queue, key) end
end

function done(summary, latency, _)
  local total_revealed, total_exhausted = 0, 0
  for _, t in ipairs(threads) do
    total_revealed = total_revealed + (tonumber(t:get("revealed")) or 0)
    total_exhausted = total_exhausted + (tonumber(t:get("exhausted")) or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"status_errors":%d,"socket_errors":%d,"revealed":%d,"exhausted":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout, total_revealed, total_exhausted))
end
