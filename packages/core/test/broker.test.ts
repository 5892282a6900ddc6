import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Broker } from '../src/broker.js';
import { binaryCodec, jsonCodec } from '../src/codecs.js';
import { LIMITS } from '../src/limits.js';
import { rawErrorOf, TransportCause } from '../src/transport-cause.js';
import { FakeDriver } from './fake-driver.js';

const setup = (caps = {}) => {
  const driver = new FakeDriver(caps);
  return { driver, broker: new Broker(driver, { retry: { attempts: 3, backoffMs: 1 } }) };
};

const io = (driver: FakeDriver, method?: string) =>
  driver.calls.filter((call) => method === undefined || call.method === method);

describe('validation happens before any I/O', () => {
  const badQueueNames = ['', 'a'.repeat(81), 'has space', 'dot.name', 'ünï', 'x.fifo.fifo', '.fifo'];
  it.each(badQueueNames)('queue name %j is InvalidParameter', async (name) => {
    const { broker, driver } = setup();
    await expect(broker.createQueue(name)).rejects.toMatchObject({ code: 'InvalidParameter' });
    expect(() => broker.queue(name)).toThrow(expect.objectContaining({ code: 'InvalidParameter' }));
    expect(io(driver)).toEqual([]);
  });

  it.each([
    [{ visibilityTimeoutSeconds: 43_201 }],
    [{ visibilityTimeoutSeconds: -1 }],
    [{ visibilityTimeoutSeconds: 1.5 }],
    [{ delaySeconds: 901 }],
    [{ retentionSeconds: 59 }],
    [{ retentionSeconds: 1_209_601 }],
    [{ maxMessageBytes: 1_023 }],
    [{ maxMessageBytes: 1_048_577 }],
    [{ receiveWaitTimeSeconds: 21 }],
    [{ fifo: true }],
    [{ contentBasedDeduplication: true }],
    [{ deadLetter: { queue: 'dlq', maxReceiveCount: 0 } }],
    [{ deadLetter: { queue: 'dlq', maxReceiveCount: 1_001 } }],
    [{ deadLetter: { queue: 'dlq.fifo', maxReceiveCount: 3 } }],
    [{ deadLetter: { queue: 'q', maxReceiveCount: 3 } }],
  ])('queue option %j is InvalidParameter', async (options) => {
    const { broker, driver } = setup();
    await expect(broker.createQueue('q', options)).rejects.toMatchObject({ code: 'InvalidParameter' });
    expect(io(driver)).toEqual([]);
  });

  it('rejects a FIFO queue on a transport without FIFO', async () => {
    const { broker, driver } = setup({ fifo: false });
    await expect(broker.createQueue('q.fifo', { fifo: true })).rejects.toMatchObject({ code: 'UnsupportedCapability' });
    expect(io(driver)).toEqual([]);
  });

  const badSends: [string, unknown, object][] = [
    ['empty body', '', {}],
    ['non-XML character', 'a\u0000b', {}],
    ['lone surrogate', 'a\uD800b', {}],
    ['11 attributes', 'x', { attributes: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, 'v'])) }],
    ['AWS. prefix', 'x', { attributes: { 'aws.x': 'v' } }],
    ['Amazon. prefix', 'x', { attributes: { 'Amazon.x': 'v' } }],
    ['leading dot', 'x', { attributes: { '.x': 'v' } }],
    ['double dot', 'x', { attributes: { 'a..b': 'v' } }],
    ['bad name char', 'x', { attributes: { 'a b': 'v' } }],
    ['empty value', 'x', { attributes: { a: '' } }],
    ['bad type', 'x', { attributes: { a: { dataType: 'Strin', stringValue: 'v' } } }],
    ['bad type label separator', 'x', { attributes: { a: { dataType: 'StringArray', stringValue: 'a' } } }],
    ['non-numeric Number', 'x', { attributes: { a: { dataType: 'Number', stringValue: 'abc' } } }],
    ['empty Binary', 'x', { attributes: { a: new Uint8Array() } }],
    ['delay 901', 'x', { delaySeconds: 901 }],
    ['negative delay', 'x', { delaySeconds: -1 }],
    ['deduplicationId on standard', 'x', { deduplicationId: 'd' }],
    ['groupId too long', 'x', { groupId: 'g'.repeat(129) }],
  ];
  it.each(badSends)('send with %s is rejected and nothing is sent', async (_name, body, options) => {
    const { broker, driver } = setup();
    const queue = await broker.createQueue('q');
    driver.calls.length = 0;
    await expect(queue.send(body as string, options)).rejects.toBeInstanceOf(Error);
    const err = await queue.send(body as string, options).catch((e: unknown) => e);
    expect(['InvalidParameter', 'InvalidMessageContents']).toContain((err as { code: string }).code);
    expect(io(driver, 'sendBatch')).toEqual([]);
  });

  it('counts body and attribute names, types and values toward maxMessageBytes', async () => {
    const { broker, driver } = setup();
    const queue = await broker.createQueue('q', { maxMessageBytes: 1_024 });
    const attributes = { ab: 'xyz' }; // 2 + 6 ("String") + 3 = 11 bytes
    await expect(queue.send('x'.repeat(1_024 - 11), { attributes })).resolves.toMatchObject({ messageId: 'mid-m' });
    await expect(queue.send('x'.repeat(1_024 - 10), { attributes })).rejects.toMatchObject({ code: 'MessageTooLong' });
    expect(io(driver, 'sendBatch')).toHaveLength(1);
  });

  it('FIFO: groupId required, deduplicationId required without content dedup, no per-message delay', async () => {
    const { broker, driver } = setup();
    const fifo = await broker.createQueue('q.fifo', { fifo: true });
    await expect(fifo.send('x', { deduplicationId: 'd' })).rejects.toMatchObject({ code: 'InvalidParameter' });
    await expect(fifo.send('x', { groupId: 'g' })).rejects.toMatchObject({ code: 'InvalidParameter' });
    await expect(fifo.send('x', { groupId: 'g', deduplicationId: 'd', delaySeconds: 1 })).rejects.toMatchObject({
      code: 'InvalidParameter',
    });
    await expect(fifo.send('x', { groupId: 'g', deduplicationId: 'd', delaySeconds: 0 })).resolves.toBeDefined();
    expect(io(driver, 'sendBatch')).toHaveLength(1);
  });

  it('content-based deduplication derives the SHA-256 of the body; an explicit id wins', async () => {
    const { broker, driver } = setup();
    const fifo = await broker.createQueue('c.fifo', { fifo: true, contentBasedDeduplication: true });
    await fifo.send('hello', { groupId: 'g' });
    await fifo.send('hello', { groupId: 'g', deduplicationId: 'mine' });
    const sent = io(driver, 'sendBatch').map(
      (call) => (call.args[1] as { deduplicationId: string }[])[0]?.deduplicationId,
    );
    expect(sent).toEqual(['2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824', 'mine']);
  });

  it.each([
    [{ maxMessages: 0 }],
    [{ maxMessages: 11 }],
    [{ waitTimeSeconds: 21 }],
    [{ visibilityTimeoutSeconds: 43_201 }],
  ])('receive %j is InvalidParameter', async (options) => {
    const { broker, driver } = setup();
    await expect(broker.queue('q').receive(options)).rejects.toMatchObject({ code: 'InvalidParameter' });
    expect(io(driver)).toEqual([]);
  });

  it('receipt handles and visibility are checked', async () => {
    const { broker, driver } = setup();
    const queue = broker.queue('q');
    await expect(queue.delete('')).rejects.toMatchObject({ code: 'ReceiptHandleIsInvalid' });
    await expect(queue.changeVisibility('h', 43_201)).rejects.toMatchObject({ code: 'InvalidParameter' });
    expect(io(driver)).toEqual([]);
  });
});

describe('batches', () => {
  it('chunks any number of entries by the transport batch size, results in input order', async () => {
    const { broker, driver } = setup();
    const queue = await broker.createQueue('q');
    const entries = Array.from({ length: 23 }, (_, i) => ({ id: `e${i}`, body: `m${i}` }));
    const result = await queue.sendBatch(entries);
    expect(result.successful.map((s) => s.id)).toEqual(entries.map((e) => e.id));
    expect(io(driver, 'sendBatch').map((call) => (call.args[1] as unknown[]).length)).toEqual([10, 10, 3]);
  });

  it('splits a batch whose total size exceeds the message size limit', async () => {
    const { broker, driver } = setup();
    const queue = await broker.createQueue('q');
    const big = 'x'.repeat(400_000);
    await queue.sendBatch([1, 2, 3].map((i) => ({ id: `e${i}`, body: big })));
    expect(io(driver, 'sendBatch').map((call) => (call.args[1] as unknown[]).length)).toEqual([2, 1]);
  });

  it('one invalid entry fails alone with a code', async () => {
    const { broker } = setup();
    const queue = await broker.createQueue('q');
    const result = await queue.sendBatch([
      { id: 'a', body: 'ok' },
      { id: 'b', body: '' },
      { id: 'c', body: 'ok', delaySeconds: 1000 },
      { id: 'd', body: 'ok' },
    ]);
    expect(result.successful.map((s) => s.id)).toEqual(['a', 'd']);
    expect(result.failed.map((f) => [f.id, f.code, f.senderFault])).toEqual([
      ['b', 'InvalidParameter', true],
      ['c', 'InvalidParameter', true],
    ]);
  });

  it.each([
    ['duplicate ids', [{ id: 'a' }, { id: 'a' }], 'BatchEntryIdsNotDistinct'],
    ['bad id characters', [{ id: 'a b' }], 'InvalidBatchEntryId'],
    ['id too long', [{ id: 'a'.repeat(81) }], 'InvalidBatchEntryId'],
    ['empty batch', [], 'EmptyBatchRequest'],
  ])('%s rejects the whole request before I/O', async (_name, ids, code) => {
    const { broker, driver } = setup();
    const queue = await broker.createQueue('q');
    driver.calls.length = 0;
    await expect(queue.sendBatch(ids.map((e) => ({ ...e, body: 'x' })))).rejects.toMatchObject({ code });
    await expect(queue.deleteBatch(ids.map((e) => ({ ...e, receiptHandle: 'h' })))).rejects.toMatchObject({ code });
    expect(io(driver)).toEqual([]);
  });
});

describe('errors', () => {
  it('wraps raw driver errors once, classified, with a summary as the cause and the raw error kept aside', async () => {
    const { broker, driver } = setup();
    const raw = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6379'), {
      code: 'ECONNREFUSED',
      input: 'redis://user:hidden@10.0.0.1:6379',
    });
    driver.failWith = raw;
    const err = await broker.listQueues().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'Unavailable', retryable: true, transport: 'fake' });
    expect((err as Error).message).toBe('list queues failed: connect ECONNREFUSED 10.0.0.1:6379');
    const cause = (err as Error).cause;
    expect(cause).toBeInstanceOf(TransportCause);
    expect(cause).toMatchObject({ name: 'Error', message: raw.message, code: 'ECONNREFUSED' });
    expect(inspect(err, { showHidden: true, depth: 30 })).not.toContain('hidden');
    expect(rawErrorOf(err)).toBe(raw);
    expect(io(driver, 'listQueues')).toHaveLength(3); // retried: Unavailable is retryable
  });

  it('does not retry non-retryable errors', async () => {
    const { broker, driver } = setup();
    driver.failWith = new Error('boom');
    await expect(broker.listQueues()).rejects.toMatchObject({ code: 'Internal', retryable: false });
    expect(io(driver, 'listQueues')).toHaveLength(1);
  });

  it('after close every operation is Closed, closing twice is harmless', async () => {
    const { broker } = setup();
    const queue = broker.queue('q');
    await broker.close();
    await broker.close();
    await expect(queue.send('x')).rejects.toMatchObject({ code: 'Closed' });
    await expect(queue.receive()).rejects.toMatchObject({ code: 'Closed' });
    await expect(broker.createQueue('q')).rejects.toMatchObject({ code: 'Closed' });
  });

  it('an aborted signal rejects with Aborted before I/O', async () => {
    const { broker, driver } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(broker.queue('q').receive({ signal: controller.signal, waitTimeSeconds: 0 })).rejects.toMatchObject({
      code: 'Aborted',
    });
    expect(io(driver, 'receive')).toEqual([]);
  });
});

describe('codecs', () => {
  it('json and binary round-trip', () => {
    expect(jsonCodec.decode(jsonCodec.encode({ a: [1, 'b'] }))).toEqual({ a: [1, 'b'] });
    const bytes = new Uint8Array(Array.from({ length: 256 }, (_, i) => i));
    expect(binaryCodec.decode(binaryCodec.encode(bytes))).toEqual(bytes);
    expect(() => binaryCodec.decode('not base64!')).toThrow(
      expect.objectContaining({ code: 'InvalidMessageContents' }),
    );
    expect(() => jsonCodec.decode('{')).toThrow(expect.objectContaining({ code: 'InvalidMessageContents' }));
  });

  it('limits match DESIGN', () => {
    expect(LIMITS.messageBytesMax).toBe(1_048_576);
    expect(LIMITS.topicMessageBytesMax).toBe(262_144);
    expect(LIMITS.visibilityTimeoutMaxSeconds).toBe(43_200);
  });
});

describe('a handle from broker.queue() checks input before reading the config', () => {
  it('reports the validation error, not QueueDoesNotExist, and does no I/O', async () => {
    const { broker, driver } = setup();
    const queue = broker.queue('unknown');
    await expect(queue.send('')).rejects.toMatchObject({ code: 'InvalidParameter' });
    await expect(queue.send('x', { delaySeconds: 901 })).rejects.toMatchObject({ code: 'InvalidParameter' });
    await expect(
      queue.sendBatch([
        { id: 'a', body: 'x' },
        { id: 'a', body: 'y' },
      ]),
    ).rejects.toMatchObject({
      code: 'BatchEntryIdsNotDistinct',
    });
    expect(io(driver)).toEqual([]);
    await queue.send('fine');
    expect(io(driver).map((call) => call.method)).toEqual(['getQueue', 'sendBatch']);
  });
});
