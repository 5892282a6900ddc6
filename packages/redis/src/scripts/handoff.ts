/**
 * Redrive between queues on different Redis Cluster slots, where one script cannot touch both.
 * The receive script marks the message `x` (out of the source's counts, its FIFO group held) and
 * returns it; the client runs ADOPT on the dead-letter queue and then HANDOFF 'done' on the
 * source. ADOPT is idempotent by message id for 15 minutes, so a hand-off offered again after a
 * crash between the two steps is not duplicated; a crash before ADOPT loses nothing either, since
 * the source keeps the message until 'done'. Nothing is lost; at worst a message is moved late.
 */

/** KEYS: the dead-letter queue. ARGV: n, then per message its key and its record at the source. */
export const ADOPT = `
local Q = queue_at(1)
local C = load_cfg(Q)
if not C then return {'NOQUEUE'} end
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', Q.adopted, '-inf', now - 900000)
for k = 0, tonumber(ARGV[1]) - 1 do
  local b = 2 + k * 2
  local id = ARGV[b]
  if (not redis.call('ZSCORE', Q.adopted, id)) and redis.call('HEXISTS', Q.msg, id) == 0 then
    redis.call('ZADD', Q.adopted, now, id)
    adopt(Q, C, id, parse_record(ARGV[b + 1]), now)
  end
end
wake(Q)
return {'OK'}
`;

/**
 * KEYS: the source queue. ARGV: 'done' (the dead-letter queue has them: remove) or 'abort'
 * (it does not exist: make them available again), then message ids.
 */
export const HANDOFF = `
local Q = queue_at(1)
local C = load_cfg(Q)
if not C then return {'NOQUEUE'} end
for k = 2, #ARGV do
  local id = ARGV[k]
  local M = meta_get(Q, id)
  if M and M.st == 'x' then
    if ARGV[1] == 'done' then
      remove_message(Q, C, id, M)
    else
      redis.call('ZREM', Q.out, id)
      make_ready(Q, C, id, M, now_ms())
    end
  end
end
if has_available(Q, C) then wake(Q) end
return {'OK'}
`;
