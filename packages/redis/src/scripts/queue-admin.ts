/** Lua bodies for queue lifecycle transitions: create, delete, purge, stats. KEYS: one queue (13 keys). */

/**
 * ARGV: config JSON, incarnation, fifo (0/1), visibility s, delay s, retention s, maxReceiveCount,
 * dlq, dedup scope, max message bytes.
 */
export const CREATE_QUEUE = `
local Q = queue_at(1)
if redis.call('EXISTS', Q.cfg) == 1 then return {'EXISTS', redis.call('HGET', Q.cfg, 'config')} end
redis.call('HSET', Q.cfg, 'config', ARGV[1], 'inc', ARGV[2], 'fifo', ARGV[3], 'vt', ARGV[4], 'delay', ARGV[5],
  'ret', ARGV[6], 'maxrc', ARGV[7], 'dlq', ARGV[8], 'scope', ARGV[9], 'maxb', ARGV[10], 'created', now_ms())
redis.call('DEL', Q.wake)
return {'CREATED'}
`;

/**
 * Deletes every key of the queue and pushes wake-up tokens: long polls blocked on the queue (in any
 * process) take theirs as soon as the script ends and then fail with QueueDoesNotExist. The driver
 * deletes the rest right after; the short expiry only covers a driver that could not.
 */
export const DELETE_QUEUE = `
local Q = queue_at(1)
if redis.call('EXISTS', Q.cfg) == 0 then return {'NOQUEUE'} end
for _, g in ipairs(redis.call('HKEYS', Q.gorder)) do redis.call('UNLINK', glist(Q, g)) end
for _, L in ipairs(lanes_of(Q)) do redis.call('UNLINK', L) end
redis.call('UNLINK', Q.cfg, Q.msg, Q.exp, Q.ready, Q.delayed, Q.inflight, Q.groups, Q.gorder,
  Q.glock, Q.seq, Q.out, Q.adopted, Q.wake)
for _ = 1, 64 do redis.call('RPUSH', Q.wake, '0') end
redis.call('PEXPIRE', Q.wake, 2000)
return {'OK'}
`;

/**
 * Removes available, delayed and in-flight messages. ARGV: the purge cooldown (ms, core's LIMITS);
 * a second purge within it is refused: 'PURGING', last purge, now.
 */
export const PURGE_QUEUE = `
local Q = queue_at(1)
local C = load_cfg(Q)
if not C then return {'NOQUEUE'} end
local now = now_ms()
local last = tonumber(redis.call('HGET', Q.cfg, 'purged') or '-1')
if last >= 0 and now - last < tonumber(ARGV[1]) then return {'PURGING', last, now} end
for _, g in ipairs(redis.call('HKEYS', Q.gorder)) do redis.call('UNLINK', glist(Q, g)) end
for _, L in ipairs(lanes_of(Q)) do redis.call('UNLINK', L) end
redis.call('UNLINK', Q.msg, Q.exp, Q.ready, Q.delayed, Q.inflight, Q.groups, Q.gorder, Q.glock, Q.out)
redis.call('HDEL', Q.cfg, 'vclock')
redis.call('HSET', Q.cfg, 'purged', now)
return {'OK'}
`;

/**
 * Exact counts at script time, after promoting due messages and dropping expired ones; the oldest
 * message age is that of the oldest ready message (in-flight and delayed ones have no index by age).
 */
export const QUEUE_STATS = `
local Q = queue_at(1)
local C = load_cfg(Q)
if not C then return {'NOQUEUE'} end
local now = now_ms()
promote(Q, C, now, 1000)
sweep(Q, C, now, 1000)
local after = '(' .. now
local visible = redis.call('ZCOUNT', Q.exp, after, '+inf')
local inflight = redis.call('ZCOUNT', Q.inflight, after, '+inf')
local delayed = redis.call('ZCOUNT', Q.delayed, after, '+inf')
local age = 0
local oldest = redis.call('ZRANGEBYSCORE', Q.exp, after, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
if #oldest > 0 then age = math.max(0, math.floor((now - (tonumber(oldest[2]) - C.ret * 1000)) / 1000)) end
return {'OK', visible, inflight, delayed, age, C.created, redis.call('HGET', Q.cfg, 'config')}
`;
