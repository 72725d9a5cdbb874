-- GET one path (or a path with {id} replaced by a random id in 1..N) with a bearer token.
--   wrk -s bench/wrk/get.lua URL -- TOKEN PATH [N]
local token, path, n
local threads = {}
errors = 0

function setup(thread) table.insert(threads, thread) end

function init(args)
  token, path, n = args[1], args[2], tonumber(args[3] or "0")
  math.randomseed(os.time())
end

function request()
  local p = path
  if n > 0 then p = p:gsub("{id}", tostring(math.random(1, n))) end
  return wrk.format("GET", p, { ["Authorization"] = "Bearer " .. token })
end

function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end

function done(summary, latency, requests)
  local e = 0
  for _, t in ipairs(threads) do e = e + t:get("errors") end
  io.write(string.format("NON200 %d\n", e))
end
