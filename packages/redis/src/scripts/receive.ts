/**
 * ReceiveMessage, one atomic step. KEYS: the queue, then (mode `local`) its dead-letter queue.
 * ARGV: max messages, visibility seconds (-1: the queue's), the dead-letter queue the caller
 * assumed ('' none), dead-letter mode:
 *   local  — the dead-letter queue's keys follow (same slot): redrive happens inside this script;
 *   remote — it lives on another cluster slot: messages due for redrive are marked `x` and
 *            returned as hand-offs, which the client adopts into the dead-letter queue and then
 *            confirms here (see handoff.ts); unconfirmed hand-offs are offered again after 30 s;
 *   none   — the dead-letter queue does not exist: deliver normally, as SQS does.
 *
 * Steps: promote due delayed messages and expired visibility timeouts, drop expired messages,
 * then pop up to `max` — standard queues by fair-queue tag, FIFO queues group by group (filling
 * from one group first, skipping groups with a message in flight). A message already received
 * maxReceiveCount times is redriven instead of delivered.
 *
 * Reply: 'OK', now, next due time (-1 none), incarnation, count, count × (key, record), hand-off
 * count, hand-offs × (key, record); records as stored (see lib.ts), after this receive.
 * 'NOQUEUE' when the queue is missing; 'STALE', dlq when the caller assumed another dead-letter queue.
 */
export const RECEIVE = `
local Q = queue_at(1)
local C = load_cfg(Q)
if not C then return {'NOQUEUE'} end
if C.dlq ~= '' and ARGV[3] ~= C.dlq then return {'STALE', C.dlq} end
local now = now_ms()
promote(Q, C, now, 1000)
sweep(Q, C, now, 1000)
local due_before = next_due(Q)
local max = tonumber(ARGV[1])
local vt = tonumber(ARGV[2])
if vt < 0 then vt = C.vt end
local mode = 'none'
local D, DC = nil, nil
if C.dlq ~= '' then
  mode = ARGV[4]
  if mode == 'local' then
    D = queue_at(14)
    DC = load_cfg(D)
    if not DC then mode = 'none' end
  end
end

local delivered, handoffs, requeue = {}, {}, {}
local count, moved_local = 0, false

local function handoff_record(id, M)
  handoffs[#handoffs + 1] = id
  handoffs[#handoffs + 1] = record_of(M)
end

-- Hand-offs nobody confirmed (the client died): offer them again, or take them back without a DLQ.
if C.dlq ~= '' then
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', Q.out, '-inf', now, 'LIMIT', 0, 10)) do
    local M = meta_get(Q, id)
    if (not M) or M.st ~= 'x' then
      redis.call('ZREM', Q.out, id)
    elseif mode == 'remote' then
      redis.call('ZADD', Q.out, now + 30000, id)
      handoff_record(id, M)
    else
      redis.call('ZREM', Q.out, id)
      make_ready(Q, C, id, M, now)
    end
  end
end

-- Delivers one ready message, or redrives / drops it; true when delivered.
local function take(id, M)
  if expired(C, M, now) then
    remove_message(Q, C, id, M)
    return false
  end
  if mode ~= 'none' and M.rc >= C.maxrc then
    if mode == 'local' then
      remove_message(Q, C, id, M)
      adopt(D, DC, id, M, now)
      moved_local = true
    else
      redis.call('ZREM', Q.exp, id)
      M.st = 'x'
      meta_put(Q, id, M)
      redis.call('ZADD', Q.out, now + 30000, id)
      if C.fifo then lock_group(Q, M.g) end
      handoff_record(id, M)
    end
    return false
  end
  M.rc = M.rc + 1
  if M.rc == 1 then M.fr = now end
  M.ra = now
  if vt > 0 then
    redis.call('ZREM', Q.exp, id)
    M.st = 'i'
    redis.call('ZADD', Q.inflight, now + vt * 1000, id)
    if C.fifo then lock_group(Q, M.g) end
  else
    M.st = 'r'
    if not C.fifo then requeue[#requeue + 1] = { id, M.g } end
  end
  local record = record_of(M)
  redis.call('HSET', Q.msg, id, record)
  delivered[#delivered + 1] = id
  delivered[#delivered + 1] = record
  count = count + 1
  return true
end

if not C.fifo then
  while count < max do
    local ids = pop_ready(Q, max - count)
    if not ids then break end
    for _, id in ipairs(ids) do
      local M = meta_get(Q, id)
      -- A lane entry whose message was removed while ready is skipped (see push_ready).
      if M and M.st == 'r' then take(id, M) end
    end
  end
  -- Received with visibility 0: visible again at once, behind what is already waiting.
  for _, r in ipairs(requeue) do push_ready(Q, r[1], r[2]) end
else
  local idx = 0
  while count < max do
    local gs = redis.call('ZRANGE', Q.groups, idx, idx)
    if #gs == 0 then break end
    local g = gs[1]
    local key = glist(Q, g)
    local pos = 0
    while count < max do
      local id = redis.call('LINDEX', key, pos)
      if not id then break end
      local M = meta_get(Q, id)
      if not M then
        redis.call('LREM', key, 1, id)
      elseif M.st ~= 'r' then
        break
      elseif take(id, M) then
        pos = pos + 1
      elseif M.st == 'x' then
        break
      end
    end
    refresh_group(Q, g)
    if redis.call('ZSCORE', Q.groups, g) then idx = idx + 1 end
  end
end

if moved_local then wake(D) end
if has_available(Q, C) then wake(Q) else wake_if_earlier(Q, due_before) end
local res = { 'OK', now, next_due(Q), C.inc, count }
for _, v in ipairs(delivered) do res[#res + 1] = v end
res[#res + 1] = #handoffs / 2
for _, v in ipairs(handoffs) do res[#res + 1] = v end
return res
`;
