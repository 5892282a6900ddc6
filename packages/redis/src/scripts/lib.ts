/**
 * Lua helpers every queue script starts with. A queue is a table of its 13 keys (`queue_at`),
 * in the order of `QUEUE_KEY_NAMES`; its dynamic keys (FIFO group lists, ready lanes,
 * deduplication keys) are derived from the same prefix and so carry the same hash tag.
 *
 * A message is one hash field: `msg[key]` = "rc:firstReceive:receivedAt:sent:state:seq:adopted:glen:"
 * followed by the group id (glen bytes, it may contain ':') and the envelope (opaque to Lua). Times
 * are base-36 milliseconds; state is d(elayed), r(eady), i(n flight) or x (being handed to a
 * dead-letter queue on another slot). The key is the message id in 22 base64url characters
 * (see message-key.ts). 'exp' holds the retention deadlines of
 * ready messages (delayed and in-flight ones are checked when they become ready).
 */
export const LUA_LIB = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Same rule as encodeKeyPart in keys.ts: keep [A-Za-z0-9_.-], percent-encode every other byte.
local function enc(s)
  return (string.gsub(s, '[^A-Za-z0-9_%.%-]', function(c) return string.format('%%%02X', string.byte(c)) end))
end

local function queue_at(o)
  return {
    cfg = KEYS[o], msg = KEYS[o + 1], exp = KEYS[o + 2], ready = KEYS[o + 3],
    delayed = KEYS[o + 4], inflight = KEYS[o + 5], groups = KEYS[o + 6],
    gorder = KEYS[o + 7], glock = KEYS[o + 8], wake = KEYS[o + 9], seq = KEYS[o + 10],
    out = KEYS[o + 11], adopted = KEYS[o + 12], base = string.sub(KEYS[o], 1, -4)
  }
end

local function load_cfg(Q)
  local v = redis.call('HMGET', Q.cfg, 'inc', 'fifo', 'vt', 'delay', 'ret', 'maxrc', 'dlq', 'scope', 'created', 'maxb')
  if not v[1] then return nil end
  return {
    inc = v[1], fifo = v[2] == '1', vt = tonumber(v[3]), delay = tonumber(v[4]), ret = tonumber(v[5]),
    maxrc = tonumber(v[6]), dlq = v[7] or '', scope = v[8], created = v[9], maxb = tonumber(v[10])
  }
end

local B36 = '0123456789abcdefghijklmnopqrstuvwxyz'
-- The last time encoded: a script stamps every message it touches with the same time.
local b36_n, b36_s = nil, nil
local function b36(n)
  if n <= 0 then return '0' end
  if n == b36_n then return b36_s end
  local s, v = '', n
  while v > 0 do
    local d = v % 36
    s = string.sub(B36, d + 1, d + 1) .. s
    v = (v - d) / 36
  end
  b36_n, b36_s = n, s
  return s
end

-- A time as stored: the text it was read as while it is unchanged (no re-encoding).
local function time36(n, read_n, read_s)
  if n == read_n then return read_s end
  return b36(n)
end

-- The fields after the state (sequence, adopted, group, envelope position) are parsed on first
-- read: most records are read for their counts and times only, and written back with that tail as
-- it was. Fields the caller has set already (adopt sets sn and ad) are kept.
local TAIL = { __index = function(M, k)
  if k ~= 'sn' and k ~= 'ad' and k ~= 'g' and k ~= 'envpos' then return nil end
  local raw = rawget(M, 'raw')
  local sn, ad, gl, pos = string.match(raw, '^(%d+):(%d):(%d+):()', rawget(M, 'tpos'))
  gl = tonumber(gl)
  local parsed = { sn = sn, ad = ad, g = string.sub(raw, pos, pos + gl - 1), envpos = pos + gl }
  for f, v in pairs(parsed) do
    if rawget(M, f) == nil then rawset(M, f, v) end
  end
  return rawget(M, k)
end }

-- Parses a stored message record (see the header of this file). The envelope is not copied out:
-- with large bodies each copy is most of a script's time, and most callers never need it.
local function parse_record(m)
  local rc, fr, ra, sent, st, tpos = string.match(m, '^(%d+):(%w+):(%w+):(%w+):(%a):()')
  local frn, sentn = tonumber(fr, 36), tonumber(sent, 36)
  return setmetatable({ rc = tonumber(rc), fr = frn, ra = tonumber(ra, 36), sent = sentn, st = st, raw = m,
    tpos = tpos, fr36 = fr, fr_n = frn, sent36 = sent, sent_n = sentn }, TAIL)
end

local function record_of(M)
  local head = M.rc .. ':' .. time36(M.fr, M.fr_n, M.fr36) .. ':' .. b36(M.ra) .. ':' ..
    time36(M.sent, M.sent_n, M.sent36) .. ':' .. M.st .. ':'
  -- A parsed record whose tail nobody read or set: the tail as stored.
  if M.raw and rawget(M, 'sn') == nil then return head .. string.sub(M.raw, M.tpos) end
  return head .. M.sn .. ':' .. M.ad .. ':' .. #M.g .. ':' .. M.g .. (M.env or string.sub(M.raw, M.envpos))
end

-- What record_of writes for a message just sent to a standard queue (rc 0, no receive, sequence 0,
-- not adopted), without building M: a send of many messages makes one per message.
local function new_record(now, st, g, env)
  return '0:0:0:' .. b36(now) .. ':' .. st .. ':0:0:' .. #g .. ':' .. g .. env
end

local function meta_get(Q, id)
  local m = redis.call('HGET', Q.msg, id)
  if not m then return nil end
  return parse_record(m)
end

local function meta_put(Q, id, M)
  redis.call('HSET', Q.msg, id, record_of(M))
end

-- A variadic write of many items at once ('list': the arguments after the key). Lua's unpack has a
-- stack limit, so very long lists go in chunks of an even count (pairs stay whole).
local function bulk(cmd, key, list)
  local i, n = 1, #list
  while i <= n do
    local j = math.min(n, i + 3999)
    redis.call(cmd, key, unpack(list, i, j))
    i = j + 1
  end
end

local function wake(Q)
  if redis.call('LLEN', Q.wake) == 0 then redis.call('RPUSH', Q.wake, '1') end
end

local function glist(Q, g)
  return Q.base .. 'g:' .. enc(g)
end

-- FIFO: a group is available while it has messages, none in flight, and its head is ready.
local function refresh_group(Q, g)
  local head = redis.call('LINDEX', glist(Q, g), 0)
  if not head then
    redis.call('ZREM', Q.groups, g)
    redis.call('HDEL', Q.gorder, g)
    return
  end
  if tonumber(redis.call('HGET', Q.glock, g) or '0') > 0 then
    redis.call('ZREM', Q.groups, g)
    return
  end
  local hm = meta_get(Q, head)
  if (not hm) or hm.st ~= 'r' then
    redis.call('ZREM', Q.groups, g)
    return
  end
  redis.call('ZADD', Q.groups, redis.call('HGET', Q.gorder, g), g)
end

local function lock_group(Q, g)
  redis.call('HINCRBY', Q.glock, g, 1)
end

local function unlock_group(Q, g)
  if redis.call('HINCRBY', Q.glock, g, -1) <= 0 then redis.call('HDEL', Q.glock, g) end
end

-- Standard queues: start-time fair queuing. Each group (fair-queue tenant; '' without one) has a
-- lane, a list of its ready message keys; 'ready' scores each non-empty lane with the tag of its
-- head. A group that was idle starts at the virtual clock + 1, and its later messages follow
-- at +1 each, so popping the lowest tag interleaves groups round-robin and keeps send order within
-- a group. Messages removed while ready stay in their lane until popped (skipped then): keys are
-- never reused.
local function lane(Q, g)
  return Q.base .. 'r:' .. enc(g)
end

local function push_ready(Q, id, g)
  if redis.call('RPUSH', lane(Q, g), id) == 1 then
    redis.call('ZADD', Q.ready, tonumber(redis.call('HGET', Q.cfg, 'vclock') or '0') + 1, g)
  end
end

-- Standard queues: appends a batch's ready messages (keys in send order) to one group's lane.
local function push_ready_many(Q, g, ids)
  if redis.call('RPUSH', lane(Q, g), unpack(ids)) == #ids then
    redis.call('ZADD', Q.ready, tonumber(redis.call('HGET', Q.cfg, 'vclock') or '0') + 1, g)
  end
end

-- Pops up to 'want' lane entries of a standard queue in fair order: from the lane with the lowest
-- tag, as many as it has before it would pass the next lane's tag. Returns the keys (their messages
-- may be gone), or nil when no lane has any.
local function pop_ready(Q, want)
  local top = redis.call('ZRANGE', Q.ready, 0, 1, 'WITHSCORES')
  if #top == 0 then return nil end
  local g, tag = top[1], tonumber(top[2])
  local n = want
  if #top == 4 then n = math.min(want, math.max(1, tonumber(top[4]) - tag)) end
  local L = lane(Q, g)
  local ids = redis.call('LPOP', L, n) or {}
  if redis.call('LLEN', L) == 0 then
    redis.call('ZREM', Q.ready, g)
  else
    redis.call('ZADD', Q.ready, tag + #ids, g)
  end
  redis.call('HSET', Q.cfg, 'vclock', tag + math.max(#ids, 1) - 1)
  return ids
end

-- Every key of a standard queue's lanes (for purge and delete).
local function lanes_of(Q)
  local keys = {}
  for _, g in ipairs(redis.call('ZRANGE', Q.ready, 0, -1)) do keys[#keys + 1] = lane(Q, g) end
  return keys
end

-- Retention: 'exp' holds the ready messages by retention deadline (sent + retention). Delayed and
-- in-flight messages are in their own sorted sets only, and are checked when they become ready.
local function expired(C, M, now)
  return M.sent + C.ret * 1000 <= now
end

local function enqueue(Q, C, id, M, delay_ms, now)
  if delay_ms > 0 then
    M.st = 'd'
    redis.call('ZADD', Q.delayed, now + delay_ms, id)
  else
    M.st = 'r'
    redis.call('ZADD', Q.exp, M.sent + C.ret * 1000, id)
  end
  meta_put(Q, id, M)
  if C.fifo then
    if redis.call('RPUSH', glist(Q, M.g), id) == 1 then
      redis.call('HSET', Q.gorder, M.g, redis.call('HINCRBY', Q.cfg, 'gseq', 1))
    end
    refresh_group(Q, M.g)
  elseif M.st == 'r' then
    push_ready(Q, id, M.g)
  end
end

local remove_message

-- Makes a delayed, in-flight or handed-off message ready, or removes it when its retention ended
-- (then M.st becomes '-'). The caller has taken it out of its sorted set.
local function make_ready(Q, C, id, M, now)
  if expired(C, M, now) then
    remove_message(Q, C, id, M)
    M.st = '-'
    return
  end
  local was = M.st
  M.st = 'r'
  meta_put(Q, id, M)
  redis.call('ZADD', Q.exp, M.sent + C.ret * 1000, id)
  if C.fifo then
    if was == 'i' or was == 'x' then unlock_group(Q, M.g) end
    refresh_group(Q, M.g)
  else
    push_ready(Q, id, M.g)
  end
end

remove_message = function(Q, C, id, M)
  M = M or meta_get(Q, id)
  if not M then return end
  redis.call('HDEL', Q.msg, id)
  if M.st == 'r' then
    redis.call('ZREM', Q.exp, id)
  elseif M.st == 'd' then
    redis.call('ZREM', Q.delayed, id)
  elseif M.st == 'i' then
    redis.call('ZREM', Q.inflight, id)
  elseif M.st == 'x' then
    redis.call('ZREM', Q.out, id)
  end
  if C.fifo then
    redis.call('LREM', glist(Q, M.g), 1, id)
    if M.st == 'i' or M.st == 'x' then unlock_group(Q, M.g) end
    refresh_group(Q, M.g)
  end
end

-- Makes due delayed messages and expired visibility timeouts ready, in due order.
local function promote(Q, C, now, limit)
  local d = redis.call('ZRANGEBYSCORE', Q.delayed, '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit)
  local f = redis.call('ZRANGEBYSCORE', Q.inflight, '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit)
  local i, j, moved = 1, 1, 0
  while i <= #d or j <= #f do
    local from_d
    if i > #d then from_d = false
    elseif j > #f then from_d = true
    else from_d = tonumber(d[i + 1]) <= tonumber(f[j + 1]) end
    local id
    if from_d then
      id = d[i]
      i = i + 2
      redis.call('ZREM', Q.delayed, id)
    else
      id = f[j]
      j = j + 2
      redis.call('ZREM', Q.inflight, id)
    end
    local M = meta_get(Q, id)
    if M then make_ready(Q, C, id, M, now) end
    moved = moved + 1
  end
  return moved
end

-- Drops ready messages past their retention period.
local function sweep(Q, C, now, limit)
  local ids = redis.call('ZRANGEBYSCORE', Q.exp, '-inf', now, 'LIMIT', 0, limit)
  for _, id in ipairs(ids) do remove_message(Q, C, id) end
  return #ids
end

local function next_due(Q)
  local due = -1
  local d = redis.call('ZRANGE', Q.delayed, 0, 0, 'WITHSCORES')
  if #d > 0 then due = tonumber(d[2]) end
  local f = redis.call('ZRANGE', Q.inflight, 0, 0, 'WITHSCORES')
  if #f > 0 and (due < 0 or tonumber(f[2]) < due) then due = tonumber(f[2]) end
  return due
end

-- promote, run only when something is due (the sorted sets' heads say so). Returns the next due
-- time after it (-1 none), as next_due would.
local function promote_due(Q, C, now, limit)
  local due = next_due(Q)
  if due < 0 or due > now then return due end
  promote(Q, C, now, limit)
  return next_due(Q)
end

-- Blocked long polls sleep until the earliest due time they saw; when a script makes that time
-- earlier (a new in-flight deadline or delay), a wake-up lets them re-arm.
local function wake_if_earlier(Q, before)
  local after = next_due(Q)
  if after >= 0 and (before < 0 or after < before) then wake(Q) end
end

local function has_available(Q, C)
  if C.fifo then return redis.call('ZCARD', Q.groups) > 0 end
  return redis.call('ZCARD', Q.ready) > 0
end

-- Takes in a message moved from another queue by redrive (M: its record there): same key,
-- envelope, receive count. FIFO dead-letter queues give it a new sequence number and enqueue time
-- (as SQS does).
local function adopt(Q, C, id, M, now)
  M.ra = 0
  M.sn = '0'
  M.ad = '0'
  if C.fifo then
    M.sent = now
    M.sn = tostring(redis.call('INCR', Q.seq))
    M.ad = '1'
  end
  enqueue(Q, C, id, M, 0, now)
end
`;
