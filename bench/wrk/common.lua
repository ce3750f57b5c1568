-- Shared by every workload: bearer tokens round-robin per connection, JSON summary at the end.
-- The tokens file has one "<person id> <access token>" line per person.
local tokens = {}
local token_index = 0
current_person = nil

function load_tokens(path)
  for line in io.lines(path) do
    local id, token = string.match(line, "^(%d+) (%S+)$")
    if id then tokens[#tokens + 1] = { id = id, token = token } end
  end
end

function next_token()
  token_index = token_index % #tokens + 1
  current_person = tokens[token_index].id
  return tokens[token_index].token
end

function auth_get(path)
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. next_token() })
end

function auth_post(path, body, extra, token)
  local headers = {
    ["Authorization"] = "Bearer " .. (token or next_token()),
    ["Content-Type"] = "application/json",
  }
  for k, v in pairs(extra or {}) do headers[k] = v end
  return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "errors_status": %d, "errors_connect": %d, ' ..
    '"errors_read": %d, "errors_write": %d, "errors_timeout": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
