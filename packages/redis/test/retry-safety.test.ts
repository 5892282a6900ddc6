import { randomUUID } from 'node:crypto';
import { connect } from '@msgport/core';
import { DEFAULT_DEADLINES } from '@msgport/core/driver';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { RedisCalls } from '../src/calls.js';
import type { RedisClient } from '../src/connection.js';
import { encodeEnvelope } from '../src/envelope.js';
import { withinFailoverWindow } from '../src/failover-window.js';
import { createKeySpace } from '../src/index.js';
import { messageKey } from '../src/message-key.js';
import { ScriptRunner } from '../src/script-runner.js';
import { SCRIPTS } from '../src/scripts/index.js';
import { deletePrefix, REDIS_URL, uniquePrefix } from './support/env.js';

const prefix = uniquePrefix('retry-safety');
const keys = createKeySpace(prefix);

afterAll(async () => {
  if (inject('redisAvailable')) await deletePrefix(REDIS_URL, prefix);
});

describe('withinFailoverWindow', { concurrent: true }, () => {
  const unavailable = () => Object.assign(new Error('Connection is closed.'), {});
  const retryable = (error: unknown) => (error as Error).message.startsWith('Connection');

  it('retries a retryable failure with backoff until it succeeds inside the window', async () => {
    let attempts = 0;
    const started = Date.now();
    const outcome = await withinFailoverWindow(
      async () => {
        if (++attempts < 4) throw unavailable();
        return 'done';
      },
      { windowMs: 5000, budgetMs: 10_000, retryable },
    );
    expect(outcome).toMatchObject({ value: 'done', failures: 3 });
    // 50 + 100 + 200 ms (±20 %) of backoff.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up when the window closes, with a last attempt at its end', async () => {
    let attempts = 0;
    const started = Date.now();
    await expect(
      withinFailoverWindow(
        async () => {
          attempts++;
          throw unavailable();
        },
        { windowMs: 600, budgetMs: 10_000, retryable },
      ),
    ).rejects.toThrow('Connection is closed.');
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    expect(Date.now() - started).toBeLessThan(900);
    expect(attempts).toBeGreaterThanOrEqual(4);
  });

  it('never retries past the call budget, nor errors that are not retryable, nor after stop', async () => {
    const started = Date.now();
    await expect(
      withinFailoverWindow(
        async () => {
          throw unavailable();
        },
        { windowMs: 10_000, budgetMs: 300, retryable },
      ),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(600);
    let attempts = 0;
    const wrongPassword = new Error('WRONGPASS');
    await expect(
      withinFailoverWindow(
        async () => {
          attempts++;
          throw wrongPassword;
        },
        { windowMs: 10_000, budgetMs: 10_000, retryable },
      ),
    ).rejects.toBe(wrongPassword);
    expect(attempts).toBe(1);
    await expect(
      withinFailoverWindow(
        async () => {
          throw unavailable();
        },
        { windowMs: 10_000, budgetMs: 10_000, retryable, stopped: () => true },
      ),
    ).rejects.toThrow();
  });
});

describe.skipIf(!inject('redisAvailable'))('scripts are safe to repeat after an unknown outcome', () => {
  it('a send repeated with the same message ids stores each message once and leaves its state alone', async () => {
    const broker = await connect(`${REDIS_URL}?prefix=${encodeURIComponent(prefix)}`, { logger: false });
    try {
      const q = await broker.createQueue('repeat-send');
      const client = broker.native() as RedisClient;
      const endpoint = { where: 'test', db: 0, ...DEFAULT_DEADLINES };
      const scripts = new ScriptRunner(
        client,
        new RedisCalls({ client, endpoint, failoverWindowMs: 0, connects: false }),
      );
      const id = randomUUID();
      const args = [300_000, 1, messageKey(id), encodeEnvelope('once', {}, undefined), 0, '', '', 4];
      await scripts.run(SCRIPTS.send, keys.queueKeys(q.name), args);
      await scripts.run(SCRIPTS.send, keys.queueKeys(q.name), args);
      expect((await q.getAttributes()).visible).toBe(1);
      const [held] = await q.receive({ visibilityTimeoutSeconds: 30 });
      expect(held?.messageId).toBe(id);
      // The reply of the first send was lost and the retry arrives after a consumer took it.
      const reply = await scripts.run(SCRIPTS.send, keys.queueKeys(q.name), args);
      expect(reply.slice(1, 2)).toEqual([`dup:${messageKey(id)}:0`]);
      const stats = await q.getAttributes();
      expect([stats.visible, stats.inFlight]).toEqual([0, 1]);
      expect(await q.receive({ waitTimeSeconds: 0 })).toEqual([]);
      await q.delete(held as never);
      expect((await q.getAttributes()).visible).toBe(0);
    } finally {
      await broker.close();
    }
  });
});
