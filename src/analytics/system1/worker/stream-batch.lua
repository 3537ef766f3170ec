-- One batch of stream entries processed atomically (StreamWorkerScript loads and runs it;
-- lesson 12). Redis runs a script to the end before any other command, so "which entries
-- are still mine?", the writes and the XACK are one step that no other worker can split.
--
-- KEYS[1]  the stream             KEYS[2]  the set of servers
-- KEYS[3i], KEYS[3i+1], KEYS[3i+2]  entry i's latest hash, totals hash, minute bucket hash
-- ARGV[1]  group   ARGV[2] consumer   ARGV[3] channel   ARGV[4] bucket TTL (s)
-- ARGV[5], ARGV[6]  the lowest and highest entry id of the batch
-- ARGV[7]  PUBLISH, or SPUBLISH for a shard channel (a split stream, lesson 21)
-- ARGV[8 + 10(i-1) ...]  entry i: id, serverId, timestamp, metrics JSON, message to
--                        PUBLISH, cpu, memory, disk, network in, network out
-- Returns {applied, no longer pending, failed, first error or ""}.
local FIELDS = 10
-- A row of sums, in MetricAggregates' field names: Lua's row[1..6].
local ROW_FIELDS = { 'count', 'cpuSum', 'memorySum', 'diskSum', 'networkInSum', 'networkOutSum' }
local HEAD = 7
local n = (#ARGV - HEAD) / FIELDS
local publish = ARGV[7] == 'SPUBLISH' and 'SPUBLISH' or 'PUBLISH'

-- Step 1, "already done?": one XPENDING for this consumer over the batch's id range. An entry
-- acknowledged meanwhile (by a worker that also held it), or claimed away by the reclaimer,
-- is not in the answer and is left alone: whoever holds it now applies it, exactly once.
-- COUNT leaves room for entries of this consumer in the range that are not in the batch
-- (only a reclaimer has such: earlier failures); one cut off stays pending and comes back.
local mine = {}
for _, p in ipairs(redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[5], ARGV[6], 2 * n, ARGV[2])) do
  mine[p[1]] = true
end

-- Step 2, fold: per server, the newest sample and one row of sums per hash (the running
-- totals and each minute bucket), in Lua tables - no Redis call per entry yet. This loop
-- runs for every entry, so it parses each number once and builds no table per entry.
local tonumber = tonumber
local servers, names = {}, {}
local function add_to(row, cpu, memory, disk, net_in, net_out)
  row[1], row[2], row[3] = row[1] + 1, row[2] + cpu, row[3] + memory
  row[4], row[5], row[6] = row[4] + disk, row[5] + net_in, row[6] + net_out
end
local duplicates = 0
for i = 1, n do
  local a = HEAD + 1 + (i - 1) * FIELDS
  if mine[ARGV[a]] then
    local name = ARGV[a + 1]
    local s = servers[name]
    if s == nil then
      s = { latest = KEYS[3 * i], totals = KEYS[3 * i + 1], total = { 0, 0, 0, 0, 0, 0 },
            buckets = {}, entries = {}, newest = -1 / 0 }
      servers[name] = s
      names[#names + 1] = name
    end
    s.entries[#s.entries + 1] = a
    local timestamp = tonumber(ARGV[a + 2])
    -- ">=": on a tie the later entry wins, as it would processing one by one.
    if timestamp >= s.newest then
      s.newest, s.timestamp, s.metrics = timestamp, ARGV[a + 2], ARGV[a + 3]
    end
    local bucket = s.buckets[KEYS[3 * i + 2]]
    if bucket == nil then
      bucket = { 0, 0, 0, 0, 0, 0 }
      s.buckets[KEYS[3 * i + 2]] = bucket
    end
    local cpu, memory, disk = tonumber(ARGV[a + 5]), tonumber(ARGV[a + 6]), tonumber(ARGV[a + 7])
    local net_in, net_out = tonumber(ARGV[a + 8]), tonumber(ARGV[a + 9])
    add_to(s.total, cpu, memory, disk, net_in, net_out)
    add_to(bucket, cpu, memory, disk, net_in, net_out)
  else
    duplicates = duplicates + 1
  end
end
if #names == 0 then
  return { 0, duplicates, 0, '' }
end

-- Step 3: SADD first - it is idempotent, so if it fails nothing has been counted yet.
redis.call('SADD', KEYS[2], unpack(names))

-- Step 4, per server a constant number of calls, whatever its number of entries. Scripts
-- have no rollback: a server whose write fails (WRONGTYPE on a key someone overwrote, a sum
-- that is not a number) keeps its entries pending - retried, visible - while the other
-- servers' entries go on.

-- add(key, row) reads the six fields, adds, writes them back: 2 calls instead of 6 HINCRBY(FLOAT)s, and
-- atomic all the same inside the script. A missing field (a new hash) is 0; one that is
-- not a number makes the addition fail, and with it this server's writes.
-- It answers whether the hash was new.
local function add(key, row)
  local current = redis.call('HMGET', key, unpack(ROW_FIELDS))
  local update = {}
  for f = 1, 6 do
    local old = current[f] == false and 0 or tonumber(current[f])
    update[2 * f - 1] = ROW_FIELDS[f]
    update[2 * f] = string.format('%.17g', old + row[f]) -- every digit of the double
  end
  redis.call('HSET', key, unpack(update))
  return current[1] == false
end
local function write(s)
  local previous = tonumber(redis.call('HGET', s.latest, 'timestamp'))
  if previous == nil or s.newest >= previous then
    redis.call('HSET', s.latest, 'timestamp', s.timestamp, 'metrics', s.metrics)
  end
  add(s.totals, s.total)
  for key, row in pairs(s.buckets) do
    -- A bucket lives for the TTL from its first sample, then vanishes by itself.
    if add(key, row) then redis.call('EXPIRE', key, ARGV[4]) end
  end
end
local applied, failed, first_error, done = 0, 0, '', {}
for _, name in ipairs(names) do
  local s = servers[name]
  local ok, err = pcall(write, s)
  if ok then
    for _, a in ipairs(s.entries) do done[#done + 1] = a end
  else
    failed = failed + #s.entries
    if first_error == '' then first_error = type(err) == 'table' and err.err or tostring(err) end
  end
end

-- Step 5: one PUBLISH (or SPUBLISH) per processed entry (the contract: one metric.processed per metric),
-- in stream order, then one XACK for all of them - last, so nothing is acknowledged that
-- was not done.
if #done > 0 then
  table.sort(done)
  local ids = {}
  for _, a in ipairs(done) do
    redis.call(publish, ARGV[3], ARGV[a + 4])
    ids[#ids + 1] = ARGV[a]
  end
  redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
  applied = #ids
end
return { applied, duplicates, failed, first_error }
