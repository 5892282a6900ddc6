import { binaryCodec, json } from '@msgport/core';
import { expect } from 'vitest';
import { bytes, plainAttributes, sorted } from '../support/compare.js';
import { type CaseContext, defineCase } from '../support/context.js';
import { expectError } from '../support/errors.js';
import { needs } from '../support/gates.js';
import { shortId, uniqueBody, uniqueName } from '../support/names.js';
import {
  expectNone,
  expectNothingEnqueued,
  expectQuiet,
  receiveExactly,
  receiveOne,
  receiveUntil,
} from '../support/receive.js';
import { newQueue, sendOptions } from '../support/resources.js';
import { sleep, tick, track } from '../support/timing.js';

/** A. Basics: roundtrip, empty and long-poll receives, max messages, bodies, sizes, names, declare. */
export function basicsCases(ctx: CaseContext): void {
  defineCase(ctx, 'A1', 'roundtrip: bodies and attributes arrive as sent, with ids and receipt handles', async () => {
    const q = await newQueue(ctx, 'a1');
    const sent: { body: string; messageId: string; attributes: unknown }[] = [];
    for (let i = 0; i < 3; i++) {
      const body = uniqueBody(`a1-${i}`);
      const result = await q.send(body, sendOptions(q, { attributes: { a: i, s: `v${i}` } }));
      expect(result.messageId).toMatch(/\S/);
      sent.push({
        body,
        messageId: result.messageId,
        attributes: {
          a: { dataType: 'Number', stringValue: String(i) },
          s: { dataType: 'String', stringValue: `v${i}` },
        },
      });
    }
    const got = await receiveExactly(ctx, q, 3);
    const view = got.map((m) => ({ body: m.body, messageId: m.messageId, attributes: plainAttributes(m.attributes) }));
    const byBody = (a: { body: string }, b: { body: string }) => a.body.localeCompare(b.body);
    expect(view.sort(byBody)).toEqual(sent.sort(byBody));
    for (const m of got) expect(m.receiptHandle).toMatch(/\S/);
    expect(new Set(got.map((m) => m.receiptHandle)).size).toBe(3);
  });

  defineCase(ctx, 'A2a', 'empty receive: a short poll on an empty queue resolves [] at once', async () => {
    const q = await newQueue(ctx, 'a2a');
    const started = Date.now();
    expect(await q.receive({ waitTimeSeconds: 0, maxMessages: 10 })).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000 + ctx.granularityMs);
  });

  defineCase(
    ctx,
    'A2b',
    'empty long poll: resolves [] after waitTimeSeconds, not before',
    async () => {
      const q = await newQueue(ctx, 'a2b');
      if (ctx.clock) {
        const poll = track(q.receive({ waitTimeSeconds: 2 }));
        await ctx.clock.advance(1);
        expect(poll.settled(), 'long poll ended before waitTimeSeconds').toBe(false);
        await ctx.clock.advance(1);
        expect(await poll.promise).toEqual([]);
        return;
      }
      const started = Date.now();
      expect(await q.receive({ waitTimeSeconds: 2 })).toEqual([]);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(2000 - ctx.granularityMs);
      expect(elapsed).toBeLessThan(2000 + ctx.granularityMs + 1500);
    },
    needs(ctx, 'longPolling'),
  );

  defineCase(
    ctx,
    'A2c',
    'long poll returns as soon as a message arrives',
    async () => {
      const q = await newQueue(ctx, 'a2c');
      const body = uniqueBody('a2c');
      const started = Date.now();
      const poll = track(q.receive({ waitTimeSeconds: 5 }));
      if (ctx.clock) {
        await ctx.clock.advance(1);
        expect(poll.settled()).toBe(false);
      } else {
        await sleep(500);
      }
      await q.send(body, sendOptions(q));
      const outcome = await Promise.race([poll.promise, sleep(4000).then(() => 'timeout' as const)]);
      expect(outcome, 'the long poll did not return when the message arrived').not.toBe('timeout');
      if (outcome === 'timeout') return;
      expect(outcome.map((m) => m.body)).toEqual([body]);
      if (!ctx.clock) expect(Date.now() - started).toBeLessThan(4000);
    },
    needs(ctx, 'longPolling'),
  );

  defineCase(
    ctx,
    'A2d',
    'concurrent long pollers: 5 pollers, 3 messages → 3 deliveries, no duplicates, every poller resolves',
    async () => {
      const q = await newQueue(ctx, 'a2d');
      const wait = ctx.clock ? 5 : 3;
      const polls = Array.from({ length: 5 }, () => q.receive({ maxMessages: 1, waitTimeSeconds: wait }));
      await (ctx.clock ? tick() : sleep(300));
      const bodies = [uniqueBody('a2d-0'), uniqueBody('a2d-1'), uniqueBody('a2d-2')];
      for (const body of bodies) await q.send(body, sendOptions(q));
      if (ctx.clock) await ctx.clock.advance(wait);
      const results = await Promise.all(polls);
      const delivered = results.flat();
      if (ctx.clock) expect(delivered.length).toBe(3);
      else expect(delivered.length).toBeGreaterThanOrEqual(1);
      // In real time a poller may end before a message reaches it: collect the rest, then check.
      const rest = await receiveUntil(ctx, q, 3 - delivered.length);
      const all = [...delivered, ...rest];
      expect(sorted(all.map((m) => m.body))).toEqual(sorted(bodies));
      expect(new Set(all.map((m) => m.messageId)).size).toBe(3);
    },
    needs(ctx, 'longPolling'),
  );

  defineCase(
    ctx,
    'A3',
    'maxMessages: a receive returns at most maxMessages; repeated receives get all, none twice',
    async () => {
      const q = await newQueue(ctx, 'a3');
      const bodies = Array.from({ length: 5 }, (_, i) => uniqueBody(`a3-${i}`));
      for (const body of bodies) await q.send(body, sendOptions(q));
      let first = await q.receive({ maxMessages: 2, waitTimeSeconds: ctx.clock ? 0 : 1 });
      if (first.length === 0) first = await q.receive({ maxMessages: 2, waitTimeSeconds: ctx.clock ? 0 : 2 });
      expect(first.length).toBeGreaterThanOrEqual(1);
      expect(first.length).toBeLessThanOrEqual(2);
      const rest = await receiveExactly(ctx, q, 5 - first.length);
      const all = [...first, ...rest];
      expect(new Set(all.map((m) => m.messageId)).size).toBe(5);
      expect(sorted(all.map((m) => m.body))).toEqual(sorted(bodies));
      await expectNone(ctx, q);
    },
  );

  defineCase(ctx, 'A4a', 'text bodies round-trip exactly (XML edge characters, whitespace, unicode)', async () => {
    const q = await newQueue(ctx, 'a4a');
    const bodies = [
      '{"Foo": "Bar"}',
      '  leading and trailing spaces  ',
      'tab\there\nnew line\r\ncarriage return\r',
      `edges \u0020\uD7FF\uE000\uFFFD\u{10000}\u{10FFFF}`,
      'ɤϡ֎ᾣ♥ 😍 😅 中文 العربية',
      '<xml attr="1">&amp; &lt;</xml> ]]> <![CDATA[x]]>',
      `quotes ' " \\ backslash and %s %d {{}}`,
      'x',
    ];
    for (const body of bodies) await q.send(body, sendOptions(q));
    const got = await receiveExactly(ctx, q, bodies.length);
    expect(sorted(got.map((m) => m.rawBody))).toEqual(sorted(bodies));
    expect(sorted(got.map((m) => m.body))).toEqual(sorted(bodies));
  });

  defineCase(ctx, 'A4b', 'binary bodies round-trip byte-exact through the binary codec', async () => {
    const q = await newQueue<Uint8Array>(ctx, 'a4b', { codec: binaryCodec });
    const payloads = [bytes(256), Uint8Array.of(0xff, 0xfe, 0x00, 0xc3, 0x28, 0xa0, 0xa1), Uint8Array.of(0)];
    for (const payload of payloads) await q.send(payload, sendOptions(q));
    const got = await receiveExactly(ctx, q, payloads.length);
    const asText = (b: Uint8Array) => Buffer.from(b).toString('hex');
    expect(sorted(got.map((m) => asText(m.body)))).toEqual(sorted(payloads.map(asText)));
  });

  defineCase(ctx, 'A4c', 'JSON payloads round-trip through the JSON codec', async () => {
    interface Payload {
      readonly id: string;
      readonly n: number;
      readonly nested: { readonly list: readonly unknown[] };
      readonly text: string;
    }
    const q = await newQueue<Payload>(ctx, 'a4c', { codec: json<Payload>() });
    const payload: Payload = { id: shortId(), n: 1.5, nested: { list: [1, 'two', null, true] }, text: '😍 "q"' };
    await q.send(payload, sendOptions(q));
    const m = await receiveOne(ctx, q);
    expect(m.body).toEqual(payload);
    expect(JSON.parse(m.rawBody)).toEqual(payload);
  });

  defineCase(
    ctx,
    'A5a',
    'size boundary: a body of exactly maxMessageBytes round-trips; one byte more is MessageTooLong',
    async () => {
      const limit = ctx.caps.maxMessageBytes;
      const q = await newQueue(ctx, 'a5a', { maxMessageBytes: limit });
      const body = `${shortId()}${'x'.repeat(limit - 10)}`;
      await q.send(body, sendOptions(q));
      const m = await receiveOne(ctx, q);
      expect(m.rawBody.length).toBe(limit);
      expect(m.rawBody).toBe(body);
      await q.delete(m);
      await expectError(q.send(`${body}y`, sendOptions(q)), 'MessageTooLong');
      await expectNothingEnqueued(ctx, q);
    },
  );

  defineCase(ctx, 'A5b', 'size counts UTF-8 bytes of the body plus attribute names, types and values', async () => {
    const q = await newQueue(ctx, 'a5b', { maxMessageBytes: 1024 });
    // k + String + v = 8; n + Number + 12 = 9; b + Binary + 4 bytes = 11 → 28 bytes of attributes.
    const attributes = { k: 'v', n: 12, b: bytes(4) };
    const send = (body: string, withAttributes: boolean) =>
      q.send(body, sendOptions(q, withAttributes ? { attributes } : {}));
    const accept = async (body: string, withAttributes: boolean) => {
      await send(body, withAttributes);
      await q.delete(await receiveOne(ctx, q));
    };
    const id = shortId(); // 10 ASCII bytes, keeps FIFO content deduplication apart
    await accept(id + 'x'.repeat(1024 - 28 - 10), true);
    await expectError(send(id + 'x'.repeat(1024 - 28 - 9), true), 'MessageTooLong');
    await accept(id + 'é'.repeat((1024 - 10) / 2), false); // 2 bytes each
    await expectError(send(`${id}${'é'.repeat((1024 - 10) / 2)}x`, false), 'MessageTooLong');
    await accept(`${id}xx${'😀'.repeat((1024 - 12) / 4)}`, false); // 4 bytes each
    await expectError(send(`${id}xxx${'😀'.repeat((1024 - 12) / 4)}`, false), 'MessageTooLong');
    await expectNothingEnqueued(ctx, q);
  });

  defineCase(ctx, 'A6', 'no cross-talk: each queue yields only its own messages', async () => {
    const q1 = await newQueue(ctx, 'a6-1');
    const q2 = await newQueue(ctx, 'a6-2');
    const m1 = uniqueBody('a6-m1');
    const m2 = uniqueBody('a6-m2');
    await q1.send(m1, sendOptions(q1));
    await q2.send(m2, sendOptions(q2));
    const got1 = await receiveOne(ctx, q1);
    const got2 = await receiveOne(ctx, q2);
    expect([got1.body, got2.body]).toEqual([m1, m2]);
    await q1.delete(got1);
    await q2.delete(got2);
    await Promise.all([expectQuiet(ctx, q1), expectQuiet(ctx, q2)]);
  });

  defineCase(
    ctx,
    'A7',
    'competing consumers: two pollers together get every message; duplicates only as redeliveries',
    async () => {
      const q = await newQueue(ctx, 'a7');
      const total = 30;
      const result = await q.sendBatch(
        Array.from({ length: total }, (_, i) => ({ id: `m${i}`, body: uniqueBody(`a7-${i}`), ...sendOptions(q) })),
      );
      expect(result.failed).toEqual([]);
      const sentIds = result.successful.map((s) => s.messageId);
      const seen = new Map<string, number[]>();
      const deadline = Date.now() + 8000 + ctx.granularityMs;
      const consumer = async () => {
        let empty = 0;
        while (seen.size < total && Date.now() < deadline && empty < (ctx.clock ? 3 : 100)) {
          const batch = await q.receive({ maxMessages: 10, waitTimeSeconds: ctx.clock ? 0 : 1 });
          empty = batch.length === 0 ? empty + 1 : 0;
          for (const m of batch) {
            seen.set(m.messageId, [...(seen.get(m.messageId) ?? []), m.receiveCount]);
            await q.delete(m);
          }
          if (ctx.clock) await tick();
        }
      };
      await Promise.all([consumer(), consumer()]);
      expect(sorted(seen.keys())).toEqual(sorted(sentIds));
      for (const counts of seen.values()) {
        if (counts.length > 1) expect(Math.max(...counts)).toBeGreaterThanOrEqual(2);
      }
    },
  );

  defineCase(
    ctx,
    'A8a',
    'bodies with characters outside the XML set are InvalidMessageContents; nothing enqueued',
    async () => {
      const q = await newQueue(ctx, 'a8a');
      const invalid = [
        '\u0000',
        'a\u0008b',
        'v\u000Bt',
        'f\u000Cf',
        '\u001F',
        'x\uFFFE',
        '\uFFFF',
        'hi\uD800',
        '\uDC00lo',
      ];
      for (const body of invalid) await expectError(q.send(body, sendOptions(q)), 'InvalidMessageContents');
      await expectNothingEnqueued(ctx, q);
    },
  );

  defineCase(ctx, 'A8b', 'an empty or non-string body is InvalidParameter; nothing enqueued', async () => {
    const q = await newQueue(ctx, 'a8b');
    await expectError(q.send('', sendOptions(q)), 'InvalidParameter');
    await expectError(q.send(undefined as unknown as string, sendOptions(q)), 'InvalidParameter');
    await expectError(q.send(42 as unknown as string, sendOptions(q)), 'InvalidParameter');
    await expectNothingEnqueued(ctx, q);
  });

  defineCase(
    ctx,
    'A9a',
    'queue names: 1–80 of [A-Za-z0-9_-]; anything else is InvalidParameter and creates nothing',
    async () => {
      const stem = `mpc-a9a-${shortId()}`;
      const longest = `${stem}-${'x'.repeat(80 - stem.length - 1)}`;
      expect(longest.length).toBe(80);
      await ctx.broker.createQueue(longest);
      ctx.track('queue', longest);
      const invalid = [`${longest}x`, `${stem}.x`, `${stem} x`, `${stem}/x`, `${stem}ä`, `${stem}:x`, ''];
      for (const name of invalid) {
        await expectError(ctx.broker.createQueue(name), 'InvalidParameter');
        await expectError(() => ctx.broker.queue(name), 'InvalidParameter');
      }
      expect(await ctx.broker.listQueues(stem)).toEqual([longest]);
    },
  );

  defineCase(ctx, 'A9b', 'queue names are case-sensitive: Q and q are two queues', async () => {
    const stem = `mpc-a9b-${shortId()}`;
    const upper = await ctx.broker.createQueue(`${stem}-Q`);
    const lower = await ctx.broker.createQueue(`${stem}-q`);
    ctx.track('queue', upper.name);
    ctx.track('queue', lower.name);
    expect(sorted(await ctx.broker.listQueues(stem))).toEqual(sorted([upper.name, lower.name]));
    const body = uniqueBody('a9b');
    await upper.send(body);
    expect((await receiveOne(ctx, upper)).body).toBe(body);
    await expectQuiet(ctx, lower);
  });

  defineCase(
    ctx,
    'A10',
    'createQueue is idempotent for identical attributes; different ones are QueueAlreadyExists',
    async () => {
      const name = uniqueName('a10', ctx.queueKind);
      const options = {
        visibilityTimeoutSeconds: 45,
        ...(ctx.fifoRun ? { fifo: true, contentBasedDeduplication: true } : {}),
      };
      const first = await ctx.broker.createQueue(name, options);
      ctx.track('queue', name);
      const second = await ctx.broker.createQueue(name, { ...options });
      const body = uniqueBody('a10');
      await second.send(body, sendOptions(second));
      expect((await receiveOne(ctx, first)).body).toBe(body);
      await expectError(
        ctx.broker.createQueue(name, { ...options, visibilityTimeoutSeconds: 46 }),
        'QueueAlreadyExists',
      );
      await expectError(ctx.broker.createQueue(name, { ...options, delaySeconds: 5 }), 'QueueAlreadyExists');
      expect((await first.getAttributes()).config.visibilityTimeoutSeconds).toBe(45);
      expect((await ctx.broker.listQueues(name)).filter((n) => n === name)).toEqual([name]);
    },
  );
}
