-- One script for every workload; BENCH_WORKLOAD picks the request mix.
package.path = package.path .. ";" .. os.getenv("BENCH_DIR") .. "/wrk/?.lua"
require("common")

local workload = os.getenv("BENCH_WORKLOAD")
local reward_ids = {}
local people_ids = {}
local counter = 0

function init(args)
  load_tokens(os.getenv("BENCH_TOKENS"))
  for id in string.gmatch(os.getenv("BENCH_REWARD_IDS") or "", "%d+") do reward_ids[#reward_ids + 1] = id end
  for id in string.gmatch(os.getenv("BENCH_PEOPLE_IDS") or "", "%d+") do people_ids[#people_ids + 1] = id end
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
  -- each wrk thread starts at a different token, so connections spread over people
  for _ = 1, math.random(1, 997) do next_token() end
end

local function redeem()
  local reward = reward_ids[math.random(#reward_ids)]
  return auth_post("/api/v1/redemptions/", '{"reward": ' .. reward .. '}')
end

local function recognise()
  local token = next_token()
  local giver = current_person
  local person = giver
  while person == giver do person = people_ids[math.random(#people_ids)] end
  local body = '{"message": "Thanks for the help", "recipients": [{"user": ' ..
    person .. ', "points": 1}], "values": []}'
  return auth_post("/api/v1/recognitions/", body, nil, token)
end

local reads = { "/api/v1/rewards/", "/api/v1/me/", "/api/v1/recognitions/", "/api/v1/points/entries/" }

request = function()
  counter = counter + 1
  if workload == "health" then
    return wrk.format("GET", "/health/")
  elseif workload == "catalog" then
    return auth_get("/api/v1/rewards/")
  elseif workload == "catalog_uncached" then
    -- a query string never seen before is a cache miss every time
    return auth_get("/api/v1/rewards/?nocache=" .. counter .. "-" .. math.random(1, 1000000000))
  elseif workload == "feed" then
    return auth_get("/api/v1/recognitions/")
  elseif workload == "leaderboard" then
    return auth_get("/api/v1/reports/leaderboard/?period=month")
  elseif workload == "me" then
    return auth_get("/api/v1/me/")
  elseif workload == "entries" then
    return auth_get("/api/v1/points/entries/")
  elseif workload == "redeem" then
    return redeem()
  elseif workload == "recognise" then
    return recognise()
  elseif workload == "mixed" then
    if counter % 10 == 0 then
      return redeem()
    end
    return auth_get(reads[counter % #reads + 1])
  elseif workload == "reads" then
    return auth_get(reads[counter % #reads + 1])
  end
  error("unknown BENCH_WORKLOAD " .. tostring(workload))
end
