-- wrk script for the fault campaign's overload scenario (lesson 20): POST /metrics/batch
-- with 100 valid metrics per request, and a count of every answer, so the campaign can check
-- that an overloaded ingest only ever says 202 or 503 - never 500, never a stack trace - and
-- that every 503 says when to come back (Retry-After). wrk's own summary only counts
-- "non-2xx"; this script tells a refusal from a failure.
--
--   wrk -t2 -c400 -d30s --timeout 10s -s scripts/wrk-overload.lua http://127.0.0.1:4000
--
-- done() prints one line of JSON: {"requests":..,"accepted":..,"refused":..,"other":..,
-- "noRetryAfter":..,"stackTraces":..,"timeouts":..,"socketErrors":..,"seconds":..}.
-- Each wrk thread runs this file in a Lua state of its own: the counts are per thread,
-- summed in done() through the thread objects setup() kept.
local batch_size = 100
local now = os.time() * 1000
local body
local threads = {}

accepted, refused, other, no_retry_after, stack_traces = 0, 0, 0, 0, 0

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    local items = {}
    for i = 0, batch_size - 1 do
        items[#items + 1] = string.format(
            '{"serverId":"overload-%d","timestamp":%d,"metrics":{"cpu":%d.5,"memory":55.25,' ..
            '"disk":70.5,"network":{"in":%d,"out":%d}}}', i, now, i % 100, 100 * i, 70 * i)
    end
    body = "[" .. table.concat(items, ",") .. "]"
    wrk.method = "POST"
    wrk.path = "/metrics/batch"
    wrk.headers["Content-Type"] = "application/json"
    wrk.body = body
end

-- Header names are case-insensitive (RFC 9110 §5.1); servers spell them as they like.
local function has_header(headers, wanted)
    for name, _ in pairs(headers) do
        if name:lower() == wanted then
            return true
        end
    end
    return false
end

-- A Java stack trace in an answer would show a frame ("\tat ") or an exception's class name.
local function has_stack_trace(text)
    return text ~= nil and (text:find("\tat ", 1, true) or text:find("Exception", 1, true))
end

function response(status, headers, answer)
    if status == 202 then
        accepted = accepted + 1
    elseif status == 503 then
        refused = refused + 1
        if not has_header(headers, "retry-after") then
            no_retry_after = no_retry_after + 1
        end
    else
        other = other + 1
    end
    if has_stack_trace(answer) then
        stack_traces = stack_traces + 1
    end
end

function done(summary, latency, requests)
    local sums = { accepted = 0, refused = 0, other = 0, no_retry_after = 0, stack_traces = 0 }
    for _, thread in ipairs(threads) do
        for name, _ in pairs(sums) do
            sums[name] = sums[name] + thread:get(name)
        end
    end
    local errors = summary.errors
    io.write(string.format(
        '{"requests":%d,"accepted":%d,"refused":%d,"other":%d,"noRetryAfter":%d,' ..
        '"stackTraces":%d,"timeouts":%d,"socketErrors":%d,"seconds":%.3f,"metricsPerRequest":%d}\n',
        summary.requests, sums.accepted, sums.refused, sums.other, sums.no_retry_after,
        sums.stack_traces, errors.timeout, errors.connect + errors.read + errors.write,
        summary.duration / 1e6, batch_size))
end
