import { randomUUID } from 'node:crypto';
import { UnavailableError } from '@msgport/core/driver';
import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { rabbitError } from './classify-error.js';
import { type ConnectionManager, describe, type Link, TRANSPORT_NAME } from './connection.js';
import { type ControlRecord, parseRecord, type RegistryChange, RegistryState } from './registry-state.js';
import { declareControlStream, type Names } from './topology.js';

type RecordInput = ControlRecord extends infer R ? (R extends ControlRecord ? Omit<R, 'id'> : never) : never;

interface Tail {
  readonly link: Link;
  readonly consumer: Channel;
  readonly writer: ConfirmChannel;
  open: boolean;
}

const TAIL_PREFETCH = 1_000;
const REATTACH_MS = 2_000;

/**
 * The registry's log: a stream every process tails from its first record, so each one rebuilds the
 * same `RegistryState`. Writers append with a publisher confirm and wait until their own tail applied
 * the record — by then they have also applied everything written before it (read-your-writes, and a
 * cheap way to catch up: `sync()`).
 */
export class ControlLog {
  readonly state = new RegistryState();
  readonly #connection: ConnectionManager;
  readonly #names: Names;
  readonly #waiters = new Map<string, () => void>();
  readonly #listeners: ((change: RegistryChange) => void)[] = [];
  readonly #waitMs: number;
  #nextOffset: number | 'first' = 'first';
  #tail: Tail | undefined;
  #starting: { readonly link: Link; readonly promise: Promise<Tail> } | undefined;
  /** Caught up with the stream at least once: the in-memory registry is complete up to then. */
  #loaded = false;
  #reattachTimer: NodeJS.Timeout | undefined;

  constructor(connection: ConnectionManager, names: Names, waitMs: number) {
    this.#connection = connection;
    this.#names = names;
    this.#waitMs = waitMs;
  }

  onChange(listener: (change: RegistryChange) => void): void {
    this.#listeners.push(listener);
  }

  /**
   * Connection setup: declares the stream, resumes the tail where it stopped and catches up. If the
   * stream is unavailable after a reconnect (RabbitMQ 3.10 may not bring a stream back after a crash
   * soon after the node's first stream was created), the process keeps working from the registry it
   * already holds and re-attaches in the background; only registry writes fail meanwhile.
   */
  async attach(link: Link): Promise<void> {
    if (this.#loaded && link.recovered) {
      // The registry is in memory already: operations go on while the tail catches up (the stream
      // may need a new leader when its node died).
      this.#catchUp(link).catch((error: unknown) => this.#reattachLater(link, error));
      return;
    }
    try {
      await this.#catchUp(link);
    } catch (error) {
      if (!this.#loaded) {
        throw new UnavailableError(
          `the msgport registry stream "${this.#names.controlStream}" is unavailable: ${describe(error)}`,
          { cause: error, transport: TRANSPORT_NAME },
        );
      }
      this.#reattachLater(link, error);
    }
  }

  #reattachLater(link: Link, error: unknown): void {
    if (!link.alive || this.#connection.closed) return;
    this.#connection.logger.warn(
      `the msgport registry stream is unavailable; working from the registry in memory and re-attaching every ${REATTACH_MS / 1000} s`,
      { transport: TRANSPORT_NAME, node: link.node, error: describe(error) },
    );
    this.#scheduleReattach(link);
  }

  /** Appends a record and resolves once this process applied it. */
  async append(record: RecordInput): Promise<string> {
    const link = await this.#connection.ready();
    return this.#appendOn(await this.#ensureTail(link), record);
  }

  /** Catches up with every record written before now (by any process). */
  async sync(): Promise<void> {
    await this.append({ op: 'sync' });
  }

  close(): void {
    clearTimeout(this.#reattachTimer);
    const tail = this.#tail;
    this.#tail = undefined;
    if (tail?.open) {
      tail.open = false;
      closeQuietly(tail);
    }
  }

  async #appendOn(tail: Tail, input: RecordInput): Promise<string> {
    const id = randomUUID();
    const record = { ...input, id } as ControlRecord;
    const applied = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(id);
        reject(
          new UnavailableError('the msgport registry stream did not deliver a record in time', {
            transport: TRANSPORT_NAME,
          }),
        );
      }, this.#waitMs);
      this.#waiters.set(id, () => {
        clearTimeout(timer);
        this.#waiters.delete(id);
        resolve();
      });
    });
    // Awaited below unless the publish fails first; then nobody waits and its timeout is moot.
    applied.catch(() => {});
    try {
      await new Promise<void>((resolve, reject) => {
        try {
          tail.writer.sendToQueue(
            this.#names.controlStream,
            Buffer.from(JSON.stringify(record), 'utf8'),
            { persistent: true, messageId: id, contentType: 'application/json' },
            (error: unknown) => (error ? reject(error) : resolve()),
          );
        } catch (error) {
          reject(error);
        }
      });
    } catch (error) {
      this.#waiters.get(id)?.();
      throw rabbitError('cannot write to the msgport registry stream', error);
    }
    await applied;
    return id;
  }

  async #catchUp(link: Link): Promise<void> {
    await this.#appendOn(await this.#ensureTail(link), { op: 'sync' });
    this.#loaded = true;
  }

  #scheduleReattach(link: Link): void {
    clearTimeout(this.#reattachTimer);
    this.#reattachTimer = setTimeout(() => {
      if (!link.alive || this.#connection.closed) return;
      const tail = this.#tail;
      if (tail?.open && tail.link === link) return;
      this.#catchUp(link).catch((error: unknown) => {
        this.#connection.logger.debug('the msgport registry stream is still unavailable', {
          transport: TRANSPORT_NAME,
          error: describe(error),
        });
        this.#scheduleReattach(link);
      });
    }, REATTACH_MS);
    this.#reattachTimer.unref();
  }

  #ensureTail(link: Link): Promise<Tail> {
    const tail = this.#tail;
    if (tail?.open && tail.link === link) return Promise.resolve(tail);
    if (this.#starting?.link !== link) {
      const starting = {
        link,
        promise: this.#startTail(link).finally(() => {
          if (this.#starting === starting) this.#starting = undefined;
        }),
      };
      this.#starting = starting;
    }
    return this.#starting.promise;
  }

  async #startTail(link: Link): Promise<Tail> {
    const consumer = await link.openChannel();
    const writer = await link.openConfirmChannel();
    const tail: Tail = { link, consumer, writer, open: true };
    const onClose = () => {
      if (!tail.open) return;
      tail.open = false;
      closeQuietly(tail);
      // Channel failure on a live connection: resume the tail on fresh channels.
      if (link.alive && this.#tail === tail && !this.#connection.closed) {
        this.#ensureTail(link).catch((error: unknown) => this.#reattachLater(link, error));
      }
    };
    try {
      // Declared by every tail (idempotent): the stream may have been removed since the last one.
      await declareControlStream(consumer, this.#names);
      await consumer.prefetch(TAIL_PREFETCH);
      await consumer.consume(this.#names.controlStream, (message) => this.#receive(tail, message), {
        noAck: false,
        arguments: { 'x-stream-offset': this.#nextOffset },
      });
    } catch (error) {
      tail.open = false;
      closeQuietly(tail);
      throw error;
    }
    consumer.on('close', onClose);
    writer.on('close', onClose);
    this.#tail = tail;
    return tail;
  }

  #receive(tail: Tail, message: ConsumeMessage | null): void {
    if (!message) {
      this.#streamRemoved(tail);
      return;
    }
    try {
      const offset = message.properties.headers?.['x-stream-offset'];
      const fresh = typeof offset !== 'number' || this.#nextOffset === 'first' || offset >= this.#nextOffset;
      if (fresh) {
        if (typeof offset === 'number') this.#nextOffset = offset + 1;
        const record = parseRecord(message.content.toString('utf8'));
        if (record) this.#apply(record);
      }
      if (tail.open) tail.consumer.ack(message);
    } catch (error) {
      // Never into amqplib's dispatch loop: it would tear down the connection. A closed channel
      // resumes the tail elsewhere; anything else is a bug worth seeing.
      if (tail.open) {
        this.#connection.logger.error('the msgport registry tail failed to apply a record', {
          transport: TRANSPORT_NAME,
          error: describe(error),
        });
      }
    }
  }

  /**
   * The broker cancelled the tail: the stream was deleted (`removeRabbitMQRegistry`, once the
   * namespace was empty). A stream declared later starts again at offset 0, so the next tail reads
   * it from its first record into an empty registry.
   */
  #streamRemoved(tail: Tail): void {
    if (!tail.open) return;
    tail.open = false;
    closeQuietly(tail);
    if (this.#tail === tail) this.#tail = undefined;
    this.#nextOffset = 'first';
    this.state.clear();
    this.#connection.logger.info(`the msgport registry stream "${this.#names.controlStream}" was removed`, {
      transport: TRANSPORT_NAME,
    });
  }

  #apply(record: ControlRecord): void {
    const change = this.state.apply(record);
    if (change.kind !== 'none') {
      for (const listener of this.#listeners) {
        try {
          listener(change);
        } catch (error) {
          // The state itself is already updated; the failing listener is reported, the others still run.
          this.#connection.logger.error('a msgport registry listener failed', {
            transport: TRANSPORT_NAME,
            change: change.kind,
            error: describe(error),
          });
        }
      }
    }
    this.#waiters.get(record.id)?.();
  }
}

/** Closing a tail's channels: they are being dropped, and a channel that is already closed refuses to close again. */
function closeQuietly(tail: Tail): void {
  tail.consumer.close().catch(() => {});
  tail.writer.close().catch(() => {});
}

/** Each lost round means another process wrote in between; a few are plenty outside a storm of writers. */
const COMPARE_AND_SET_ROUNDS = 3;

/**
 * Runs a compare-and-set step — check the broker, write a record whose `prev` comes from this process's
 * registry — until it settles. The registry may lag the stream (another process's record not applied
 * yet), so a step whose record lost while nothing it should defer to exists returns false, and runs
 * again from the caught-up registry; after the last round, `givingUp()` is thrown.
 */
export async function untilSettled(step: () => Promise<boolean>, givingUp: () => Error): Promise<void> {
  for (let round = 0; round < COMPARE_AND_SET_ROUNDS; round++) {
    if (await step()) return;
  }
  throw givingUp();
}
