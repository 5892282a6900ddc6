import { type Broker, type CreateQueueOptions, InvalidParameterError, isMsgportError } from '@msgport/core';

const isFifoName = (name: string) => name.endsWith('.fifo');

async function exists(broker: Broker, name: string): Promise<boolean> {
  try {
    await broker.queue(name).getAttributes();
    return true;
  } catch (error) {
    if (isMsgportError(error, 'QueueDoesNotExist')) return false;
    throw error;
  }
}

/**
 * Makes sure `toName` exists on `to`: when it is missing it is created with the settings of
 * `fromName` on `from`. The redrive policy is copied only when the dead-letter queue of the same
 * name exists on `to`; otherwise the queue is created without one and `notice` says so.
 */
export async function ensureDestination(
  from: Broker,
  fromName: string,
  to: Broker,
  toName: string,
  notice: (line: string) => void,
): Promise<void> {
  if (await exists(to, toName)) return;
  const { config } = await from.queue(fromName).getAttributes();
  if (isFifoName(toName) !== config.fifo) {
    throw new InvalidParameterError(
      `"${fromName}" is ${config.fifo ? 'a FIFO' : 'a standard'} queue, so the destination must be too; "${toName}" is not`,
    );
  }
  const options: { -readonly [K in keyof CreateQueueOptions]: CreateQueueOptions[K] } = {
    visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
    delaySeconds: config.delaySeconds,
    retentionSeconds: config.retentionSeconds,
    maxMessageBytes: config.maxMessageBytes,
    receiveWaitTimeSeconds: config.receiveWaitTimeSeconds,
  };
  if (config.fifo) {
    options.contentBasedDeduplication = config.contentBasedDeduplication;
    if (config.deduplicationScope !== 'queue') options.deduplicationScope = config.deduplicationScope;
  }
  const deadLetter = config.deadLetter;
  if (deadLetter) {
    if (await exists(to, deadLetter.queue)) {
      options.deadLetter = { queue: deadLetter.queue, maxReceiveCount: deadLetter.maxReceiveCount };
    } else {
      notice(
        `note: the dead-letter queue "${deadLetter.queue}" does not exist on the destination, so "${toName}" is created without a redrive policy; create "${deadLetter.queue}" there first to keep it`,
      );
    }
  }
  await to.createQueue(toName, options);
  notice(`created "${toName}" on the destination with the settings of "${fromName}"`);
}
