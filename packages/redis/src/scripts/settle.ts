/**
 * DeleteMessageBatch and ChangeMessageVisibilityBatch. A receipt handle is
 * "<incarnation>.<receiveCount>.<messageId>": the receive count changes on every receive, so a
 * handle is current exactly while the message has not been received again.
 */

/**
 * KEYS: one queue. ARGV: n, then per entry incarnation, receive count, message id.
 * Reply: 'OK', then per entry 'ok' (deleted, or a stale/repeated handle: a no-op as on SQS) or
 * 'foreign' (the handle belongs to another queue or an earlier queue of the same name).
 */
export const DELETE_MESSAGES = `
local Q = queue_at(1)
local C = load_cfg(Q)
if not C then return {'NOQUEUE'} end
local res = {'OK'}
local n = tonumber(ARGV[1])
local ids = {}
for k = 0, n - 1 do
  if ARGV[2 + k * 3] == C.inc then ids[#ids + 1] = ARGV[4 + k * 3] end
end
local stored = #ids > 0 and redis.call('HMGET', Q.msg, unpack(ids)) or {}
-- Standard queues remove the batch with one write per key; FIFO ones one by one (their groups).
local gone, fields, sets, changed = {}, {}, { r = {}, d = {}, i = {} }, false
local j = 0
for k = 0, n - 1 do
  local b = 2 + k * 3
  if ARGV[b] ~= C.inc then
    res[#res + 1] = 'foreign'
  else
    j = j + 1
    local id = ARGV[b + 2]
    if stored[j] and not gone[id] then
      local rc, st = string.match(stored[j], '^(%d+):%w+:%w+:%w+:(%a):')
      if st ~= 'x' and tonumber(rc) == tonumber(ARGV[b + 1]) then
        gone[id] = true
        changed = true
        if C.fifo then
          remove_message(Q, C, id, parse_record(stored[j]))
        else
          fields[#fields + 1] = id
          local set = sets[st]
          set[#set + 1] = id
        end
      end
    end
    res[#res + 1] = 'ok'
  end
end
bulk('HDEL', Q.msg, fields)
bulk('ZREM', Q.exp, sets.r)
bulk('ZREM', Q.delayed, sets.d)
bulk('ZREM', Q.inflight, sets.i)
if changed and C.fifo and has_available(Q, C) then wake(Q) end
return res
`;

/**
 * KEYS: one queue. ARGV: the visibility cap (ms from the receive, core's LIMITS), n, then per entry
 * incarnation, receive count, message id, seconds.
 * Reply: 'OK', now, then two fields per entry: status (ok, foreign, deleted, stale, notinflight,
 * toolong) and a detail (for toolong: the time of the receive, which the cap counts from).
 */
export const CHANGE_VISIBILITY = `
local Q = queue_at(1)
local C = load_cfg(Q)
if not C then return {'NOQUEUE'} end
local now = now_ms()
local due_before = next_due(Q)
local cap = tonumber(ARGV[1])
local res = {'OK', now}
local changed = false
for k = 0, tonumber(ARGV[2]) - 1 do
  local b = 3 + k * 4
  local id, seconds = ARGV[b + 2], tonumber(ARGV[b + 3])
  local status, detail = 'ok', ''
  local M = nil
  if ARGV[b] ~= C.inc then
    status = 'foreign'
  else
    M = meta_get(Q, id)
    if (not M) or M.st == 'x' then
      status = 'deleted'
    elseif M.rc ~= tonumber(ARGV[b + 1]) then
      status = 'stale'
    else
      if M.st == 'i' and tonumber(redis.call('ZSCORE', Q.inflight, id) or '0') <= now then
        redis.call('ZREM', Q.inflight, id)
        make_ready(Q, C, id, M, now)
        changed = true
      end
      if M.st ~= 'i' then
        status = 'notinflight'
      elseif now + seconds * 1000 - M.ra > cap then
        status = 'toolong'
        detail = M.ra
      elseif seconds == 0 then
        redis.call('ZREM', Q.inflight, id)
        make_ready(Q, C, id, M, now)
        changed = true
      else
        redis.call('ZADD', Q.inflight, now + seconds * 1000, id)
      end
    end
  end
  res[#res + 1] = status
  res[#res + 1] = detail
end
if changed and has_available(Q, C) then wake(Q) else wake_if_earlier(Q, due_before) end
return res
`;
