/**
 * SendMessageBatch. KEYS: one queue. ARGV: the FIFO deduplication window (ms, core's LIMITS), n,
 * then per entry the message key, envelope, delay seconds (-1: the queue's), group ('' none),
 * deduplication id ('' none), size in bytes (body + attributes). Reply: 'OK', then per entry one
 * field: 'ok' or 'ok:<sequence>' (stored), 'dup:<key>:<sequence>' (a duplicate of that message), 'drop'. An
 * entry larger than the queue's maxMessageBytes is dropped ('drop'): only topic fan-out can send
 * one (core validates direct sends), and SNS drops what the queue would refuse. FIFO duplicates within 5 minutes (per
 * queue or per group, as the queue's scope says) are accepted and return the original id and
 * sequence number; the deduplication key lives for the window under the queue's hash tag and its
 * incarnation, so a re-created queue starts clean. A standard message id that is already stored
 * means the same send was retried after an unknown outcome: it is reported sent, not stored twice.
 */
export const SEND = `
local Q = queue_at(1)
local C = load_cfg(Q)
if not C then return {'NOQUEUE'} end
local now = now_ms()
local n = tonumber(ARGV[2])
-- Without delays (and on standard queues) sending moves no due time: next_due is not needed.
local delays = C.fifo
for k = 0, n - 1 do
  local delay = tonumber(ARGV[5 + k * 6])
  if delay > 0 or (delay < 0 and C.delay > 0) then delays = true end
end
local due_before = delays and next_due(Q) or -1
local res = {'OK'}
if C.fifo then
  for k = 0, n - 1 do
    local b = 3 + k * 6
    local id, env, delay, g, dd = ARGV[b], ARGV[b + 1], tonumber(ARGV[b + 2]), ARGV[b + 3], ARGV[b + 4]
    if delay < 0 then delay = C.delay end
    local ddkey, dup = nil, nil
    if tonumber(ARGV[b + 5]) > C.maxb then
      dup = 'drop'
    elseif dd ~= '' then
      if C.scope == 'messageGroup' then
        ddkey = Q.base .. 'dd:' .. C.inc .. ':g' .. enc(g) .. ':' .. enc(dd)
      else
        ddkey = Q.base .. 'dd:' .. C.inc .. ':q:' .. enc(dd)
      end
      dup = redis.call('GET', ddkey)
    elseif redis.call('HEXISTS', Q.msg, id) == 1 then
      dup = id .. ':0'
    end
    if dup == 'drop' then
      res[#res + 1] = 'drop'
    elseif dup then
      res[#res + 1] = 'dup:' .. dup
    else
      local sn = tostring(redis.call('INCR', Q.seq))
      local M = { rc = 0, fr = 0, ra = 0, sent = now, st = 'r', sn = sn, ad = '0', g = g, env = env }
      enqueue(Q, C, id, M, delay * 1000, now)
      if ddkey then redis.call('SET', ddkey, id .. ':' .. sn, 'PX', ARGV[1]) end
      res[#res + 1] = 'ok:' .. sn
    end
  end
  if has_available(Q, C) then wake(Q) else wake_if_earlier(Q, due_before) end
  return res
end

-- Standard queues: one existence check for the batch, then one write per key (the messages of a
-- batch are independent of each other), as enqueue would do them one by one.
local ids = {}
for k = 0, n - 1 do ids[k + 1] = ARGV[3 + k * 6] end
local stored = n > 0 and redis.call('HMGET', Q.msg, unpack(ids)) or {}
local records, exps, delayed, lanes, order = {}, {}, {}, {}, {}
local seen, ready = {}, false
for k = 0, n - 1 do
  local b = 3 + k * 6
  local id, g, delay = ARGV[b], ARGV[b + 3], tonumber(ARGV[b + 2])
  if delay < 0 then delay = C.delay end
  if tonumber(ARGV[b + 5]) > C.maxb then
    res[#res + 1] = 'drop'
  elseif stored[k + 1] or seen[id] then
    -- The same send again (retried after its reply was lost): the message is stored already.
    res[#res + 1] = 'dup:' .. id .. ':0'
  else
    seen[id] = true
    local st = 'r'
    if delay > 0 then
      st = 'd'
      delayed[#delayed + 1] = now + delay * 1000
      delayed[#delayed + 1] = id
    else
      ready = true
      exps[#exps + 1] = now + C.ret * 1000
      exps[#exps + 1] = id
      local L = lanes[g]
      if not L then
        L = {}
        lanes[g] = L
        order[#order + 1] = g
      end
      L[#L + 1] = id
    end
    records[#records + 1] = id
    records[#records + 1] = new_record(now, st, g, ARGV[b + 1])
    res[#res + 1] = 'ok'
  end
end
bulk('HSET', Q.msg, records)
bulk('ZADD', Q.exp, exps)
bulk('ZADD', Q.delayed, delayed)
for _, g in ipairs(order) do push_ready_many(Q, g, lanes[g]) end
if ready or has_available(Q, C) then wake(Q) elseif delays then wake_if_earlier(Q, due_before) end
return res
`;
