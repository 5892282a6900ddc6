/** Client-side counters named as the CloudWatch `AWS/SQS` metrics, counted by this process per queue. */
export interface QueueCounters {
  NumberOfMessagesSent: number;
  NumberOfMessagesReceived: number;
  NumberOfMessagesDeleted: number;
  NumberOfEmptyReceives: number;
}

/** Counters plus the queue's approximate state, as CloudWatch reports them. */
export interface QueueMetrics extends Readonly<QueueCounters> {
  readonly ApproximateNumberOfMessagesVisible: number;
  readonly ApproximateNumberOfMessagesNotVisible: number;
  readonly ApproximateNumberOfMessagesDelayed: number;
  readonly ApproximateAgeOfOldestMessage: number;
}

const emptyCounters = (): QueueCounters => ({
  NumberOfMessagesSent: 0,
  NumberOfMessagesReceived: 0,
  NumberOfMessagesDeleted: 0,
  NumberOfEmptyReceives: 0,
});

export class QueueMetricsRegistry {
  readonly #byQueue = new Map<string, QueueCounters>();

  add(queue: string, metric: keyof QueueCounters, count: number): void {
    this.live(queue)[metric] += count;
  }

  /** The queue's counters themselves, for a handle to keep and count into without a lookup per call. */
  live(queue: string): QueueCounters {
    let counters = this.#byQueue.get(queue);
    if (!counters) {
      counters = emptyCounters();
      this.#byQueue.set(queue, counters);
    }
    return counters;
  }

  counters(queue: string): Readonly<QueueCounters> {
    return { ...(this.#byQueue.get(queue) ?? emptyCounters()) };
  }
}
