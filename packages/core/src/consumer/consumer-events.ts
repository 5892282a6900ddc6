import type { MsgportError } from '../errors.js';
import type { BatchOutcome } from './batch-response.js';

export interface BatchCompleteEvent {
  readonly messageIds: readonly string[];
  readonly deleted: number;
  readonly failed: number;
  readonly outcome: BatchOutcome['kind'] | 'aborted';
  readonly durationMs: number;
}

/** Why a consumer stopped: its own `stop()`, its broker closing, or a process signal (`stopOnSignals`). */
export type StopReason = 'stop' | 'brokerClosed' | 'signal';

export interface StoppedEvent {
  readonly reason: StopReason;
  /** Handlers were aborted (forced stop, or the stop deadline passed) and their messages not deleted. */
  readonly forced: boolean;
}

export interface ConsumerEvents {
  /** A batch is handed to the handler. */
  batch: (event: { readonly messageIds: readonly string[] }) => void;
  batchComplete: (event: BatchCompleteEvent) => void;
  /**
   * A handler failure: a whole batch (threw, timed out, answered invalidly) or some of its messages
   * (reported in `batchItemFailures`, or a per-message handler threw). `error` is what was thrown,
   * or an Error that states the reason; `messageIds` are the messages that will be retried.
   */
  handlerError: (error: unknown, messageIds: readonly string[]) => void;
  /** Receiving, deleting or extending visibility failed; the consumer keeps going (with backoff). */
  transportError: (error: MsgportError) => void;
  /** The target number of concurrent batches changed (the first event gives the starting five). */
  concurrency: (target: number) => void;
  warning: (message: string) => void;
  stopped: (event: StoppedEvent) => void;
}

export interface StopOptions {
  /** How long in-flight handlers may run before they are aborted. Default: the function timeout. */
  readonly timeoutSeconds?: number;
  /** Abort in-flight handlers at once; their messages are not deleted. */
  readonly force?: boolean;
  /** What the `stopped` event reports. Default `stop`. */
  readonly reason?: StopReason;
}
