import type { AgeTracker } from './age-tracker.js';
import { type ConnectionManager, describe, TRANSPORT_NAME } from './connection.js';
import { publishDeadLetter } from './inbound.js';
import type { DecodedMessage } from './message-codec.js';
import type { Publisher } from './publisher.js';
import type { QueueEntry, RegistryState } from './registry-state.js';
import type { SequenceSource } from './sequence.js';
import type { Names } from './topology.js';

export interface DeadLetterDeps {
  readonly connection: ConnectionManager;
  readonly names: Names;
  readonly state: RegistryState;
  readonly publisher: Publisher;
  readonly sequence: SequenceSource;
  readonly ages: AgeTracker;
}

/**
 * Moves a delivery past its queue's `maxReceiveCount` to the dead-letter queue (standard receives and
 * FIFO dispatchers alike). `true`: confirmed there, so the caller acks the original; `false`: the
 * queue has no dead-letter queue (any more). A failed publish is logged and thrown: the caller puts
 * the original back, and the next receive tries again.
 */
export async function moveToDeadLetter(
  deps: DeadLetterDeps,
  queue: QueueEntry,
  message: DecodedMessage,
  receives: number,
): Promise<boolean> {
  const target = queue.config.deadLetter ? deps.state.queues.get(queue.config.deadLetter.queue) : undefined;
  if (!target) return false;
  const now = Date.now();
  let moved: boolean;
  try {
    moved = await publishDeadLetter(
      deps.publisher,
      message,
      queue.name,
      { brokerQueue: deps.names.queue(target.name), fifo: target.config.fifo },
      deps.sequence,
      receives,
      now,
    );
  } catch (error) {
    deps.connection.logger.warn('moving a message to its dead-letter queue failed; the next receive tries again', {
      transport: TRANSPORT_NAME,
      queue: queue.name,
      deadLetterQueue: target.name,
      messageId: message.messageId,
      error: describe(error),
    });
    throw error;
  }
  if (moved) {
    deps.ages.remove(queue.name, message.messageId);
    deps.ages.add(target.name, message.messageId, target.config.fifo ? now : message.sentAt);
  }
  return moved;
}
