import { ManualClock } from '@msgport/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../src/index.js';
import { MessageIds } from '../src/message-ids.js';
import { MessageTable } from '../src/message-table.js';
import { MessageTimers } from '../src/message-timers.js';

describe('memory queue storage', () => {
  it('a freed slot drops its body at once and is reused; an emptied large table gives its memory back', () => {
    const table = new MessageTable(false, new MessageIds());
    const slots = Array.from({ length: 2_000 }, (_, i) => table.add(i, `body ${i}`, {}, 0, i + 1, 0));
    table.release(slots[5] as number);
    expect(table.body(slots[5] as number)).toBeUndefined();
    expect(table.add(7, 'again', {}, 0, 9_999, 0)).toBe(slots[5]);
    for (const slot of slots) table.release(slot);
    expect(table.size).toBe(0);
    expect(table.body(0)).toBeUndefined();
  });

  it('a cancelled timer leaves nothing behind; lists of one duration fall due in order', () => {
    const table = new MessageTable(false, new MessageIds());
    const timers = new MessageTimers(table);
    const a = table.add(1, 'a', {}, 0, 1, 0);
    const b = table.add(2, 'b', {}, 0, 2, 0);
    const c = table.add(3, 'c', {}, 0, 3, 0);
    timers.schedule(a, 30_000, 0);
    timers.schedule(b, 30_000, 10);
    timers.schedule(c, 5_000, 20);
    expect(timers.nextDue()).toBe(5_020);
    timers.cancel(c);
    expect(timers.nextDue()).toBe(30_000);
    const due: number[] = [];
    timers.popDue(30_010, (slot) => due.push(slot));
    expect(due).toEqual([a, b]);
    expect(timers.nextDue()).toBeUndefined();
    timers.schedule(a, 1_000, 0);
    timers.cancel(a);
    expect(timers.nextDue()).toBeUndefined();
  });

  it('a standard dead-letter queue keeps the original sent time, for retention and the oldest age', async () => {
    const clock = new ManualClock();
    const broker = createMemoryBroker({ clock });
    const dlq = await broker.createQueue('dlq');
    const source = await broker.createQueue('source', { deadLetter: { queue: 'dlq', maxReceiveCount: 1 } });
    await source.send('moved later, sent first');
    await clock.advance(10);
    await dlq.send('sent to the dead-letter queue directly');
    await clock.advance(10);
    await source.receive({ visibilityTimeoutSeconds: 1 });
    await clock.advance(2);
    expect(await source.receive()).toEqual([]);
    const stats = await dlq.getAttributes();
    expect([stats.visible, stats.oldestMessageAgeSeconds]).toEqual([2, 22]);
    const [first] = await dlq.receive({ maxMessages: 10, visibilityTimeoutSeconds: 0 });
    expect(first?.body).toBe('sent to the dead-letter queue directly');
    await dlq.delete(first?.receiptHandle ?? '');
    expect((await dlq.getAttributes()).oldestMessageAgeSeconds).toBe(22);
  });
});
