-- wrk script for scripts/bench-system1.sh: POST /metrics with a valid metric of the
-- contract. Ten bodies (ten serverIds) are built once and cycled, so wrk spends its CPU on
-- sockets, not on Lua. The timestamp is the time wrk started: valid, since only
-- timestamps more than 5 minutes in the future are refused.
local now = os.time() * 1000
local requests = {}
local next_request = 0

function init(args)
    for i = 0, 9 do
        local body = string.format(
            '{"serverId":"wrk-%d","timestamp":%d,"metrics":{"cpu":%d.5,"memory":55.25,"disk":70.5,' ..
            '"network":{"in":%d,"out":%d}}}', i, now, 20 + 5 * i, 100 * i, 70 * i)
        requests[i] = wrk.format("POST", "/metrics", { ["Content-Type"] = "application/json" }, body)
    end
end

function request()
    local r = requests[next_request]
    next_request = (next_request + 1) % 10
    return r
end
