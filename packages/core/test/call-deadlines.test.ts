import { afterEach, describe, expect, it } from 'vitest';
import { Broker } from '../src/broker.js';
import { DeadlineSweeper } from '../src/deadline-sweeper.js';
import type { DriverReceiveRequest } from '../src/driver/driver.js';
import { TimeoutError } from '../src/errors.js';
import { FakeDriver } from './fake-driver.js';

/** A driver whose calls never settle until told to, like a peer that accepts TCP and never answers. */
class SilentDriver extends FakeDriver {
  readonly receiveRequests: DriverReceiveRequest[] = [];
  readonly #release: ((outcome: Error) => void)[] = [];
  local?: boolean;

  #hang<T>(): Promise<T> {
    return new Promise<T>((_, reject) => this.#release.push(reject));
  }

  /** Makes every pending call fail now, as a late answer would. */
  releaseAll(error = new Error('late answer')): void {
    for (const reject of this.#release.splice(0)) reject(error);
  }

  override async listQueues(): Promise<never[]> {
    return this.#hang();
  }

  override async receive(_queue: string, request: DriverReceiveRequest) {
    this.receiveRequests.push(request);
    return this.#hang<never>();
  }
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
afterEach(() => {
  expect(unhandled).toEqual([]);
});

const broker = (driver: FakeDriver, callTimeoutMs = 100, retry = { attempts: 3, backoffMs: 1 }) =>
  new Broker(driver, { deadlines: { connectTimeoutMs: 1_000, callTimeoutMs }, retry });

describe('every driver call has a deadline', () => {
  it('a call the peer never answers fails with Timeout shortly after callTimeoutMs', async () => {
    const driver = new SilentDriver();
    const started = Date.now();
    const error = await broker(driver)
      .listQueues()
      .catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'Timeout', retryable: true, transport: 'fake' });
    expect(took).toBeGreaterThanOrEqual(95);
    expect(took).toBeLessThan(100 + 200);
    // The abandoned driver promise rejects later: nobody sees it, nothing is unhandled.
    driver.releaseAll();
    await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it('a receive gets the long poll wait on top, and a signal that fires at its deadline', async () => {
    const driver = new SilentDriver();
    const queue = broker(driver, 100).queue('q');
    const started = Date.now();
    const error = await queue.receive({ waitTimeSeconds: 1 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_095);
    expect(error).toMatchObject({ code: 'Timeout' });
    const signal = driver.receiveRequests[0]?.signal;
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(error);
    driver.releaseAll();
  });

  it("the caller's abort reaches the driver through the same signal", async () => {
    const driver = new SilentDriver();
    const controller = new AbortController();
    const receiving = broker(driver, 10_000).queue('q').receive({ waitTimeSeconds: 0, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const reason = new Error('stop');
    controller.abort(reason);
    const signal = driver.receiveRequests[0]?.signal;
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(reason);
    driver.releaseAll(new Error('aborted by the caller'));
    await expect(receiving).rejects.toBeDefined();
  });

  it('retries of retryable errors stay within the one deadline', async () => {
    const driver = new FakeDriver();
    driver.failWith = new Error('connect ECONNREFUSED'); // Unavailable: retryable
    const started = Date.now();
    const error = await broker(driver, 200, { attempts: 10, backoffMs: 80 })
      .listQueues()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'Unavailable' });
    // 80 + 160 ms of backoff would pass the 200 ms deadline: the third attempt never starts.
    expect(driver.calls.filter((call) => call.method === 'listQueues')).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('in-process drivers (local) are called directly, with the caller signal as it is', async () => {
    const driver = new SilentDriver();
    driver.local = true;
    const controller = new AbortController();
    const receiving = broker(driver, 20).queue('q').receive({ waitTimeSeconds: 0, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(driver.receiveRequests[0]?.signal).toBe(controller.signal);
    driver.releaseAll(new Error('done'));
    await expect(receiving).rejects.toMatchObject({ code: 'Internal' });
  });

  it('close() is bounded too', async () => {
    const driver = new FakeDriver();
    driver.close = () => new Promise<void>(() => {});
    await expect(broker(driver, 50).close()).rejects.toMatchObject({ code: 'Timeout' });
  });
});

describe('DeadlineSweeper', () => {
  it('keeps one timer for many calls and stops it when none is pending', async () => {
    const sweeper = new DeadlineSweeper(10);
    const never = new Promise<never>(() => {});
    const races = Array.from({ length: 1_000 }, (_, i) =>
      sweeper.race(never, Date.now() + 20 + (i % 5), () => new Error(`late ${i}`)).catch((e: Error) => e.message),
    );
    expect(sweeper.pending).toBe(1_000);
    const outcomes = await Promise.all(races);
    expect(outcomes[999]).toBe('late 999');
    expect(sweeper.pending).toBe(0);
  });

  it('a call that settles first is not failed later', async () => {
    const sweeper = new DeadlineSweeper(10);
    await expect(sweeper.race(Promise.resolve(7), Date.now() + 20, () => new Error('late'))).resolves.toBe(7);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(sweeper.pending).toBe(0);
  });

  it('tickFor takes a tenth of the shortest deadline, from 10 ms to 1 s', () => {
    expect(DeadlineSweeper.tickFor(30_000)).toBe(1_000);
    expect(DeadlineSweeper.tickFor(2_000)).toBe(200);
    expect(DeadlineSweeper.tickFor(5)).toBe(10);
  });
});
