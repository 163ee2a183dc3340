-- wrk's script for bench/loadtest.py: GETs the paths listed in the file named after `--`,
-- each thread from its own place in the list, counts answers other than 200 by status,
-- and ends with one line of JSON (times in milliseconds).
local paths = {}
local next_path = 0
not_ok = {} -- status -> answers
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    table.insert(paths, line)
  end
  next_path = (id * 7919) % #paths -- each thread starts at a place of its own
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok[status] = (not_ok[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local by_status = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("not_ok")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local not_200 = {}
  for status, count in pairs(by_status) do
    table.insert(not_200, string.format('"%d": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "not_200": {%s}, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "timeouts": %d, '
      .. '"p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, "max_ms": %.1f, "mean_ms": %.1f}\n',
    summary.requests, summary.duration / 1e6, table.concat(not_200, ", "), errors.connect,
    errors.read, errors.write, errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000
  ))
end
