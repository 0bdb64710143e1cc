-- Requests for one endpoint of one project, sent by wrk for bench/run.py.
--
-- Every setting comes from the environment (BENCH_*). wrk keeps each of its
-- connections busy with requests back to back; this script builds each
-- request, counts the answers by status and writes the run's figures as JSON
-- to BENCH_OUTPUT when wrk is done.

local scenario = os.getenv("BENCH_SCENARIO")
local flavour = os.getenv("BENCH_FLAVOUR")
local login = os.getenv("BENCH_LOGIN")
local password = os.getenv("BENCH_PASSWORD")
local token = os.getenv("BENCH_TOKEN") or ""
local output = os.getenv("BENCH_OUTPUT")
-- Unique per run, so addresses registered by one run never meet another's.
local run_id = os.getenv("BENCH_RUN_ID")

local prefix = "/api/v1/accounts/"
local json_headers = { ["Content-Type"] = "application/json" }
local threads = {}
local sequence = 0
statuses = {}

local function quoted(text)
  -- The values used here hold no quote or backslash; refuse any that do.
  assert(not text:find('["\\]'), "unexpected character in " .. text)
  return '"' .. text .. '"'
end

local function json_object(pairs_list)
  local parts = {}
  for _, pair in ipairs(pairs_list) do
    parts[#parts + 1] = quoted(pair[1]) .. ":" .. quoted(pair[2])
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

local fixed = {
  profile = function()
    return wrk.format("GET", prefix .. "profile/", { ["Authorization"] = "Token " .. token })
  end,
  login = function()
    local body = json_object({ { "login", login }, { "password", password } })
    return wrk.format("POST", prefix .. "login/", json_headers, body)
  end,
  reset = function()
    local body = json_object({ { "login", login } })
    return wrk.format("POST", prefix .. "send-reset-password-link/", json_headers, body)
  end,
}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  threads[#threads + 1] = thread
end

function init(_args)
  if fixed[scenario] then
    local prepared = fixed[scenario]()
    request = function()
      return prepared
    end
  end
end

function request()
  -- Only register comes here: a new address for every request.
  sequence = sequence + 1
  local name = string.format("load-%s-%d-%d", run_id, thread_number, sequence)
  local fields = {
    { "email", name .. "@example.com" },
    { "password", password },
    { "password_confirm", password },
  }
  if flavour == "baseline" then
    fields[#fields + 1] = { "username", name }
  end
  return wrk.format("POST", prefix .. "register/", json_headers, json_object(fields))
end

function response(status, _headers, _body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, _requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  local counts = {}
  for status, count in pairs(totals) do
    counts[#counts + 1] = string.format('"%d":%d', status, count)
  end
  local errors = summary.errors
  local file = assert(io.open(output, "w"))
  file:write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},'
      .. '"statuses":{%s}}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.timeout,
    table.concat(counts, ",")
  ))
  file:close()
end
