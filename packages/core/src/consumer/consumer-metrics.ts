/** What the consumer runtime counts, named after the Lambda and SQS CloudWatch metrics where they exist. */
export interface ConsumerMetrics {
  readonly NumberOfMessagesReceived: number;
  readonly NumberOfMessagesDeleted: number;
  readonly NumberOfEmptyReceives: number;
  /** Handler invocations (batches). */
  readonly Invocations: number;
  /** Invocations that failed as a whole (thrown, timed out or an invalid response). */
  readonly Errors: number;
  /** Messages returned to the queue by partial batch responses. */
  readonly PartialFailures: number;
  readonly ConcurrentExecutions: number;
  readonly MaxConcurrentExecutions: number;
  /** Current number of polling batches the consumer aims for. */
  readonly TargetConcurrency: number;
  /** Poller loops running now (not counting ones finishing a batch after a scale-down). Equals the target while running. */
  readonly Pollers: number;
  readonly BatchSizeAverage: number;
  readonly DurationAverageMs: number;
  readonly DurationMaxMs: number;
}

export class ConsumerMetricsRecorder {
  received = 0;
  deleted = 0;
  emptyReceives = 0;
  invocations = 0;
  errors = 0;
  partialFailures = 0;
  concurrent = 0;
  maxConcurrent = 0;
  #batchMessages = 0;
  #durationTotal = 0;
  #durationMax = 0;

  startInvocation(batchSize: number): void {
    this.invocations++;
    this.#batchMessages += batchSize;
    this.concurrent++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
  }

  endInvocation(durationMs: number): void {
    this.concurrent--;
    this.#durationTotal += durationMs;
    this.#durationMax = Math.max(this.#durationMax, durationMs);
  }

  snapshot(targetConcurrency: number, pollers: number): ConsumerMetrics {
    const finished = Math.max(1, this.invocations - this.concurrent);
    return {
      NumberOfMessagesReceived: this.received,
      NumberOfMessagesDeleted: this.deleted,
      NumberOfEmptyReceives: this.emptyReceives,
      Invocations: this.invocations,
      Errors: this.errors,
      PartialFailures: this.partialFailures,
      ConcurrentExecutions: this.concurrent,
      MaxConcurrentExecutions: this.maxConcurrent,
      TargetConcurrency: targetConcurrency,
      Pollers: pollers,
      BatchSizeAverage: this.invocations === 0 ? 0 : this.#batchMessages / this.invocations,
      DurationAverageMs: this.#durationTotal / finished,
      DurationMaxMs: this.#durationMax,
    };
  }
}
