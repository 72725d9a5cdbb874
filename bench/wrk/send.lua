-- Create-and-send referrals: POST /api/v1/referrals (officer) → POST …/{id}/submit (officer) →
-- POST …/{id}/approve (leader: numbered, sent, the receiver's duty opened). Each request carries
-- a unique Idempotency-Key. Responses feed queues (wrk does not say which connection answered),
-- so each connection takes the next step of whichever referral is ready. Prints the completed
-- sends (approve answered 200 with state "sent").
--   wrk -s bench/wrk/send.lua URL -- OFFICER_TOKEN LEADER_TOKEN TO_ORG TOWNSHIP MATTER FILE_SHA
local officer, leader, body
local submitq, approveq = {}, {}
local seq = 0
local run = tostring(os.time()) .. "-" .. tostring(math.random(1, 1000000))
local threads = {}
sends, creates, submits, errors = 0, 0, 0, 0

function setup(thread) table.insert(threads, thread) end

function init(args)
  officer, leader = args[1], args[2]
  body = string.format([[{"matter":"%s","to_org":%s,"township":%s,"place":"云岭零零镇解放路1号",]] ..
    [["discovered_at":"2026-11-20T09:00:00+08:00","facts":"执法人员巡查发现当事人在该处从事违法经营活动，现场制作检查笔录并拍照取证。",]] ..
    [["party":{"name":"陈某某","address":"云岭零零镇解放路12号","phone":"13800000000"},]] ..
    [["legal_basis":"《无证无照经营查处办法》第十三条",]] ..
    [["evidence":[{"name":"现场检查笔录","description":"检查笔录一份","file":"%s"}],]] ..
    [["urgent":false,"ongoing":false,]] ..
    [["checklist":{"facts_clear":true,"evidence_complete":true,"procedure_lawful":true,"formalities_complete":true}}]],
    args[5], args[3], args[4], args[6])
end

local function headers(token)
  seq = seq + 1
  return { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json",
           ["Idempotency-Key"] = "bench-" .. run .. "-" .. seq }
end

function request()
  if #approveq > 0 then
    local id = table.remove(approveq, 1)
    return wrk.format("POST", "/api/v1/referrals/" .. id .. "/approve", headers(leader), "{}")
  elseif #submitq > 0 then
    local id = table.remove(submitq, 1)
    return wrk.format("POST", "/api/v1/referrals/" .. id .. "/submit", headers(officer), "{}")
  end
  return wrk.format("POST", "/api/v1/referrals", headers(officer), body)
end

function response(status, hdrs, b)
  if status ~= 200 and status ~= 201 then
    errors = errors + 1
    if errors <= 3 then io.stderr:write("send.lua: " .. status .. " " .. b:sub(1, 300) .. "\n") end
    return
  end
  local id = b:match('^{"id":(%d+)')
  local state = b:match('"state":"(%a+)"')
  if not id then errors = errors + 1; return end
  if state == "draft" then creates = creates + 1; table.insert(submitq, id)
  elseif state == "submitted" then submits = submits + 1; table.insert(approveq, id)
  elseif state == "sent" then sends = sends + 1
  else errors = errors + 1 end
end

function done(summary, latency, requests)
  local s, c, u, e = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    s = s + t:get("sends"); c = c + t:get("creates"); u = u + t:get("submits"); e = e + t:get("errors")
  end
  io.write(string.format("SENDS %d CREATES %d SUBMITS %d ERRORS %d DURATION_US %d\n", s, c, u, e,
                         summary.duration))
end
