import { randomUUID } from 'node:crypto';
import { UnavailableError } from '@msgport/core/driver';
import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
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
    try {
      await this.#catchUp(link);
    } catch (error) {
      if (!this.#loaded) {
        throw new UnavailableError(
          `the msgport registry stream "${this.#names.controlStream}" is unavailable: ${describe(error)}`,
          { cause: error, transport: TRANSPORT_NAME },
        );
      }
      this.#scheduleReattach(link);
    }
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
      tail.consumer.close().catch(() => {});
      tail.writer.close().catch(() => {});
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
      throw new UnavailableError(`cannot write to the msgport registry stream: ${describe(error)}`, {
        cause: error,
        transport: TRANSPORT_NAME,
      });
    }
    await applied;
    return id;
  }

  async #catchUp(link: Link): Promise<void> {
    const setupChannel = await link.openChannel();
    try {
      await declareControlStream(setupChannel, this.#names);
    } finally {
      await setupChannel.close().catch(() => {});
    }
    await this.#appendOn(await this.#ensureTail(link), { op: 'sync' });
    this.#loaded = true;
  }

  #scheduleReattach(link: Link): void {
    clearTimeout(this.#reattachTimer);
    this.#reattachTimer = setTimeout(() => {
      if (!link.alive || this.#connection.closed) return;
      const tail = this.#tail;
      if (tail?.open && tail.link === link) return;
      this.#catchUp(link).catch(() => this.#scheduleReattach(link));
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
      consumer.close().catch(() => {});
      writer.close().catch(() => {});
      // Channel failure on a live connection: resume the tail on fresh channels.
      if (link.alive && this.#tail === tail && !this.#connection.closed) {
        this.#ensureTail(link).catch(() => this.#scheduleReattach(link));
      }
    };
    try {
      await consumer.prefetch(TAIL_PREFETCH);
      await consumer.consume(this.#names.controlStream, (message) => this.#receive(tail, message), {
        noAck: false,
        arguments: { 'x-stream-offset': this.#nextOffset },
      });
    } catch (error) {
      tail.open = false;
      consumer.close().catch(() => {});
      writer.close().catch(() => {});
      throw error;
    }
    consumer.on('close', onClose);
    writer.on('close', onClose);
    this.#tail = tail;
    return tail;
  }

  #receive(tail: Tail, message: ConsumeMessage | null): void {
    if (!message) return;
    try {
      const offset = message.properties.headers?.['x-stream-offset'];
      const fresh = typeof offset !== 'number' || this.#nextOffset === 'first' || offset >= this.#nextOffset;
      if (fresh) {
        if (typeof offset === 'number') this.#nextOffset = offset + 1;
        const record = parseRecord(message.content.toString('utf8'));
        if (record) this.#apply(record);
      }
      if (tail.open) tail.consumer.ack(message);
    } catch {
      // Never let a bad record or a closed channel escape into amqplib's dispatch loop.
    }
  }

  #apply(record: ControlRecord): void {
    const change = this.state.apply(record);
    if (change.kind !== 'none') {
      for (const listener of this.#listeners) {
        try {
          listener(change);
        } catch {
          // Listeners are best effort; the state itself is already updated.
        }
      }
    }
    this.#waiters.get(record.id)?.();
  }
}
