import { randomBytes } from 'node:crypto';
import {
  AbortedError,
  ClosedError,
  type DriverMessage,
  type DriverReceiveRequest,
  silentLogger,
} from '@msgport/core/driver';
import { BlockingConnection } from './blocking.js';
import { isCluster, openBlockingConnection } from './connection.js';
import { ConnectionLog } from './connection-log.js';
import { type DriverContext, TRANSPORT_NAME } from './context.js';
import { toDriverMessage } from './envelope.js';
import { QueuePoller, type ReceiveAttempt } from './long-poll.js';
import { missingQueue, type RedisQueues } from './queue-ops.js';
import { num, type ScriptReply, text } from './script-runner.js';
import { SCRIPTS } from './scripts/index.js';
import { keySlot } from './slot.js';

/** After the dead-letter queue turned out missing, deliver normally for this long before checking again. */
const MISSING_DLQ_RECHECK_MS = 5000;

/** A nudge token not taken (its poller went idle) expires after one re-arm period and a margin. */
const NUDGE_TTL_MS = 15_000;

type DeadLetterMode = 'local' | 'remote' | 'none';

interface DeadLetterRoute {
  readonly name: string;
  readonly sameSlot: boolean;
  missingUntil: number;
}

/**
 * ReceiveMessage: one receive script per attempt, long polls through a per-queue `QueuePoller`,
 * and the client half of dead-letter hand-offs between cluster slots.
 */
export class Receiver {
  readonly #context: DriverContext;
  readonly #queues: RedisQueues;
  readonly #log: ConnectionLog;
  readonly #routes = new Map<string, DeadLetterRoute>();
  readonly #pollers = new Map<string, QueuePoller>();
  /** Names this process's private wake-up lists. */
  readonly #instance = randomBytes(6).toString('hex');
  #closed = false;

  constructor(context: DriverContext, queues: RedisQueues, log = new ConnectionLog(silentLogger, 'Redis')) {
    this.#context = context;
    this.#queues = queues;
    this.#log = log;
  }

  async receive(queue: string, request: DriverReceiveRequest): Promise<DriverMessage[]> {
    const { maxMessages, waitTimeSeconds, visibilityTimeoutSeconds, signal } = request;
    const deadline = Date.now() + waitTimeSeconds * 1000;
    if (this.#closed) throw new ClosedError('receive ended: the broker was closed', { transport: TRANSPORT_NAME });
    if (signal?.aborted) throw this.#aborted(signal);
    const first = await this.attempt(queue, maxMessages, visibilityTimeoutSeconds);
    if (signal?.aborted) {
      if (first.messages.length > 0) await this.#releaseAfterAbort(queue, first.messages);
      throw this.#aborted(signal);
    }
    if (first.messages.length > 0 || waitTimeSeconds === 0) return first.messages;
    return this.#poller(queue).wait({ maxMessages, visibilityTimeoutSeconds, deadline, signal }, first.nextDueInMs);
  }

  /** Hands back (visibility 0) what an aborted receive took; a failure is logged, never thrown. */
  async #releaseAfterAbort(queue: string, messages: readonly DriverMessage[]): Promise<void> {
    try {
      await this.#queues.release(queue, messages);
    } catch (error) {
      this.#log.releaseFailed(queue, messages.length, error);
    }
  }

  #aborted(signal: AbortSignal): AbortedError {
    return new AbortedError('receive was aborted', { cause: signal.reason, transport: TRANSPORT_NAME });
  }

  #poller(queue: string): QueuePoller {
    let poller = this.#pollers.get(queue);
    if (!poller) {
      const { client } = this.#context;
      const wakeKey = this.#context.keys.queueKey(queue, 'wake');
      // On a cluster a failing blocking connection may point at a node that lost the slot.
      const onFailure = () => {
        if (isCluster(client)) client.refreshSlotsCache();
      };
      const privateKey = `${wakeKey}:${this.#instance}`;
      poller = new QueuePoller({
        wakeKey,
        privateKey,
        nudge: async () => {
          await client.rpush(privateKey, '1');
          await client.pexpire(privateKey, NUDGE_TTL_MS);
        },
        transport: TRANSPORT_NAME,
        connection: new BlockingConnection(
          () => openBlockingConnection(client, wakeKey, this.#context.calls.endpoint),
          onFailure,
          this.#context.calls.endpoint.callTimeoutMs,
        ),
        attempt: (max, visibility) => this.attempt(queue, max, visibility),
        release: (messages) => this.#releaseAfterAbort(queue, messages),
      });
      this.#pollers.set(queue, poller);
    }
    return poller;
  }

  #mode(route: DeadLetterRoute | undefined): DeadLetterMode {
    if (!route) return 'none';
    if (route.missingUntil > Date.now()) return 'none';
    return route.sameSlot ? 'local' : 'remote';
  }

  #route(queue: string, deadLetterQueue: string): DeadLetterRoute {
    const { cluster, keys } = this.#context;
    const sameSlot =
      !cluster || keySlot(keys.queueKey(queue, 'cfg')) === keySlot(keys.queueKey(deadLetterQueue, 'cfg'));
    const route = { name: deadLetterQueue, sameSlot, missingUntil: 0 };
    this.#routes.set(queue, route);
    return route;
  }

  /**
   * One receive (plus dead-letter hand-offs), without waiting. Once messages are received, a later
   * round that fails ends the attempt with them: they are in flight under this receive, and failing
   * it would leave them hidden until their visibility timeout while core retried.
   */
  async attempt(queue: string, maxMessages: number, visibilityTimeoutSeconds?: number): Promise<ReceiveAttempt> {
    const messages: DriverMessage[] = [];
    let nextDueInMs: number | undefined;
    try {
      nextDueInMs = await this.#rounds(queue, maxMessages, visibilityTimeoutSeconds, messages);
    } catch (error) {
      if (messages.length === 0) throw error;
    }
    return { messages, nextDueInMs };
  }

  /** Receives into `messages`, round by round; resolves with the next due time the last round saw. */
  async #rounds(
    queue: string,
    maxMessages: number,
    visibilityTimeoutSeconds: number | undefined,
    messages: DriverMessage[],
  ): Promise<number | undefined> {
    const { keys, scripts } = this.#context;
    let nextDueInMs: number | undefined;
    for (let round = 0; round < 5 && messages.length < maxMessages; round++) {
      const route = this.#routes.get(queue);
      const mode = this.#mode(route);
      const queueKeys = keys.queueKeys(queue);
      const allKeys = mode === 'local' && route ? [...queueKeys, ...keys.queueKeys(route.name)] : queueKeys;
      const reply = await scripts.run(SCRIPTS.receive, allKeys, [
        maxMessages - messages.length,
        visibilityTimeoutSeconds ?? -1,
        route?.name ?? '',
        mode,
      ]);
      const status = text(reply[0]);
      if (status === 'NOQUEUE') throw missingQueue(queue);
      if (status === 'STALE') {
        this.#route(queue, text(reply[1]));
        continue;
      }
      const parsed = parseReceiveReply(reply);
      messages.push(...parsed.messages);
      nextDueInMs = parsed.nextDueInMs;
      if (parsed.handoffs.length === 0 || !route) break;
      await this.#handOff(queue, route, parsed.handoffs);
    }
    return nextDueInMs;
  }

  /** Moves hand-offs into the dead-letter queue on its own slot, then confirms them at the source. */
  async #handOff(queue: string, route: DeadLetterRoute, handoffs: readonly string[][]): Promise<void> {
    const { keys, scripts } = this.#context;
    const adopted = await scripts.run(SCRIPTS.adopt, keys.queueKeys(route.name), [handoffs.length, ...handoffs.flat()]);
    const missing = text(adopted[0]) === 'NOQUEUE';
    if (missing) route.missingUntil = Date.now() + MISSING_DLQ_RECHECK_MS;
    const ids = handoffs.map((record) => record[0] as string);
    await scripts.run(SCRIPTS.handoff, keys.queueKeys(queue), [missing ? 'abort' : 'done', ...ids]);
  }

  /** The queue was deleted: drop this process's own wake-up list of it (a nudge may have left a token). */
  async forget(queue: string): Promise<void> {
    if (!this.#pollers.has(queue)) return;
    const { calls, client, keys } = this.#context;
    await calls.run(() => client.del(`${keys.queueKey(queue, 'wake')}:${this.#instance}`));
  }

  close(): void {
    this.#closed = true;
    for (const poller of this.#pollers.values()) poller.close();
    this.#pollers.clear();
  }
}

interface ParsedReceive {
  readonly messages: DriverMessage[];
  readonly handoffs: string[][];
  readonly nextDueInMs: number | undefined;
}

function parseReceiveReply(reply: ScriptReply): ParsedReceive {
  const now = num(reply[1]);
  const due = num(reply[2]);
  const incarnation = text(reply[3]);
  const count = num(reply[4]);
  const messages: DriverMessage[] = [];
  let index = 5;
  for (let i = 0; i < count; i++, index += 2) {
    messages.push(toDriverMessage(incarnation, reply[index], reply[index + 1]));
  }
  const handoffCount = num(reply[index]);
  index++;
  const handoffs: string[][] = [];
  for (let i = 0; i < handoffCount; i++, index += 2) {
    // Key and record, passed on to ADOPT as they are.
    handoffs.push([text(reply[index]), text(reply[index + 1])]);
  }
  return { messages, handoffs, nextDueInMs: due < 0 ? undefined : Math.max(0, due - now) };
}
