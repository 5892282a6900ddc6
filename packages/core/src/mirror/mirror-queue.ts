import type { DriverSendResult } from '../driver/driver.js';
import type { SendOptions } from '../prepare-entries.js';
import type { Queue, ReceiveOptions, SendBatchEntry, SendResult } from '../queue.js';
import type { ReceivedMessage } from '../received-message.js';
import type { BatchResult } from '../run-batch.js';
import { type MirrorOptions, MirrorWriter } from './mirror-failure.js';
import { type MirrorSides, mirrorSides } from './mirror-sides.js';
import { singleResult } from './single-result.js';

/**
 * A queue written to two transports during a migration's dual-write phase. Sends go to the
 * primary first (its failure is the caller's failure and nothing reaches the secondary), then to
 * the secondary; receives and deletes use the primary only.
 */
export interface MirroredQueue<T = string> extends MirrorSides<Queue<T>> {
  send(body: T, options?: SendOptions): Promise<SendResult>;
  sendBatch(entries: readonly SendBatchEntry<T>[]): Promise<BatchResult<DriverSendResult>>;
  receive(options?: ReceiveOptions): Promise<ReceivedMessage<T>[]>;
  delete(message: string | { readonly receiptHandle: string }): Promise<void>;
}

export function mirrorQueue<T = string>(
  primary: Queue<T>,
  secondary: Queue<T>,
  options: MirrorOptions<SendBatchEntry<T>>,
): MirroredQueue<T> {
  const writer = new MirrorWriter<SendBatchEntry<T>>('send', options);
  const sides = mirrorSides('queue', primary, secondary, () => writer.counts());
  const target = { name: secondary.name, transport: secondary.transport };
  const sendBatch = async (entries: readonly SendBatchEntry<T>[]) => {
    const result = await primary.sendBatch(entries);
    return writer.mirror(entries, result, target, (accepted) => secondary.sendBatch(accepted));
  };
  return {
    ...sides,
    sendBatch,
    send: async (body, sendOptions = {}) =>
      singleResult(await sendBatch([{ ...sendOptions, id: 'm', body }]), primary.transport),
    receive: (receiveOptions) => primary.receive(receiveOptions),
    delete: (message) => primary.delete(message),
  };
}
