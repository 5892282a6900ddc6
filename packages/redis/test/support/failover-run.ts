import { type Broker, connect } from '@msgport/core';
import { captureLogger } from '@msgport/test-support';
import { expect } from 'vitest';
import { captureConsole } from './capture-logger.js';
import { sleep } from './env.js';

export interface FailoverRunOptions {
  readonly producer: Broker;
  readonly consumer: Broker;
  readonly queue: string;
  readonly total: number;
  /** Kill once this many messages were acknowledged. */
  readonly killAt: number;
  readonly kill: () => Promise<void>;
  readonly producers?: number;
  readonly consumers?: number;
  /** How long consumers may take after the last send (default 20 s). */
  readonly drainMs?: number;
}

export interface FailoverRunResult {
  readonly sent: number;
  readonly received: number;
  readonly lost: number;
  readonly duplicates: number;
  /** Messages received more than once because a receive's reply was lost (receiveCount ≥ 2). */
  readonly redelivered: number;
  /** Calls that failed (every one is retried by the run, so failures cost time, not messages). */
  readonly errors: readonly string[];
  /** Longest pause between two successful sends (ms): how long producers were held up. */
  readonly sendResumeMs: number;
  /** Longest pause between two receives that returned messages, while messages were waiting. */
  readonly receiveResumeMs: number;
  readonly killedAt: number;
  summary(): string;
}

/**
 * Producers send numbered batches of 10 while consumers receive and delete; `kill` runs once
 * `killAt` messages were acknowledged. Every failed call is recorded and retried, so `lost`
 * counts only what Redis lost, and `errors` shows what callers would have seen.
 */
export async function runThroughFailover(options: FailoverRunOptions): Promise<FailoverRunResult> {
  const { producer, consumer, queue, total } = options;
  const errors: string[] = [];
  const seen = new Map<string, number>();
  let next = 0;
  let acknowledged = 0;
  let killedAt = 0;
  let killing: Promise<void> | undefined;
  let lastSend = Date.now();
  let sendResumeMs = 0;
  let lastReceive = Date.now();
  let receiveResumeMs = 0;
  let producing = true;
  let redelivered = 0;
  const record = (error: unknown) => {
    const { code, message } = error as { code?: string; message?: string };
    errors.push(`${code ?? 'raw'}: ${message}`);
  };

  const produce = async () => {
    const q = producer.queue(queue);
    while (next < total) {
      const first = next;
      next += 10;
      const entries = Array.from({ length: Math.min(10, total - first) }, (_, i) => ({
        id: `e${i}`,
        body: `m-${first + i}`,
      }));
      for (;;) {
        try {
          const result = await q.sendBatch(entries);
          if (result.failed.length > 0) throw new Error(`partial batch: ${JSON.stringify(result.failed)}`);
          break;
        } catch (error) {
          record(error);
          await sleep(100);
        }
      }
      const now = Date.now();
      sendResumeMs = Math.max(sendResumeMs, now - lastSend);
      lastSend = now;
      acknowledged += entries.length;
      if (!killing && acknowledged >= options.killAt) {
        killedAt = Date.now();
        killing = options.kill();
      }
    }
  };

  const consume = async () => {
    const q = consumer.queue(queue);
    const deadline = () => (producing ? Number.POSITIVE_INFINITY : doneAt + (options.drainMs ?? 20_000));
    while (seen.size < total && Date.now() < deadline()) {
      try {
        // A receive whose reply is lost in the failover leaves its messages in flight until their
        // visibility timeout ends (as on SQS); 5 s keeps the drain short.
        const messages = await q.receive({ maxMessages: 10, waitTimeSeconds: 1, visibilityTimeoutSeconds: 5 });
        if (messages.length === 0) continue;
        const now = Date.now();
        receiveResumeMs = Math.max(receiveResumeMs, now - lastReceive);
        lastReceive = now;
        for (const message of messages) {
          seen.set(message.body, (seen.get(message.body) ?? 0) + 1);
          if (message.receiveCount > 1) redelivered++;
        }
        await q.deleteBatch(messages.map((message, i) => ({ id: `d${i}`, receiptHandle: message.receiptHandle })));
      } catch (error) {
        record(error);
        await sleep(100);
      }
    }
  };

  let doneAt = Number.POSITIVE_INFINITY;
  const consumers = Array.from({ length: options.consumers ?? 2 }, consume);
  await Promise.all(Array.from({ length: options.producers ?? 4 }, produce));
  producing = false;
  doneAt = Date.now();
  await killing;
  await Promise.all(consumers);
  const lost = Array.from({ length: total }, (_, i) => `m-${i}`).filter((body) => !seen.has(body)).length;
  const duplicates = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
  const result = {
    sent: acknowledged,
    received: seen.size,
    lost,
    duplicates,
    redelivered,
    errors,
    sendResumeMs,
    receiveResumeMs,
    killedAt,
    summary: () =>
      `sent ${acknowledged}, processed ${seen.size}, lost ${lost}, duplicates ${duplicates}, ` +
      `redelivered ${redelivered}, ` +
      `send resume ${(sendResumeMs / 1000).toFixed(1)} s, receive resume ${(receiveResumeMs / 1000).toFixed(1)} s, ` +
      `errors ${errors.length}${errors.length > 0 ? ` (first: ${errors[0]})` : ''}`,
  };
  return result;
}

/**
 * A producer and a consumer broker on a Cluster or Sentinel URL (with `waitForReplicas=1`: a send
 * counts once a replica has it, so a failover loses nothing), a captured logger and console.
 */
export class FailoverBrokers {
  readonly logger: ReturnType<typeof captureLogger>;
  readonly #console = captureConsole();
  readonly producer: Broker;
  readonly consumer: Broker;

  private constructor(producer: Broker, consumer: Broker, logger: ReturnType<typeof captureLogger>) {
    this.producer = producer;
    this.consumer = consumer;
    this.logger = logger;
  }

  static async open(url: string): Promise<FailoverBrokers> {
    const durable = `${url}${url.includes('?') ? '&' : '?'}waitForReplicas=1`;
    const logger = captureLogger();
    const producer = await connect(durable, { logger });
    const consumer = await connect(durable, { logger: false });
    return new FailoverBrokers(producer, consumer, logger);
  }

  /**
   * 3,000 messages through `queue`, `kill` after 1,000; checks what every failover must give:
   * all sent, none lost, no error reached a caller, ioredis printed nothing (every 'error' event
   * had a listener), the loss and the recovery were logged.
   */
  async survive(label: string, queue: string, kill: () => Promise<void>): Promise<FailoverRunResult> {
    await this.producer.createQueue(queue);
    const { producer, consumer } = this;
    const result = await runThroughFailover({ producer, consumer, queue, total: 3000, killAt: 1000, kill });
    this.#console.restore();
    console.log(`[${label}] ${result.summary()}`);
    expect(result.sent).toBe(3000);
    expect(result.lost).toBe(0);
    expect(result.errors).toEqual([]);
    expect(this.#console.printed.filter((line) => line.includes('[ioredis]'))).toEqual([]);
    expect(result.sendResumeMs).toBeLessThan(10_000);
    const { lines } = this.logger;
    expect(lines.some((line) => line.level === 'warn' && /lost the connection/.test(line.message))).toBe(true);
    expect(lines.some((line) => line.level === 'info' && /reconnected/.test(line.message))).toBe(true);
    return result;
  }

  async close(): Promise<void> {
    this.#console.restore();
    await this.producer.close();
    await this.consumer.close();
  }
}
