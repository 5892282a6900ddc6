import type { ChaosTransport } from './chaos-broker.js';

/** A chaos target a transport cannot meet every time today, and why (see docs/faults.md). */
export interface KnownDeviation {
  /** Some duplicates are not redeliveries. */
  readonly duplicates?: string;
  /** A resume can take longer than 5 s. */
  readonly resume?: string;
}

const AMBIGUOUS_SEND =
  'a cut during sendBatch: the broker stored the batch but the reply is lost; when the retries fail too, the producer is told the send failed and sends it again under new ids (at-least-once on the producer side)';

/**
 * The short CI runs assert every target except these (the test title names them); lost 0 and
 * everything sent are asserted on every transport. Remove an entry when its transport is fixed.
 */
export const KNOWN_CHAOS_DEVIATIONS: Partial<Record<ChaosTransport, KnownDeviation>> = {
  redis: {
    duplicates: AMBIGUOUS_SEND,
  },
  rabbitmq: {
    duplicates: `${AMBIGUOUS_SEND}; a publish retried after a lost confirm keeps its message id, so the broker's two copies arrive as the same message with receiveCount 1`,
    resume: 'up to 5.1 s after a cut or a restart in some runs (1.3 s in others)',
  },
  sqs: { duplicates: AMBIGUOUS_SEND },
};
