import { EventEmitter } from 'eventemitter3';
import type { BrokerConsumer, BrokerRuntime } from '../broker-runtime.js';
import { type Clock, systemClock } from '../clock.js';
import { localQueueArn } from '../driver/kit/local-arns.js';
import { AbortedError, InvalidParameterError, TimeoutError } from '../errors.js';
import { onNextEventLoopTurn, pendingEventLoopTurn } from '../event-loop-turn.js';
import { resolveLogger } from '../logging/resolve-logger.js';
import type { Queue } from '../queue.js';
import type { ReceivedMessage } from '../received-message.js';
import { runDetached } from '../tracing/messaging-spans.js';
import { assertIntegerInRange } from '../validation/ranges.js';
import { gatherBatch } from './batch-gatherer.js';
import { BatchInvoker, type BatchProcessor, toMsgportError } from './batch-invoker.js';
import {
  type ConsumeOptions,
  INITIAL_CONCURRENCY,
  type ResolvedConsumeOptions,
  resolveConsumeOptions,
} from './consume-options.js';
import type { ConsumerEvents, StopOptions } from './consumer-events.js';
import { type ConsumerMetrics, ConsumerMetricsRecorder } from './consumer-metrics.js';
import { ConsumerReporter } from './consumer-reporter.js';
import { DeadlineWatch } from './deadline-watch.js';
import type { Invocation } from './invocation.js';
import { receiveBackoffMs, Sleeper } from './receive-backoff.js';
import { type PollerSlot, ScalingController } from './scaling-controller.js';

export type { BatchProcessor } from './batch-invoker.js';

type State = 'idle' | 'running' | 'stopping';

/**
 * The Lambda SQS event source mapping on any transport: long-polling pollers, one batch in flight
 * each, starting at five and adding up to `scaleUpPerMinute` (300) a minute while batches come back
 * full, up to `maximumConcurrency`; down on empty receives, halved on whole-batch failures. One
 * `ScalingController` owns the poller count. Failures are reported as events and to the logger.
 */
export class Consumer<T = string> extends EventEmitter<ConsumerEvents> implements BrokerConsumer {
  readonly queue: Queue<T>;
  readonly options: ResolvedConsumeOptions;
  readonly #clock: Clock;
  readonly #runtime: BrokerRuntime;
  readonly #reporter: ConsumerReporter;
  readonly #metrics = new ConsumerMetricsRecorder();
  readonly #invocations = new Set<Invocation>();
  readonly #deadlines: DeadlineWatch;
  readonly #sleeper: Sleeper;
  readonly #invoker: BatchInvoker<T>;
  /** Poller loops alive now, counted by the loops themselves (the controller's count is checked against it). */
  readonly #loops = new Set<PollerSlot>();
  readonly #eventSourceARN: string;
  #controller: ScalingController;
  #state: State = 'idle';
  #forced = false;
  #stopping: Promise<void> | undefined;
  #visibilityTimeoutSeconds: number | undefined;

  /** @internal Use `consume()` or `consumeMessages()`. */
  constructor(queue: Queue<T>, process: BatchProcessor<T>, options: ConsumeOptions) {
    super();
    this.queue = queue;
    this.options = resolveConsumeOptions(options, queue.fifo);
    this.#clock = options.clock ?? systemClock;
    this.#runtime = queue.runtime;
    const logger = options.logger === undefined ? this.#runtime.logger : resolveLogger(options.logger);
    this.#reporter = new ConsumerReporter(this, logger, queue.name);
    this.#eventSourceARN = localQueueArn(queue.name, this.options.region);
    this.#sleeper = new Sleeper(this.#clock);
    this.#deadlines = new DeadlineWatch(this.#clock, (invocation) =>
      invocation.abort(
        new TimeoutError(`the handler exceeded functionTimeoutSeconds (${this.options.functionTimeoutSeconds} s)`),
      ),
    );
    this.#controller = this.#newController();
    this.#invoker = new BatchInvoker({
      queue,
      options: this.options,
      clock: this.#clock,
      process,
      metrics: this.#metrics,
      reporter: this.#reporter,
      deadlines: this.#deadlines,
      invocations: this.#invocations,
      controller: () => this.#controller,
      heartbeatVisibility: () => this.#visibilityTimeoutSeconds,
    });
  }

  get running(): boolean {
    return this.#state === 'running';
  }

  get eventSourceARN(): string {
    return this.#eventSourceARN;
  }

  metrics(): ConsumerMetrics {
    let pollers = 0;
    for (const slot of this.#loops) if (slot.active) pollers++;
    return this.#metrics.snapshot(this.#controller.target, pollers);
  }

  /** Checks the queue against the guard rails and starts polling. */
  async start(): Promise<void> {
    if (this.#state !== 'idle') throw new InvalidParameterError('the consumer is already running or stopping');
    this.#runtime.assertOpen();
    const config = await this.queue.config();
    const { functionTimeoutSeconds, maximumBatchingWindowSeconds, heartbeatSeconds } = this.options;
    if (heartbeatSeconds !== undefined) {
      // With a heartbeat the visibility is extended while the handler runs; it must beat in time.
      if (heartbeatSeconds >= config.visibilityTimeoutSeconds) {
        throw new InvalidParameterError(
          `heartbeatSeconds (${heartbeatSeconds}) must be shorter than the queue visibility timeout (${config.visibilityTimeoutSeconds} s)`,
        );
      }
    } else if (config.visibilityTimeoutSeconds < functionTimeoutSeconds) {
      throw new InvalidParameterError(
        `Queue visibility timeout: ${config.visibilityTimeoutSeconds} seconds is less than Function timeout: ${functionTimeoutSeconds} seconds`,
      );
    }
    if (this.#state !== 'idle') throw new InvalidParameterError('the consumer is already running or stopping');
    this.#runtime.register(this);
    this.#state = 'running';
    this.#forced = false;
    this.#visibilityTimeoutSeconds = config.visibilityTimeoutSeconds;
    const hold = this.#reporter.hold();
    onNextEventLoopTurn(() => this.#reporter.flush(hold));
    const advised = 6 * functionTimeoutSeconds + maximumBatchingWindowSeconds;
    if (config.visibilityTimeoutSeconds < advised && heartbeatSeconds === undefined) {
      this.#reporter.warning(
        `queue "${this.queue.name}" has a visibility timeout of ${config.visibilityTimeoutSeconds} s; AWS advises at least 6 × the function timeout + the batching window = ${advised} s`,
      );
    }
    this.#controller = this.#newController();
    this.#controller.start();
  }

  /**
   * Stops quietly: no new receive starts; receives in flight end (cut short where the transport can
   * abort them cleanly, otherwise — SQS — after their wait) and what they return is handled;
   * handlers in flight finish, up to `timeoutSeconds`, and are then aborted without deleting their
   * messages; messages received but not handed to a handler by then are released (visibility 0).
   * Resolves when no request of the consumer is outstanding, after the `stopped` event.
   */
  stop(options: StopOptions = {}): Promise<void> {
    const timeoutSeconds = options.timeoutSeconds ?? this.options.functionTimeoutSeconds;
    try {
      assertIntegerInRange('timeoutSeconds', timeoutSeconds, 0, 43_200);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#stopping) {
      if (options.force) this.#force();
      return this.#stopping;
    }
    if (this.#state === 'idle') return Promise.resolve();
    this.#state = 'stopping';
    const drained = this.#controller.stop();
    this.#sleeper.wakeAll();
    if (this.#runtime.capabilities.abortableReceive !== false) {
      const reason = new AbortedError('the consumer is stopping');
      for (const slot of this.#controller.slots()) slot.receiveAbort?.abort(reason);
    }
    let cancelDeadline: (() => void) | undefined;
    if (options.force) this.#force();
    else cancelDeadline = this.#clock.setTimer(timeoutSeconds * 1000, () => this.#force());
    const reason = options.reason ?? 'stop';
    this.#stopping = drained.then(() => {
      cancelDeadline?.();
      this.#deadlines.stop();
      this.#state = 'idle';
      this.#stopping = undefined;
      this.#runtime.unregister(this);
      // Stopped before the event loop turned (memory can run a batch on promise callbacks alone):
      // what start held is delivered now, so every event comes before `stopped` and before this resolves.
      this.#reporter.flush();
      this.#reporter.emit('stopped', { reason, forced: this.#forced });
    });
    return this.#stopping;
  }

  /** @internal The broker is closing. */
  stopForBrokerClose(): Promise<void> {
    return this.stop({ reason: 'brokerClosed' });
  }

  #force(): void {
    this.#forced = true;
    for (const invocation of this.#invocations) invocation.abort(new AbortedError('the consumer was stopped'));
  }

  #newController(): ScalingController {
    const { maximumConcurrency, scaleUpPerMinute } = this.options;
    return new ScalingController(
      {
        initial: Math.min(INITIAL_CONCURRENCY, maximumConcurrency),
        maximum: maximumConcurrency,
        scaleUpPerMinute,
        clock: this.#clock,
      },
      {
        spawn: (slot) => this.#spawn(slot),
        changed: (target) => this.#reporter.emit('concurrency', target),
      },
    );
  }

  #spawn(slot: PollerSlot): void {
    const controller = this.#controller;
    this.#loops.add(slot);
    runDetached(() => this.#poll(slot, controller)).then(
      () => this.#loops.delete(slot),
      (error: unknown) => {
        // Only a bug gets here (every step handles its own failures); keep the invariant regardless.
        this.#loops.delete(slot);
        this.#reporter.logger.error('consumer poller failed unexpectedly; starting another', {
          queue: this.queue.name,
          error,
        });
        controller.crashed(slot);
      },
    );
  }

  async #poll(slot: PollerSlot, controller: ScalingController): Promise<void> {
    let failures = 0;
    while (controller.keepPolling(slot)) {
      const turn = pendingEventLoopTurn();
      if (turn) {
        await turn;
        continue;
      }
      let messages: ReceivedMessage<T>[];
      try {
        messages = await this.#receive(slot);
      } catch (error) {
        const failure = toMsgportError(error);
        if (this.#state !== 'running') {
          // Stopping: the loop ends here; an aborted receive is the stop itself, anything else is news.
          if (failure.code !== 'Aborted') this.#reporter.transportError('receive', failure);
          continue;
        }
        if (failure.code === 'Closed') {
          // The transport went away under us (a broker closing stops its consumers first).
          void this.stop({ reason: 'brokerClosed' });
          continue;
        }
        failures++;
        const delay = receiveBackoffMs(failure, failures);
        this.#reporter.transportError('receive', failure, delay);
        await this.#sleeper.sleep(delay);
        continue;
      }
      failures = 0;
      if (messages.length === 0) {
        this.#metrics.emptyReceives++;
        controller.emptyReceive(slot);
        continue;
      }
      if (this.#forced) {
        await this.#invoker.release(messages);
        continue;
      }
      if (messages.length >= this.options.batchSize) controller.fullBatch();
      else controller.partialBatch();
      await this.#invoker.invoke(slot, messages);
    }
  }

  /** One batch: a single receive, or receives gathered until the batch is full or the window closes. */
  async #receive(slot: PollerSlot): Promise<ReceivedMessage<T>[]> {
    const { batchSize, maximumBatchingWindowSeconds, waitTimeSeconds } = this.options;
    let signal: AbortSignal | undefined;
    if (this.#runtime.capabilities.abortableReceive !== false) {
      if (!slot.receiveAbort || slot.receiveAbort.signal.aborted) slot.receiveAbort = new AbortController();
      signal = slot.receiveAbort.signal;
    }
    if (maximumBatchingWindowSeconds === 0 && batchSize <= 10) {
      const messages = await this.queue.receive(
        signal ? { maxMessages: batchSize, waitTimeSeconds, signal } : { maxMessages: batchSize, waitTimeSeconds },
      );
      this.#metrics.received += messages.length;
      return messages;
    }
    return gatherBatch(
      this.queue,
      { batchSize, maximumBatchingWindowSeconds, waitTimeSeconds, clock: this.#clock },
      signal,
      {
        stopping: () => this.#state !== 'running',
        received: (count) => {
          this.#metrics.received += count;
        },
        release: (messages) => this.#invoker.release(messages),
      },
    );
  }
}
