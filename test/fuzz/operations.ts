import { type Broker, isMsgportError, moveMessages, type Queue, type Topic } from '@msgport/core';
import type { BodyLedger } from './ledger.js';
import type { Prng } from './prng.js';
import { hostile, hostileOptions, someOptions } from './values.js';

/** What the operations work on: a broker, a few queues and a topic made before the run. */
export interface FuzzWorld {
  readonly broker: Broker;
  readonly rng: Prng;
  readonly ledger: BodyLedger;
  readonly std: Queue;
  readonly fifo: Queue;
  readonly dlq: Queue;
  /** Subscribed to `topic` with raw delivery. */
  readonly sub: Queue;
  readonly topic: Topic;
  /** Recent receipt handles, valid or stale. */
  readonly handles: string[];
  /** A name no queue or topic has. */
  readonly missing: string;
}

/** One generated call: `valid` when every argument is acceptable (it may still fail, e.g. QueueDoesNotExist). */
export interface FuzzCall {
  readonly name: string;
  readonly valid: boolean;
  readonly run: () => unknown;
  /** Bodies this call would enqueue, to learn from its outcome (per entry id for batches). */
  readonly bodies?: ReadonlyMap<string, string>;
}

type Maker = (w: FuzzWorld) => FuzzCall;

const RECEIPT_FIELDS = ['maxMessages', 'waitTimeSeconds', 'visibilityTimeoutSeconds', 'signal'];
const SEND_FIELDS = ['attributes', 'delaySeconds', 'groupId', 'deduplicationId'];

function remember(w: FuzzWorld, messages: readonly { receiptHandle: string; rawBody: string }[], where: string) {
  for (const m of messages) {
    w.ledger.observed(m.rawBody, where);
    w.handles.push(m.receiptHandle);
  }
  if (w.handles.length > 200) w.handles.splice(0, w.handles.length - 200);
}

const queueOf = (w: FuzzWorld): Queue => w.rng.pick([w.std, w.std, w.fifo, w.dlq, w.sub]);
const handleOf = (w: FuzzWorld): string => (w.handles.length > 0 ? w.rng.pick(w.handles) : 'no-handle-yet');
const fifoOptions = (w: FuzzWorld, q: Queue) => (q.fifo ? { groupId: `g${w.rng.int(0, 3)}` } : {});

function validSendOptions(w: FuzzWorld, q: Queue): Record<string, unknown> {
  const options = someOptions(w.rng, {
    attributes: () => ({ k: `v${w.rng.int(0, 9)}`, n: w.rng.int(0, 99) }),
    ...(q.fifo ? {} : { delaySeconds: () => 0 }),
  });
  return { ...options, ...fifoOptions(w, q) };
}

const send: Maker = (w) => {
  const q = queueOf(w);
  const body = w.ledger.body();
  const valid = w.rng.chance(0.5);
  const options = valid ? validSendOptions(w, q) : hostileOptions(w.rng, SEND_FIELDS);
  return { name: 'send', valid, run: () => q.send(body, options as never), bodies: new Map([['m', body]]) };
};

const sendInvalidBody: Maker = (w) => {
  const q = queueOf(w);
  const body = w.rng.pick<unknown>(['', '\u0000', '\uFFFF', 'x'.repeat(1_048_577), ...[hostile(w.rng)]]);
  return { name: 'send(bad body)', valid: false, run: () => q.send(body as string, fifoOptions(w, q)) };
};

const sendBatch: Maker = (w) => {
  const q = queueOf(w);
  const count = w.rng.int(1, 14);
  const bodies = new Map<string, string>();
  const entries: unknown[] = [];
  let valid = true;
  for (let i = 0; i < count; i++) {
    const body = w.ledger.body();
    const good = w.rng.chance(0.8);
    valid &&= good;
    bodies.set(`e${i}`, body);
    entries.push({
      id: `e${i}`,
      body,
      ...(good ? validSendOptions(w, q) : (hostileOptions(w.rng, SEND_FIELDS) as object)),
    });
  }
  const shape = w.rng.weighted<unknown>([
    [8, entries],
    [1, []],
    [1, [...entries, entries[0]]],
    [1, entries.map((e, i) => (i === 0 ? { ...(e as object), id: 'bad id!' } : e))],
    [1, hostile(w.rng)],
  ]);
  return { name: 'sendBatch', valid: valid && shape === entries, run: () => q.sendBatch(shape as never), bodies };
};

const receive: Maker = (w) => {
  const q = queueOf(w);
  const valid = w.rng.chance(0.5);
  const options = valid
    ? someOptions(w.rng, {
        maxMessages: () => w.rng.int(1, 10),
        waitTimeSeconds: () => 0,
        visibilityTimeoutSeconds: () => w.rng.int(0, 20),
      })
    : w.rng.chance(0.2)
      ? { signal: AbortSignal.abort() }
      : hostileOptions(w.rng, RECEIPT_FIELDS);
  // A few long polls, some aborted midway, exercise deadlines and signals.
  const longPoll = valid && w.rng.chance(0.05);
  const abortAfterMs = longPoll && w.rng.chance(0.5) ? w.rng.int(0, 300) : undefined;
  const signal = abortAfterMs === undefined ? undefined : AbortSignal.timeout(abortAfterMs);
  const withWait = valid
    ? { ...(options as object), waitTimeSeconds: longPoll ? 1 : 0, ...(signal ? { signal } : {}) }
    : options;
  return {
    name: 'receive',
    valid,
    run: async () => remember(w, await q.receive(withWait as never), `receive ${q.name}`),
  };
};

const deleteMessage: Maker = (w) => {
  const q = queueOf(w);
  const valid = w.rng.chance(0.6);
  const handle = valid ? handleOf(w) : hostile(w.rng);
  return { name: 'delete', valid, run: () => q.delete(handle as string) };
};

const deleteBatch: Maker = (w) => {
  const q = queueOf(w);
  const valid = w.rng.chance(0.6);
  const entries = valid
    ? [...new Set(Array.from({ length: w.rng.int(1, 12) }, () => handleOf(w)))].map((h, i) => ({
        id: `d${i}`,
        receiptHandle: h,
      }))
    : w.rng.pick<unknown>([[], hostile(w.rng), [{ id: 'x', receiptHandle: hostile(w.rng) }], [{ receiptHandle: 'h' }]]);
  return { name: 'deleteBatch', valid, run: () => q.deleteBatch(entries as never) };
};

const changeVisibility: Maker = (w) => {
  const q = queueOf(w);
  const valid = w.rng.chance(0.5);
  return valid
    ? { name: 'changeVisibility', valid, run: () => q.changeVisibility(handleOf(w), w.rng.int(0, 30)) }
    : { name: 'changeVisibility', valid, run: () => q.changeVisibility(handleOf(w), hostile(w.rng) as number) };
};

const changeVisibilityBatch: Maker = (w) => {
  const q = queueOf(w);
  const valid = w.rng.chance(0.5);
  const entries = [{ id: 'v0', receiptHandle: handleOf(w), visibilityTimeoutSeconds: valid ? 0 : hostile(w.rng) }];
  return { name: 'changeVisibilityBatch', valid, run: () => q.changeVisibilityBatch(entries as never) };
};

const attributes: Maker = (w) => ({ name: 'getAttributes', valid: true, run: () => queueOf(w).getAttributes() });

const purge: Maker = (w) => ({ name: 'purge', valid: true, run: () => w.rng.pick([w.std, w.sub]).purge() });

const createQueue: Maker = (w) => {
  const roll = w.rng.int(0, 3);
  if (roll === 0) return { name: 'createQueue(existing)', valid: true, run: () => w.broker.createQueue(w.dlq.name) };
  if (roll === 1)
    return {
      name: 'createQueue(conflict)',
      valid: true,
      run: () => w.broker.createQueue(w.dlq.name, { visibilityTimeoutSeconds: 3 }),
    };
  const args: unknown[] = w.rng.chance(0.5)
    ? [hostile(w.rng)]
    : [w.missing, hostileOptions(w.rng, ['visibilityTimeoutSeconds', 'deadLetter', 'fifo', 'codec', 'delaySeconds'])];
  return { name: 'createQueue(bad)', valid: false, run: () => w.broker.createQueue(...(args as [string])) };
};

const handles: Maker = (w) => {
  const valid = w.rng.chance(0.3);
  const args: unknown[] = valid ? [w.std.name, null] : [hostile(w.rng), undefined];
  const target = w.rng.chance(0.5) ? 'queue' : 'topic';
  return {
    name: `broker.${target}()`,
    valid,
    run: () => (target === 'queue' ? w.broker.queue(...(args as [string])) : w.broker.topic(...(args as [string]))),
  };
};

const list: Maker = (w) => {
  const valid = w.rng.chance(0.5);
  const prefix = valid ? w.rng.pick([undefined, null, w.std.name.slice(0, 6)]) : hostile(w.rng);
  return w.rng.chance(0.5)
    ? { name: 'listQueues', valid, run: () => w.broker.listQueues(prefix as string) }
    : { name: 'listTopics', valid, run: () => w.broker.listTopics(prefix as string) };
};

const publish: Maker = (w) => {
  const body = w.ledger.body();
  const valid = w.rng.chance(0.5);
  const options = valid
    ? someOptions(w.rng, { attributes: () => ({ k: 'v' }), subject: () => 'subject' })
    : hostileOptions(w.rng, ['attributes', 'subject', 'groupId', 'deduplicationId']);
  if (w.rng.chance(0.3)) {
    const entries = [{ id: 'p0', body, ...(options as object) }];
    return {
      name: 'publishBatch',
      valid,
      run: () => w.topic.publishBatch(entries as never),
      bodies: new Map([['p0', body]]),
    };
  }
  return { name: 'publish', valid, run: () => w.topic.publish(body, options as never), bodies: new Map([['m', body]]) };
};

const subscribe: Maker = (w) => {
  const valid = w.rng.chance(0.3);
  return valid
    ? { name: 'subscribe(same)', valid, run: () => w.topic.subscribe(w.sub, { rawMessageDelivery: true }) }
    : {
        name: 'subscribe(bad)',
        valid,
        run: () =>
          w.rng.chance(0.5)
            ? w.topic.subscribe(hostile(w.rng) as string)
            : w.topic.subscribe(
                w.sub,
                hostileOptions(w.rng, ['rawMessageDelivery', 'filterPolicy', 'filterPolicyScope']) as never,
              ),
      };
};

const subscriptions: Maker = (w) => ({
  name: 'listSubscriptions',
  valid: true,
  run: () => w.topic.listSubscriptions(),
});

const redrive: Maker = (w) => {
  const valid = w.rng.chance(0.4);
  const options = valid
    ? { to: w.std.name, maxMessages: w.rng.int(1, 5) }
    : w.rng.pick<unknown>([
        { to: w.dlq.name },
        hostile(w.rng),
        hostileOptions(w.rng, ['to', 'maxMessages', 'onProgress', 'signal']),
      ]);
  return {
    name: 'redrive',
    valid,
    run: () => w.dlq.redrive(options as never),
  };
};

const move: Maker = (w) => ({
  name: 'moveMessages',
  valid: false,
  run: () => moveMessages(w.std, w.rng.chance(0.5) ? w.std : (hostile(w.rng) as Queue), { maxMessages: 1 }),
});

const missing: Maker = (w) => {
  const q = w.broker.queue(w.missing);
  return w.rng.pick<FuzzCall>([
    { name: 'send(missing queue)', valid: true, run: () => q.send('x') },
    { name: 'receive(missing queue)', valid: true, run: () => q.receive({ waitTimeSeconds: 0 }) },
    { name: 'deleteQueue(missing)', valid: true, run: () => w.broker.deleteQueue(w.missing) },
    { name: 'publish(missing topic)', valid: true, run: () => w.broker.topic(w.missing).publish('x') },
    { name: 'unsubscribe(bogus)', valid: true, run: () => w.topic.unsubscribe(`no-such-${w.missing}`) },
  ]);
};

/** The mix of one run: weights favour sends and receives, the hot paths. */
export const MAKERS: readonly (readonly [number, Maker])[] = [
  [14, send],
  [3, sendInvalidBody],
  [8, sendBatch],
  [12, receive],
  [5, deleteMessage],
  [3, deleteBatch],
  [3, changeVisibility],
  [2, changeVisibilityBatch],
  [3, attributes],
  [0.3, purge],
  [3, createQueue],
  [4, handles],
  [3, list],
  [6, publish],
  [2, subscribe],
  [1, subscriptions],
  [2, redrive],
  [1, move],
  [4, missing],
];

export { isMsgportError };
