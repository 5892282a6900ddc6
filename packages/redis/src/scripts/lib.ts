/**
 * Lua helpers every queue script starts with. A queue is a table of its 15 keys (`queue_at`),
 * in the order of `QUEUE_KEY_NAMES`; its dynamic keys (FIFO group lists, deduplication keys)
 * are derived from the same prefix and so carry the same hash tag.
 *
 * Message state lives in two hash fields per message: `msg[id]` (the immutable envelope, opaque
 * to Lua) and `meta[id]` = "rc:firstReceive:receivedAt:sent:state:seq:adopted:group", where
 * state is d(elayed), r(eady), i(n flight) or x (being handed to a dead-letter queue on another
 * slot), and the group id comes last because it may contain ':'. Every stored message also has an
 * entry in `exp` (retention deadline), which doubles as the index of all messages.
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
    cfg = KEYS[o], msg = KEYS[o + 1], meta = KEYS[o + 2], exp = KEYS[o + 3], ready = KEYS[o + 4],
    delayed = KEYS[o + 5], inflight = KEYS[o + 6], lanes = KEYS[o + 7], groups = KEYS[o + 8],
    gorder = KEYS[o + 9], glock = KEYS[o + 10], wake = KEYS[o + 11], seq = KEYS[o + 12],
    out = KEYS[o + 13], adopted = KEYS[o + 14], base = string.sub(KEYS[o], 1, -4)
  }
end

local function load_cfg(Q)
  local v = redis.call('HMGET', Q.cfg, 'inc', 'fifo', 'vt', 'delay', 'ret', 'maxrc', 'dlq', 'scope', 'created', 'maxb')
  if not v[1] then return nil end
  return {
    inc = v[1], fifo = v[2] == '1', vt = tonumber(v[3]), delay = tonumber(v[4]), ret = tonumber(v[5]),
    maxrc = tonumber(v[6]), dlq = v[7] or '', scope = v[8], created = v[9], maxb = tonumber(v[10] or '1048576')
  }
end

local function meta_get(Q, id)
  local m = redis.call('HGET', Q.meta, id)
  if not m then return nil end
  local rc, fr, ra, sent, st, sn, ad, g = string.match(m, '^(%d+):(%d+):(%d+):(%d+):(%a):(%d+):(%d):(.*)$')
  return { rc = tonumber(rc), fr = tonumber(fr), ra = tonumber(ra), sent = tonumber(sent), st = st, sn = sn,
    ad = ad, g = g }
end

local function meta_put(Q, id, M)
  redis.call('HSET', Q.meta, id, string.format('%d:%d:%d:%d:%s:%s:%s:', M.rc, M.fr, M.ra, M.sent, M.st, M.sn, M.ad) .. M.g)
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

-- Standard queues: start-time fair queuing. Each group (fair-queue tenant; '' without one) tags
-- its messages with max(virtual clock, its last tag) + 1, so ZPOPMIN interleaves groups round-robin
-- and keeps send order within a group.
local function push_ready(Q, id, g)
  local v = tonumber(redis.call('HGET', Q.cfg, 'vclock') or '0')
  local last = tonumber(redis.call('HGET', Q.lanes, g) or '0')
  local tag = math.max(v, last) + 1
  redis.call('HSET', Q.lanes, g, tag)
  redis.call('ZADD', Q.ready, tag, id)
end

-- Pops the next ready message of a standard queue; returns its id or nil.
local function pop_ready(Q)
  local popped = redis.call('ZPOPMIN', Q.ready)
  if #popped == 0 then return nil end
  local id, tag = popped[1], tonumber(popped[2])
  redis.call('HSET', Q.cfg, 'vclock', tag)
  return id, tag
end

local function enqueue(Q, C, id, env, M, delay_ms, now)
  redis.call('HSET', Q.msg, id, env)
  redis.call('ZADD', Q.exp, M.sent + C.ret * 1000, id)
  if delay_ms > 0 then
    M.st = 'd'
    redis.call('ZADD', Q.delayed, now + delay_ms, id)
  else
    M.st = 'r'
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

local function make_ready(Q, C, id, M)
  local was = M.st
  M.st = 'r'
  meta_put(Q, id, M)
  if C.fifo then
    if was == 'i' or was == 'x' then unlock_group(Q, M.g) end
    refresh_group(Q, M.g)
  else
    push_ready(Q, id, M.g)
  end
end

local function remove_message(Q, C, id, M)
  M = M or meta_get(Q, id)
  if not M then return end
  redis.call('HDEL', Q.msg, id)
  redis.call('HDEL', Q.meta, id)
  redis.call('ZREM', Q.exp, id)
  if M.st == 'd' then
    redis.call('ZREM', Q.delayed, id)
  elseif M.st == 'i' then
    redis.call('ZREM', Q.inflight, id)
  elseif M.st == 'x' then
    redis.call('ZREM', Q.out, id)
  elseif not C.fifo then
    redis.call('ZREM', Q.ready, id)
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
    if M then make_ready(Q, C, id, M) end
    moved = moved + 1
  end
  return moved
end

-- Drops messages past their retention period.
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

-- Takes in a message moved from another queue by redrive: same id, envelope, receive count.
-- FIFO dead-letter queues give it a new sequence number and enqueue time (as SQS does).
local function adopt(Q, C, id, env, rc, fr, sent, g, now)
  local M = { rc = rc, fr = fr, ra = 0, sent = sent, st = 'r', sn = '0', ad = '0', g = g }
  if C.fifo then
    M.sent = now
    M.sn = tostring(redis.call('INCR', Q.seq))
    M.ad = '1'
  end
  enqueue(Q, C, id, env, M, 0, now)
end
`;
