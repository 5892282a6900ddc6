import { ManualClock } from '@msgport/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../src/index.js';

describe('memory queue details', () => {
  it('a receive with visibility 0 returns a message once, and it stays visible', async () => {
    const broker = createMemoryBroker({ clock: new ManualClock() });
    const queue = await broker.createQueue('q');
    await queue.send('only one');
    const first = await queue.receive({ maxMessages: 10, visibilityTimeoutSeconds: 0 });
    expect(first.map((m) => m.body)).toEqual(['only one']);
    const again = await queue.receive({ maxMessages: 10, visibilityTimeoutSeconds: 0 });
    expect(again.map((m) => [m.body, m.receiveCount])).toEqual([['only one', 2]]);
    expect((await queue.getAttributes()).visible).toBe(1);
  });

  it('receipt handles of another queue or a malformed one are ReceiptHandleIsInvalid', async () => {
    const broker = createMemoryBroker({ clock: new ManualClock() });
    const a = await broker.createQueue('a');
    const b = await broker.createQueue('b');
    await a.send('x');
    const [m] = await a.receive();
    await expect(b.changeVisibility(m?.receiptHandle ?? '', 5)).rejects.toMatchObject({
      code: 'ReceiptHandleIsInvalid',
    });
    await expect(a.changeVisibility('garbage', 5)).rejects.toMatchObject({ code: 'ReceiptHandleIsInvalid' });
  });
});
