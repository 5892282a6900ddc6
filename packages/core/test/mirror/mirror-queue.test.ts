import { describe, expect, it } from 'vitest';
import { Broker } from '../../src/broker.js';
import { isMsgportError } from '../../src/errors.js';
import { type MirrorFailure, mirrorQueue } from '../../src/mirror/index.js';
import type { SendBatchEntry } from '../../src/queue.js';
import { refusingDriver } from './scripted-driver.js';

// Core cannot depend on @msgport/memory (memory depends on core), so these tests drive the mirror
// over scripted drivers; packages/cli/test/mirror runs it over two memory brokers and across transports.
function setup() {
  const primaryDriver = refusingDriver('p');
  const secondaryDriver = refusingDriver('s');
  const noRetry = { retry: { attempts: 1 } };
  const primary = new Broker(primaryDriver.driver, noRetry).queue('orders');
  const secondary = new Broker(secondaryDriver.driver, noRetry).queue('orders');
  return { primaryDriver, secondaryDriver, primary, secondary };
}

describe('mirrorQueue', () => {
  it('writes every message to the primary, then to the secondary, and receives from the primary', async () => {
    const { primaryDriver, secondaryDriver, primary, secondary } = setup();
    const mirror = mirrorQueue(primary, secondary, { onFailure: () => expect.fail('no failure expected') });
    const sent = await mirror.send('one', { attributes: { kind: 'a' } });
    await mirror.sendBatch([
      { id: 'x', body: 'two' },
      { id: 'y', body: 'three' },
    ]);
    expect(sent.messageId).toBe('p-1');
    expect(primaryDriver.sent.map((e) => e.body)).toEqual(['one', 'two', 'three']);
    expect(secondaryDriver.sent.map((e) => e.body)).toEqual(['one', 'two', 'three']);
    expect(secondaryDriver.sent[0]?.attributes.kind).toEqual({ dataType: 'String', stringValue: 'a' });
    const order = [...primaryDriver.fake.calls, ...secondaryDriver.fake.calls].filter((c) => c.method === 'sendBatch');
    expect(order).toHaveLength(4);
    expect(mirror.counts()).toEqual({ primary: 3, secondary: 3, failed: 0 });
    await mirror.receive();
    expect(primaryDriver.fake.calls.some((c) => c.method === 'receive')).toBe(true);
    expect(secondaryDriver.fake.calls.some((c) => c.method === 'receive')).toBe(false);
  });

  it('reports entries the secondary refused, with the primary message id, and still succeeds', async () => {
    const { secondaryDriver, primary, secondary } = setup();
    secondaryDriver.refuse = (entry) => entry.body === 'bad';
    const failures: MirrorFailure<SendBatchEntry<string>>[] = [];
    const mirror = mirrorQueue(primary, secondary, { onFailure: (f) => failures.push(f) });
    const result = await mirror.sendBatch([
      { id: 'a', body: 'good' },
      { id: 'b', body: 'bad' },
    ]);
    expect(result.successful.map((s) => s.id)).toEqual(['a', 'b']);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      operation: 'send',
      target: 'orders',
      entries: [{ entry: { id: 'b', body: 'bad' }, primaryMessageId: 'p-2', code: 'InvalidParameter' }],
    });
    expect(mirror.counts()).toEqual({ primary: 2, secondary: 1, failed: 1 });
  });

  it('reports a secondary that is down as a failure of every entry', async () => {
    const { secondaryDriver, primary, secondary } = setup();
    secondaryDriver.fake.failWith = new Error('connect ECONNREFUSED 127.0.0.1:1');
    const failures: MirrorFailure<SendBatchEntry<string>>[] = [];
    const mirror = mirrorQueue(primary, secondary, {
      onSecondaryFailure: 'report',
      onFailure: (f) => failures.push(f),
    });
    await expect(mirror.send('kept on the primary')).resolves.toEqual({ messageId: 'p-1' });
    expect(failures[0]?.entries.map((e) => e.code)).toEqual(['Unavailable']);
  });

  it('throws with the secondary code under onSecondaryFailure: "throw", after calling onFailure', async () => {
    const { primaryDriver, secondaryDriver, primary, secondary } = setup();
    secondaryDriver.fake.failWith = new Error('connect ECONNREFUSED 127.0.0.1:1');
    let reported = 0;
    const mirror = mirrorQueue(primary, secondary, { onSecondaryFailure: 'throw', onFailure: () => reported++ });
    const error = await mirror.send('x').catch((e: unknown) => e);
    expect(isMsgportError(error, 'Unavailable')).toBe(true);
    expect(String((error as Error).message)).toContain('primary message p-1');
    expect(reported).toBe(1);
    expect(primaryDriver.sent).toHaveLength(1);
  });

  it('does not touch the secondary when the primary fails', async () => {
    const { primaryDriver, secondaryDriver, primary, secondary } = setup();
    primaryDriver.fake.failWith = new Error('connect ECONNREFUSED 127.0.0.1:1');
    const mirror = mirrorQueue(primary, secondary, { onFailure: () => expect.fail('primary failures are thrown') });
    await expect(mirror.send('x')).rejects.toMatchObject({ code: 'Unavailable' });
    expect(secondaryDriver.fake.calls.filter((c) => c.method === 'sendBatch')).toHaveLength(0);
  });

  it('sends to the secondary only what the primary accepted', async () => {
    const { primaryDriver, secondaryDriver, primary, secondary } = setup();
    primaryDriver.refuse = (entry) => entry.body === 'refused';
    const mirror = mirrorQueue(primary, secondary, { onFailure: () => expect.fail('no secondary failure') });
    const result = await mirror.sendBatch([
      { id: 'a', body: 'ok' },
      { id: 'b', body: 'refused' },
    ]);
    expect(result.failed.map((f) => f.id)).toEqual(['b']);
    expect(secondaryDriver.sent.map((e) => e.body)).toEqual(['ok']);
    await expect(mirror.send('refused')).rejects.toMatchObject({ code: 'InvalidParameter' });
  });

  it('tags secondary copies with the primary message id when secondaryAttribute is set', async () => {
    const { primaryDriver, secondaryDriver, primary, secondary } = setup();
    const mirror = mirrorQueue(primary, secondary, { onFailure: () => {}, secondaryAttribute: 'mirrored-from' });
    await mirror.send('x', { attributes: { kind: 'a' } });
    expect(primaryDriver.sent[0]?.attributes['mirrored-from']).toBeUndefined();
    expect(secondaryDriver.sent[0]?.attributes).toEqual({
      kind: { dataType: 'String', stringValue: 'a' },
      'mirrored-from': { dataType: 'String', stringValue: 'p-1' },
    });
  });

  it('refuses a report policy without a callback, and FIFO to standard', () => {
    const { primary, secondary } = setup();
    // @ts-expect-error onFailure is required when failures are reported
    expect(() => mirrorQueue(primary, secondary, {})).toThrow(/onFailure/);
    const fifo = new Broker(refusingDriver('f').driver).queue('orders.fifo');
    expect(() => mirrorQueue(primary, fifo, { onSecondaryFailure: 'throw' })).toThrow(/FIFO/);
  });
});
