import { describe, expect, it } from 'vitest';
import { Broker } from '../src/broker.js';
import { isMsgportError } from '../src/errors.js';
import { moveMessages } from '../src/move-messages.js';
import { connect } from '../src/registry.js';
import { FakeDriver } from './fake-driver.js';

const setup = () => {
  const driver = new FakeDriver();
  const broker = new Broker(driver, { retry: { attempts: 1 } });
  return { driver, broker, queue: broker.queue('q'), fifo: broker.queue('q.fifo'), topic: broker.topic('t') };
};
type Setup = ReturnType<typeof setup>;

/** Runs `call`, sync throw or rejection alike, and returns the error (or fails when it succeeds). */
async function failure(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

class Options {
  readonly maxMessages = 1;
}
const notSignals = [{}, { aborted: false }, 'signal', 1, Symbol('s'), new AbortController()];
const notOptions = ['x', 1, true, Symbol('o'), [], new Options(), () => {}, new Map()];

const invalidCalls: [string, (s: Setup) => unknown][] = [
  ...notSignals.map((signal, i): [string, (s: Setup) => unknown] => [
    `receive({ signal: not an AbortSignal #${i} })`,
    (s) => s.queue.receive({ signal: signal as AbortSignal }),
  ]),
  ...notSignals.map((signal, i): [string, (s: Setup) => unknown] => [
    `redrive({ signal: not an AbortSignal #${i} })`,
    (s) => s.queue.redrive({ to: 'other', signal: signal as AbortSignal }),
  ]),
  ...notOptions.flatMap((options, i): [string, (s: Setup) => unknown][] => [
    [`receive(options #${i})`, (s) => s.queue.receive(options as never)],
    [`send(body, options #${i})`, (s) => s.queue.send('x', options as never)],
    [`redrive(options #${i})`, (s) => s.queue.redrive(options as never)],
    [`createQueue(name, options #${i})`, (s) => s.broker.createQueue('n', options as never)],
    [`createTopic(name, options #${i})`, (s) => s.broker.createTopic('n', options as never)],
    [`queue(name, options #${i})`, (s) => s.broker.queue('n', options as never)],
    [`topic(name, options #${i})`, (s) => s.broker.topic('n', options as never)],
    [`publish(body, options #${i})`, (s) => s.topic.publish('x', options as never)],
    [`subscribe(queue, options #${i})`, (s) => s.topic.subscribe('q', options as never)],
  ]),
  ['listQueues(Symbol())', (s) => s.broker.listQueues(Symbol() as never)],
  ['listQueues(42)', (s) => s.broker.listQueues(42 as never)],
  ['listQueues("a*")', (s) => s.broker.listQueues('a*')],
  ['listTopics({})', (s) => s.broker.listTopics({} as never)],
  ['subscribe(null)', (s) => s.topic.subscribe(null as never)],
  ['subscribe({ name: "q" }) (not a Queue)', (s) => s.topic.subscribe({ name: 'q' } as never)],
  [
    'subscribe(q, { rawMessageDelivery: "yes" })',
    (s) => s.topic.subscribe('q', { rawMessageDelivery: 'yes' as never }),
  ],
  ['createQueue(Symbol())', (s) => s.broker.createQueue(Symbol() as never)],
  ['createQueue(n, { deadLetter: "dlq" })', (s) => s.broker.createQueue('n', { deadLetter: 'dlq' as never })],
  ['createQueue(n, { codec: {} })', (s) => s.broker.createQueue('n', { codec: {} as never })],
  ['queue(n, { unwrapEnvelopes: 1 })', (s) => s.broker.queue('n', { unwrapEnvelopes: 1 as never })],
  ['send(body, { attributes: [] })', (s) => s.queue.send('x', { attributes: [] as never })],
  ['send(body, { attributes: new Map() })', (s) => s.queue.send('x', { attributes: new Map() as never })],
  ['send(body, { attributes: { a: [1n] } })', (s) => s.queue.send('x', { attributes: { a: [1n] as never } })],
  ['send(Symbol())', (s) => s.queue.send(Symbol() as never)],
  ['send(body, { delaySeconds: "1" })', (s) => s.queue.send('x', { delaySeconds: '1' as never })],
  ['sendBatch(null)', (s) => s.queue.sendBatch(null as never)],
  ['sendBatch("abc")', (s) => s.queue.sendBatch('abc' as never)],
  ['sendBatch([null])', (s) => s.queue.sendBatch([null as never])],
  ['deleteBatch({})', (s) => s.queue.deleteBatch({} as never)],
  ['delete(null)', (s) => s.queue.delete(null as never)],
  ['delete(Symbol())', (s) => s.queue.delete(Symbol() as never)],
  ['changeVisibility(h, null)', (s) => s.queue.changeVisibility('h', null as never)],
  ['redrive({ to: itself })', (s) => s.queue.redrive({ to: 'q' })],
  ['redrive({ to: Symbol() })', (s) => s.queue.redrive({ to: Symbol() as never })],
  ['redrive({ maxMessages: 0 })', (s) => s.queue.redrive({ to: 'o', maxMessages: 0 })],
  ['redrive({ onProgress: 1 })', (s) => s.queue.redrive({ to: 'o', onProgress: 1 as never })],
  ['moveMessages(q, q)', (s) => moveMessages(s.queue, s.broker.queue('q'))],
  ['moveMessages(q, "other")', (s) => moveMessages(s.queue, 'other' as never)],
  ['unsubscribe(Symbol())', (s) => s.topic.unsubscribe(Symbol() as never)],
  ['new Broker(driver, "options")', () => new Broker(new FakeDriver(), 'options' as never)],
  ['new Broker(driver, { retry: { attempts: 0 } })', () => new Broker(new FakeDriver(), { retry: { attempts: 0 } })],
  // Checked before the scheme is even looked up (an unknown one would be UnsupportedCapability).
  ['connect(url, { retry: "x" })', () => connect('nosuchscheme://', { retry: 'x' as never })],
  ['connect(url, { logger: {} })', () => connect('nosuchscheme://', { logger: {} as never })],
  ['connect(url, { callTimeoutMs: -1 })', () => connect('nosuchscheme://', { callTimeoutMs: -1 })],
  ['connect(url, "options")', () => connect('nosuchscheme://', 'options' as never)],
  ['new Broker(driver, { deadlines: "x" })', () => new Broker(new FakeDriver(), { deadlines: 'x' as never })],
  [
    'new Broker(driver, { deadlines: { callTimeoutMs: 0 } })',
    () => new Broker(new FakeDriver(), { deadlines: { connectTimeoutMs: 1, callTimeoutMs: 0 } }),
  ],
];

describe('every argument is checked before I/O, and a bad one is a typed error (InvalidParameter mostly)', () => {
  it.each(invalidCalls)('%s', async (_name, call) => {
    const s = setup();
    const error = await failure(() => call(s));
    expect(isMsgportError(error), String(error)).toBe(true);
    expect(error).toMatchObject({
      code: expect.stringMatching(/^(InvalidParameter|ReceiptHandleIsInvalid|InvalidBatchEntryId)$/),
    });
    expect(s.driver.calls).toEqual([]);
  });

  it('the message names the argument, never a string value', async () => {
    const s = setup();
    const secret = 'tok-5f0c1e2d';
    const errors = await Promise.all([
      failure(() => s.queue.send('x', { attributes: { n: { dataType: 'Number', stringValue: secret } } })),
      failure(() => s.fifo.send('x', { groupId: `${secret} with spaces` })),
      failure(() => s.queue.delete('r'.repeat(2_000) + secret)),
      failure(() => s.topic.publish('x', { subject: `${secret}\n` })),
      failure(() => s.queue.send('x', { delaySeconds: secret as never })),
    ]);
    for (const error of errors) {
      expect(isMsgportError(error)).toBe(true);
      expect((error as Error).message).not.toContain(secret);
    }
    expect((errors[1] as Error).message).toContain('groupId');
  });
});

describe('null and undefined options mean "no options"', () => {
  const absent: [string, (s: Setup) => Promise<unknown> | unknown][] = [
    ['receive(null)', (s) => s.queue.receive(null)],
    [
      'receive({ signal: null, maxMessages: null })',
      (s) => s.queue.receive({ signal: null, maxMessages: null } as never),
    ],
    ['send(body, null)', (s) => s.queue.send('x', null)],
    [
      'send(body, { attributes: null, groupId: null, delaySeconds: null })',
      (s) => s.queue.send('x', { attributes: null, groupId: null, delaySeconds: null } as never),
    ],
    ['createQueue(n, null)', (s) => s.broker.createQueue('n', null)],
    ['createQueue(n, { deadLetter: null })', (s) => s.broker.createQueue('n', { deadLetter: null } as never)],
    ['createQueue(n, undefined)', (s) => s.broker.createQueue('n', undefined)],
    ['createTopic(n, null)', (s) => s.broker.createTopic('n', null)],
    ['queue(n, null)', (s) => s.broker.queue('n', null)],
    ['topic(n, null)', (s) => s.broker.topic('n', null)],
    ['subscribe(q, null)', (s) => s.topic.subscribe('q', null)],
    ['publish(body, null)', (s) => s.topic.publish('x', null)],
    ['listQueues(null)', (s) => s.broker.listQueues(null)],
    ['listTopics(undefined)', (s) => s.broker.listTopics(undefined)],
    ['sendBatch entry with null options', (s) => s.queue.sendBatch([{ id: 'a', body: 'x', groupId: null } as never])],
  ];
  it.each(absent)('%s', async (_name, call) => {
    await expect(Promise.resolve().then(() => call(setup()))).resolves.toBeDefined();
  });

  it('redrive(null) finds the source queue as with no options', async () => {
    const error = await failure(() => setup().queue.redrive(null));
    // the fake driver lists no queues, so no queue uses q as its dead-letter queue
    expect(error).toMatchObject({ code: 'InvalidParameter', message: expect.stringContaining('no queue uses') });
  });
});
