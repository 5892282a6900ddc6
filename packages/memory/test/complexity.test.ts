import { ManualClock, type Queue } from '@msgport/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../src/index.js';
import { workCounts } from '../src/work-counts.js';

/** The work counted while `run` runs: messages and groups that loops stepped on. */
async function workOf(run: () => Promise<unknown>): Promise<{ messages: number; groups: number }> {
  const messages = workCounts.messageVisits;
  const groups = workCounts.groupVisits;
  await run();
  return { messages: workCounts.messageVisits - messages, groups: workCounts.groupVisits - groups };
}

async function sendMany(queue: Queue, count: number, entry: (n: number) => object = () => ({})): Promise<void> {
  for (let n = 0; n < count; n += 10) {
    const batch = Array.from({ length: Math.min(10, count - n) }, (_, i) => ({
      id: `e${i}`,
      body: `m${n + i}`,
      ...entry(n + i),
    }));
    const result = await queue.sendBatch(batch);
    expect(result.failed).toEqual([]);
  }
}

async function receiveAll(queue: Queue, count: number, visibilityTimeoutSeconds = 600): Promise<string[]> {
  const handles: string[] = [];
  while (handles.length < count) {
    const received = await queue.receive({ maxMessages: 10, visibilityTimeoutSeconds, waitTimeSeconds: 0 });
    if (received.length === 0) break;
    handles.push(...received.map((m) => m.receiptHandle));
  }
  return handles;
}

describe('memory queue work does not grow with the backlog (counted steps, not time)', { timeout: 120_000 }, () => {
  it('a FIFO receive visits at most one group per message it returns, however many groups are locked', async () => {
    const broker = createMemoryBroker({ clock: new ManualClock() });
    const queue = await broker.createQueue('groups.fifo', { fifo: true });
    await sendMany(queue, 10_000, (n) => ({ groupId: `g${n}`, deduplicationId: `d${n}` }));
    expect(await workOf(() => queue.receive({ maxMessages: 10 }))).toEqual({ messages: 10, groups: 10 });
    // Lock all but ten groups: each is in flight.
    await receiveAll(queue, 9_980);
    expect((await queue.getAttributes()).visible).toBe(10);
    expect(await workOf(() => queue.receive({ maxMessages: 10 }))).toEqual({ messages: 10, groups: 10 });
    expect(await workOf(() => queue.receive({ maxMessages: 10 }))).toEqual({ messages: 0, groups: 0 });
  });

  it('a FIFO receive from one deep group visits only the messages it returns', async () => {
    const broker = createMemoryBroker({ clock: new ManualClock() });
    const queue = await broker.createQueue('deep.fifo', { fifo: true });
    await sendMany(queue, 10_000, (n) => ({ groupId: 'g', deduplicationId: `d${n}` }));
    for (let round = 0; round < 5; round++) {
      let handles: string[] = [];
      const work = await workOf(async () => {
        handles = (await queue.receive({ maxMessages: 10 })).map((m) => m.receiptHandle);
      });
      expect(work).toEqual({ messages: 10, groups: 1 });
      // Deleting in reverse order (the worst case for a group kept as an array) steps on nothing.
      expect(
        await workOf(() =>
          queue.deleteBatch(handles.reverse().map((receiptHandle, i) => ({ id: `d${i}`, receiptHandle }))),
        ),
      ).toEqual({ messages: 0, groups: 0 });
    }
    expect((await queue.getAttributes()).visible).toBe(9_950);
  });

  it('getAttributes() visits no message, whatever the backlog', async () => {
    const broker = createMemoryBroker({ clock: new ManualClock() });
    const queue = await broker.createQueue('stats');
    await sendMany(queue, 20_000);
    await sendMany(queue, 10_000, () => ({ delaySeconds: 900 }));
    await receiveAll(queue, 10_000);
    const work = await workOf(async () => {
      for (let i = 0; i < 100; i++) await queue.getAttributes();
    });
    expect(work).toEqual({ messages: 0, groups: 0 });
    const stats = await queue.getAttributes();
    expect([stats.visible, stats.inFlight, stats.delayed]).toEqual([10_000, 10_000, 10_000]);
  });

  it('deleting in any order steps on no message; retention visits each expired message once', async () => {
    const clock = new ManualClock();
    const broker = createMemoryBroker({ clock });
    const queue = await broker.createQueue('deletes', { retentionSeconds: 60 });
    await sendMany(queue, 20_000);
    const handles = await receiveAll(queue, 10_000);
    const reversed = handles.reverse().map((receiptHandle, i) => ({ id: `d${i % 10}`, receiptHandle }));
    const work = await workOf(async () => {
      for (let i = 0; i < reversed.length; i += 10) await queue.deleteBatch(reversed.slice(i, i + 10));
    });
    expect(work).toEqual({ messages: 0, groups: 0 });
    await clock.advance(61);
    expect(await workOf(() => queue.getAttributes())).toEqual({ messages: 10_000, groups: 0 });
    expect(await workOf(() => queue.getAttributes())).toEqual({ messages: 0, groups: 0 });
    expect((await queue.getAttributes()).visible).toBe(0);
  });
});
