import type { Redis } from 'ioredis';
import type { KeySpace } from '../../src/keys.js';

/**
 * Moves one queue's timeline `seconds` into the past — exactly what the passing of time does to it:
 * retention deadlines, due times, visibility deadlines, receive/sent/created/purge times and the
 * remaining life of its deduplication keys. The scripts keep reading the real `TIME`, so this lets
 * the manual-clock cases of the conformance suite (60 s retention, 60 s purge interval, 5 min
 * dedup window, 900 s delay) run in milliseconds against a real server.
 */
const TRAVEL = `
local ms = tonumber(ARGV[1])
for _, k in ipairs({ KEYS[3], KEYS[5], KEYS[6], KEYS[12] }) do
  local items = redis.call('ZRANGE', k, 0, -1, 'WITHSCORES')
  for i = 1, #items, 2 do redis.call('ZADD', k, tonumber(items[i + 1]) - ms, items[i]) end
end
for _, f in ipairs({ 'created', 'purged' }) do
  local v = redis.call('HGET', KEYS[1], f)
  if v then redis.call('HSET', KEYS[1], f, tonumber(v) - ms) end
end
local B36 = '0123456789abcdefghijklmnopqrstuvwxyz'
local function b36(n)
  if n <= 0 then return '0' end
  local s = ''
  while n > 0 do
    local d = n % 36
    s = string.sub(B36, d + 1, d + 1) .. s
    n = (n - d) / 36
  end
  return s
end
local function back(x)
  x = tonumber(x, 36)
  if x > 0 then return b36(x - ms) end
  return '0'
end
-- Message records: "rc:firstReceive:receivedAt:sent:…", times in base 36 (see scripts/lib.ts).
local records = redis.call('HGETALL', KEYS[2])
for i = 1, #records, 2 do
  local rc, fr, ra, sent, rest = string.match(records[i + 1], '^(%d+):(%w+):(%w+):(%w+):(.*)$')
  redis.call('HSET', KEYS[2], records[i], rc .. ':' .. back(fr) .. ':' .. back(ra) .. ':' .. back(sent) .. ':' .. rest)
end
return 1
`;

export async function travel(client: Redis, keys: KeySpace, queue: string, seconds: number): Promise<void> {
  const ms = Math.round(seconds * 1000);
  await client.call('EVAL', [TRAVEL, keys.queueKeys(queue).length, ...keys.queueKeys(queue), ms]);
  const base = keys.queueKey(queue, 'cfg').slice(0, -'cfg'.length);
  let cursor = '0';
  do {
    const [next, found] = await client.scan(
      cursor,
      'MATCH',
      `${base.replace(/[*?[\]\\]/g, '\\$&')}dd:*`,
      'COUNT',
      1000,
    );
    cursor = next;
    for (const key of found) {
      const left = await client.pttl(key);
      if (left > ms) await client.pexpire(key, left - ms);
      else await client.del(key);
    }
  } while (cursor !== '0');
}
