import type { StopReason } from './consumer/consumer-events.js';
import { InvalidParameterError } from './errors.js';

export interface StopOnSignalsOptions {
  /** Default `['SIGTERM', 'SIGINT']`: what orchestrators and Ctrl-C send. */
  readonly signals?: readonly NodeJS.Signals[];
  /** Called once everything has stopped (with the error if closing failed), e.g. to flush telemetry. */
  readonly onStopped?: (error?: unknown) => void;
}

/** A `Consumer` (stopped) or a `Broker` (closed, which stops its consumers). */
type Stoppable = { stop(options: { readonly reason: StopReason }): Promise<void> } | { close(): Promise<void> };

/**
 * Stops consumers (gracefully: `consumer.stop()`) or closes brokers (which stops their consumers)
 * on the first SIGTERM or SIGINT. The handlers are removed at that moment, so a second signal gets
 * Node's default behaviour and ends the process at once. Returns a function that removes them.
 *
 *     const consumer = await consume(queue, handler);
 *     stopOnSignals(broker); // or stopOnSignals(consumer)
 */
export function stopOnSignals(
  targets: Stoppable | readonly Stoppable[],
  options: StopOnSignalsOptions = {},
): () => void {
  const list = Array.isArray(targets) ? [...targets] : [targets as Stoppable];
  for (const target of list) {
    if (
      typeof (target as { stop?: unknown }).stop !== 'function' &&
      typeof (target as { close?: unknown }).close !== 'function'
    ) {
      throw new InvalidParameterError('stopOnSignals takes consumers or brokers');
    }
  }
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const remove = () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
  // Outside the promise chain: a throwing callback surfaces as the caller's own error.
  const done = (error?: unknown) => setImmediate(() => options.onStopped?.(error));
  const onSignal = () => {
    remove();
    Promise.all(list.map((target) => ('close' in target ? target.close() : target.stop({ reason: 'signal' })))).then(
      () => done(),
      (error: unknown) => done(error),
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  return remove;
}
