/**
 * SendMessageBatch. KEYS: one queue. ARGV: n, then per entry id, envelope, delay seconds (-1: the
 * queue's), group ('' none), deduplication id ('' none), size in bytes (body + attributes). An
 * entry larger than the queue's maxMessageBytes is dropped ('drop'): only topic fan-out can send
 * one (core validates direct sends), and SNS drops what the queue would refuse. FIFO duplicates within 5 minutes (per
 * queue or per group, as the queue's scope says) are accepted and return the original id and
 * sequence number; the deduplication key lives `PX 300000` under the queue's hash tag and its
 * incarnation, so a re-created queue starts clean.
 */
export const SEND = `
local Q = queue_at(1)
local C = load_cfg(Q)
if not C then return {'NOQUEUE'} end
local now = now_ms()
local due_before = next_due(Q)
local res = {'OK'}
local n = tonumber(ARGV[1])
for k = 0, n - 1 do
  local b = 2 + k * 6
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
  end
  if dup == 'drop' then
    res[#res + 1] = 'drop'
    res[#res + 1] = ''
    res[#res + 1] = '0'
  elseif dup then
    local sep = string.find(dup, ':', 1, true)
    res[#res + 1] = 'dup'
    res[#res + 1] = string.sub(dup, 1, sep - 1)
    res[#res + 1] = string.sub(dup, sep + 1)
  else
    local sn = '0'
    if C.fifo then sn = tostring(redis.call('INCR', Q.seq)) end
    local M = { rc = 0, fr = 0, ra = 0, sent = now, st = 'r', sn = sn, ad = '0', g = g }
    enqueue(Q, C, id, env, M, delay * 1000, now)
    if ddkey then redis.call('SET', ddkey, id .. ':' .. sn, 'PX', 300000) end
    res[#res + 1] = 'ok'
    res[#res + 1] = id
    res[#res + 1] = sn
  end
end
if has_available(Q, C) then wake(Q) else wake_if_earlier(Q, due_before) end
return res
`;
