-- wrk script for scripts/bench-system1.sh h1: POST /metrics with the body in the file named
-- by BODY_FILE - the very bytes h2load sends in the h2 scenario, so HTTP/1.1 and HTTP/2
-- carry the same work.
local file = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()
