/**
 * Topic scripts. KEYS: the topic's cfg, subs, seq (one hash tag). A subscription is stored as
 * subs[id] = "<order>\\n<queue>\\n<raw 0/1>\\n<scope>\\n<filter policy JSON>"; everything after the
 * order is its identity, so subscribing twice with the same settings returns the same id.
 * Fan-out itself is not here: the client evaluates filter policies with the core evaluator and
 * runs the queue SEND script once per destination queue (atomic per queue, on any slot).
 */

const TOPIC_PRELUDE = `
local cfg, subs, seq = KEYS[1], KEYS[2], KEYS[3]
local base = string.sub(cfg, 1, -4)
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function enc(s)
  return (string.gsub(s, '[^A-Za-z0-9_%.%-]', function(c) return string.format('%%%02X', string.byte(c)) end))
end
`;

/** ARGV: config JSON, incarnation, fifo (0/1). */
export const CREATE_TOPIC = `${TOPIC_PRELUDE}
if redis.call('EXISTS', cfg) == 1 then return {'EXISTS', redis.call('HGET', cfg, 'config')} end
redis.call('HSET', cfg, 'config', ARGV[1], 'inc', ARGV[2], 'fifo', ARGV[3], 'created', now_ms())
return {'CREATED'}
`;

export const DELETE_TOPIC = `${TOPIC_PRELUDE}
redis.call('UNLINK', cfg, subs, seq)
return {'OK'}
`;

/** Reply: 'OK', config JSON, then subscription id/record pairs. */
export const READ_TOPIC = `${TOPIC_PRELUDE}
local config = redis.call('HGET', cfg, 'config')
if not config then return {'NOTOPIC'} end
local res = {'OK', config}
for _, v in ipairs(redis.call('HGETALL', subs)) do res[#res + 1] = v end
return res
`;

/**
 * Starts a publish. ARGV: n, then one deduplication id per entry ('' none).
 * Reply: 'OK', now, config JSON, n × (status 'new'|'dup', message id or '', sequence), sub count,
 * then subscription id/record pairs. FIFO topics number every new entry; a duplicate within the
 * 5-minute window returns the original message id and sequence number.
 */
export const PREPARE_PUBLISH = `${TOPIC_PRELUDE}
local config = redis.call('HGET', cfg, 'config')
if not config then return {'NOTOPIC'} end
local v = redis.call('HMGET', cfg, 'inc', 'fifo')
local fifo = v[2] == '1'
local res = {'OK', now_ms(), config}
for k = 2, tonumber(ARGV[1]) + 1 do
  local dup = false
  if fifo and ARGV[k] ~= '' then dup = redis.call('GET', base .. 'dd:' .. v[1] .. ':' .. enc(ARGV[k])) end
  if dup then
    local sep = string.find(dup, ':', 1, true)
    res[#res + 1] = 'dup'
    res[#res + 1] = string.sub(dup, 1, sep - 1)
    res[#res + 1] = string.sub(dup, sep + 1)
  else
    res[#res + 1] = 'new'
    res[#res + 1] = ''
    res[#res + 1] = fifo and tostring(redis.call('INCR', seq)) or ''
  end
end
local all = redis.call('HGETALL', subs)
res[#res + 1] = #all / 2
for _, item in ipairs(all) do res[#res + 1] = item end
return res
`;

/**
 * Records FIFO deduplication ids once their fan-out succeeded (a failed fan-out may be retried
 * with the same id without being swallowed). ARGV: the deduplication window (ms), n, then per entry
 * dedup id, message id, sequence.
 */
export const COMMIT_PUBLISH = `${TOPIC_PRELUDE}
local inc = redis.call('HGET', cfg, 'inc')
if not inc then return {'NOTOPIC'} end
for k = 0, tonumber(ARGV[2]) - 1 do
  local b = 3 + k * 3
  redis.call('SET', base .. 'dd:' .. inc .. ':' .. enc(ARGV[b]), ARGV[b + 1] .. ':' .. ARGV[b + 2], 'NX', 'PX', ARGV[1])
end
return {'OK'}
`;

/**
 * ARGV: identity ("queue\\nraw\\nscope\\nfilter"), queue, id for a new subscription.
 * Reply: 'OK', id — the existing id when the queue is subscribed with the same settings — or
 * 'CONFLICT' when the queue is subscribed with other settings (as on SNS).
 */
export const SUBSCRIBE = `${TOPIC_PRELUDE}
if redis.call('EXISTS', cfg) == 0 then return {'NOTOPIC'} end
local all = redis.call('HGETALL', subs)
local prefix = ARGV[2] .. '\\n'
for i = 1, #all, 2 do
  local record = all[i + 1]
  local rest = string.sub(record, string.find(record, '\\n', 1, true) + 1)
  if rest == ARGV[1] then return {'OK', all[i]} end
  if string.sub(rest, 1, #prefix) == prefix then return {'CONFLICT'} end
end
local order = redis.call('HINCRBY', cfg, 'subseq', 1)
redis.call('HSET', subs, ARGV[3], order .. '\\n' .. ARGV[1])
return {'OK', ARGV[3]}
`;

/** ARGV: subscription id. Reply: 'OK' or 'NOSUB'. */
export const UNSUBSCRIBE = `${TOPIC_PRELUDE}
if redis.call('HDEL', subs, ARGV[1]) == 1 then return {'OK'} end
return {'NOSUB'}
`;
