import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createKeySpace, decodeKeyPart, encodeKeyPart, QUEUE_KEY_NAMES } from '../src/keys.js';
import { LUA_LIB } from '../src/scripts/lib.js';
import { keySlot } from '../src/slot.js';
import { REDIS_URL } from './support/env.js';

const WEIRD = ['orders', 'a{b}c', '{', '}', 'a:b', 'x%41', '%', 'ünï©ødé', '😀', 'a b', 'a/b\\c', '.fifo', ''];

describe('key encoding', () => {
  it('keeps [A-Za-z0-9_.-] and percent-encodes every other UTF-8 byte', () => {
    expect(encodeKeyPart('orders-1_a.fifo')).toBe('orders-1_a.fifo');
    expect(encodeKeyPart('a{b}:c%')).toBe('a%7Bb%7D%3Ac%25');
    expect(encodeKeyPart('é')).toBe('%C3%A9');
    expect(encodeKeyPart('😀')).toBe('%F0%9F%98%80');
  });

  it('never produces a brace or colon, and is injective (decodes back)', () => {
    for (const name of WEIRD) {
      const encoded = encodeKeyPart(name);
      expect(encoded).not.toMatch(/[{}:]/);
      expect(decodeKeyPart(encoded)).toBe(name);
    }
    expect(new Set(WEIRD.map(encodeKeyPart)).size).toBe(WEIRD.length);
    // The classic collision: a literal "%41" and "A" stay distinct.
    expect(encodeKeyPart('x%41')).not.toBe(encodeKeyPart('xA'));
  });

  it('puts all keys of a queue under one hash tag, whatever the name', () => {
    const keys = createKeySpace('app:');
    for (const name of WEIRD.filter(Boolean)) {
      const all = keys.queueKeys(name);
      expect(all).toHaveLength(QUEUE_KEY_NAMES.length);
      const slots = new Set(all.map(keySlot));
      expect(slots.size).toBe(1);
      for (const key of all) expect(key.startsWith(`app:{q:${encodeKeyPart(name)}}:`)).toBe(true);
    }
    // A queue and a topic of the same name never share keys.
    expect(keys.queueKeys('x')).not.toContain(keys.topicKeys('x')[0]);
  });

  it('rejects prefixes that would change the hash tag', () => {
    expect(() => createKeySpace('a{b')).toThrow(expect.objectContaining({ code: 'InvalidParameter' }));
    expect(() => createKeySpace('a}b')).toThrow(expect.objectContaining({ code: 'InvalidParameter' }));
  });
});

describe('key slots', () => {
  it('matches the Redis Cluster CRC16 reference values', () => {
    expect(keySlot('123456789')).toBe(0x31c3 % 16384);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('foo{}{bar}')).toBe(keySlot('foo{}{bar}'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
  });
});

describe.skipIf(!inject('redisAvailable'))('Lua encoding (server)', () => {
  const client = new Redis(REDIS_URL, { lazyConnect: true });
  afterAll(() => client.quit());

  it('encodes exactly like the TypeScript side', async () => {
    const script = `${LUA_LIB}\nlocal out = {}\nfor i, v in ipairs(ARGV) do out[i] = enc(v) end\nreturn out`;
    const names = [...WEIRD, 'g\u0000z', 'tab\there'];
    const encoded = (await client.call('EVAL', [script, 0, ...names])) as string[];
    expect(encoded).toEqual(names.map(encodeKeyPart));
  });

  it('agrees with CLUSTER KEYSLOT on a cluster-enabled server or with CRC16 otherwise', async () => {
    const keys = createKeySpace('p:');
    for (const name of ['orders', 'a{b}', '😀']) {
      const key = keys.queueKey(name, 'cfg');
      const slot = await client.call('CLUSTER', ['KEYSLOT', key]).catch(() => undefined);
      if (slot !== undefined) expect(slot).toBe(keySlot(key));
    }
  });
});
