import type { Codec } from './codecs.js';
import { md5Hex } from './digests.js';
import type { DriverMessage } from './driver/driver.js';
import type { MessageAttributes } from './message-attributes.js';
import type { SnsEnvelope } from './sns-envelope.js';

/** A message as `receive` returns it. `body` is decoded with the queue's codec on first access. */
export class ReceivedMessage<T = string> {
  readonly messageId: string;
  readonly receiptHandle: string;
  /** The message text, after unwrapping an SNS envelope when the queue handle asks for it. */
  readonly rawBody: string;
  readonly attributes: MessageAttributes;
  readonly receiveCount: number;
  readonly sentTimestamp: number;
  readonly firstReceiveTimestamp: number;
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
  readonly sequenceNumber: string | undefined;
  /** The SNS notification this message arrived in, when it was unwrapped. */
  readonly snsEnvelope: SnsEnvelope | undefined;
  readonly #codec: Codec<T>;
  #decoded: { value: T } | undefined;

  constructor(
    message: DriverMessage,
    codec: Codec<T>,
    unwrapped?: { body: string; attributes: MessageAttributes; envelope: SnsEnvelope },
  ) {
    this.messageId = message.messageId;
    this.receiptHandle = message.receiptHandle;
    this.rawBody = unwrapped?.body ?? message.body;
    this.attributes = unwrapped?.attributes ?? message.attributes;
    this.receiveCount = message.receiveCount;
    this.sentTimestamp = message.sentTimestamp;
    this.firstReceiveTimestamp = message.firstReceiveTimestamp;
    this.groupId = message.groupId;
    this.deduplicationId = message.deduplicationId;
    this.sequenceNumber = message.sequenceNumber;
    this.snsEnvelope = unwrapped?.envelope;
    this.#codec = codec;
  }

  get body(): T {
    this.#decoded ??= { value: this.#codec.decode(this.rawBody) };
    return this.#decoded.value;
  }

  get md5OfBody(): string {
    return md5Hex(this.rawBody);
  }
}
