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
local due_before = promote_due(Q, C, now, 1000)
sweep(Q, C, now, 1000)
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
-- Standard queues write the delivered messages' keys once for the whole receive (FIFO ones at
-- once: refresh_group reads the records back).
local defer = not C.fifo
local records, unexp, inflight = {}, {}, {}

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
    M.st = 'i'
    if defer then
      unexp[#unexp + 1] = id
      inflight[#inflight + 1] = now + vt * 1000
      inflight[#inflight + 1] = id
    else
      redis.call('ZREM', Q.exp, id)
      redis.call('ZADD', Q.inflight, now + vt * 1000, id)
      lock_group(Q, M.g)
    end
  else
    M.st = 'r'
    if not C.fifo then requeue[#requeue + 1] = { id, M.g } end
  end
  local record = record_of(M)
  if defer then
    records[#records + 1] = id
    records[#records + 1] = record
  else
    redis.call('HSET', Q.msg, id, record)
  end
  delivered[#delivered + 1] = id
  delivered[#delivered + 1] = record
  count = count + 1
  return true
end

if not C.fifo then
  local seen, now36 = {}, b36(now)
  while count < max do
    local ids = pop_ready(Q, max - count)
    if not ids then break end
    local stored = #ids > 0 and redis.call('HMGET', Q.msg, unpack(ids)) or {}
    for i, id in ipairs(ids) do
      local m = stored[i]
      -- A lane entry whose message was removed while ready is skipped (see push_ready).
      if m and not seen[id] then
        seen[id] = true
        local rc, fr, _, sent, st, tail = string.match(m, '^(%d+):(%w+):(%w+):(%w+):(%a):()')
        rc = tonumber(rc)
        local common = vt > 0 and tonumber(sent, 36) + C.ret * 1000 > now and (mode == 'none' or rc < C.maxrc)
        if st == 'r' and common then
          -- What take does in the common case, on the stored text: the tail after the state stays.
          rc = rc + 1
          if rc == 1 then fr = now36 end
          local record = rc .. ':' .. fr .. ':' .. now36 .. ':' .. sent .. ':i:' .. string.sub(m, tail)
          unexp[#unexp + 1] = id
          inflight[#inflight + 1] = now + vt * 1000
          inflight[#inflight + 1] = id
          records[#records + 1] = id
          records[#records + 1] = record
          delivered[#delivered + 1] = id
          delivered[#delivered + 1] = record
          count = count + 1
        elseif st == 'r' then
          take(id, parse_record(m))
        end
      end
    end
  end
  bulk('HSET', Q.msg, records)
  bulk('ZREM', Q.exp, unexp)
  bulk('ZADD', Q.inflight, inflight)
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

-- Receiving moves no due time but the new visibility deadlines: the next due time follows.
local due = due_before
if vt > 0 and count > 0 and (due < 0 or now + vt * 1000 < due) then due = now + vt * 1000 end
if moved_local then wake(D) end
if has_available(Q, C) or due ~= due_before then wake(Q) end
local res = { 'OK', now, due, C.inc, count }
for _, v in ipairs(delivered) do res[#res + 1] = v end
res[#res + 1] = #handoffs / 2
for _, v in ipairs(handoffs) do res[#res + 1] = v end
return res
`;
