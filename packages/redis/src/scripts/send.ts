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
local due_before = next_due(Q)
local res = {'OK'}
local n = tonumber(ARGV[2])
for k = 0, n - 1 do
  local b = 3 + k * 6
  local id, env, delay, g, dd = ARGV[b], ARGV[b + 1], tonumber(ARGV[b + 2]), ARGV[b + 3], ARGV[b + 4]
  if delay < 0 then delay = C.delay end
  local ddkey, dup = nil, nil
  if tonumber(ARGV[b + 5]) > C.maxb then
    dup = 'drop'
  elseif C.fifo and dd ~= '' then
    if C.scope == 'messageGroup' then
      ddkey = Q.base .. 'dd:' .. C.inc .. ':g' .. enc(g) .. ':' .. enc(dd)
    else
      ddkey = Q.base .. 'dd:' .. C.inc .. ':q:' .. enc(dd)
    end
    dup = redis.call('GET', ddkey)
  elseif redis.call('HEXISTS', Q.msg, id) == 1 then
    -- The same send again (retried after its reply was lost): the message is stored already.
    dup = id .. ':0'
  end
  if dup == 'drop' then
    res[#res + 1] = 'drop'
  elseif dup then
    res[#res + 1] = 'dup:' .. dup
  else
    local sn = '0'
    if C.fifo then sn = tostring(redis.call('INCR', Q.seq)) end
    local M = { rc = 0, fr = 0, ra = 0, sent = now, st = 'r', sn = sn, ad = '0', g = g, env = env }
    enqueue(Q, C, id, M, delay * 1000, now)
    if ddkey then redis.call('SET', ddkey, id .. ':' .. sn, 'PX', ARGV[1]) end
    res[#res + 1] = C.fifo and ('ok:' .. sn) or 'ok'
  end
end
if has_available(Q, C) then wake(Q) else wake_if_earlier(Q, due_before) end
return res
`;
