import { contentDeduplicationId } from './digests.js';
import type { DriverPublishEntry, DriverSendEntry } from './driver/driver.js';
import { InvalidParameterError, MessageTooLongError, UnsupportedCapabilityError } from './errors.js';
import { LIMITS } from './limits.js';
import type { MessageAttributesInput } from './message-attributes.js';
import type { QueueConfig } from './queue-config.js';
import type { TopicConfig } from './topic-config.js';
import { injectTraceContext } from './tracing.js';
import { attributesSize, normalizeAttributes } from './validation/attributes.js';
import { assertBody, findForbiddenChar, utf8Length } from './validation/body.js';
import { assertIntegerInRange, describe } from './validation/ranges.js';

export interface SendOptions {
  readonly attributes?: MessageAttributesInput;
  /** 0–900; standard queues only (FIFO queues take the queue's delay). */
  readonly delaySeconds?: number;
  /** Required on FIFO queues; on standard queues it interleaves tenants (fair queues). */
  readonly groupId?: string;
  /** FIFO only; required unless the queue has content-based deduplication. */
  readonly deduplicationId?: string;
}

export interface PublishOptions {
  readonly attributes?: MessageAttributesInput;
  readonly subject?: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

// MessageGroupId and MessageDeduplicationId: alphanumerics and ASCII punctuation, as SQS documents.
const ID_CHARS = /^[\x21-\x7E]+$/;

function assertFifoId(name: string, value: unknown, maxLength: number): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength || !ID_CHARS.test(value)) {
    throw new InvalidParameterError(
      `${name} must be 1 to ${maxLength} letters, digits or ASCII punctuation characters, got ${describe(value)}`,
    );
  }
}

interface Identity {
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

const NO_IDENTITY: Identity = Object.freeze({});

function resolveIdentity(
  kind: 'queue' | 'topic',
  fifo: boolean,
  contentBased: boolean,
  body: string,
  options: { groupId?: string | undefined; deduplicationId?: string | undefined },
): Identity {
  if (options.groupId !== undefined) assertFifoId('groupId', options.groupId, LIMITS.groupIdMaxLength);
  if (options.deduplicationId !== undefined) {
    assertFifoId('deduplicationId', options.deduplicationId, LIMITS.deduplicationIdMaxLength);
  }
  if (!fifo) {
    if (options.deduplicationId !== undefined) {
      throw new InvalidParameterError(`deduplicationId applies to FIFO ${kind}s only`);
    }
    return options.groupId !== undefined ? { groupId: options.groupId } : NO_IDENTITY;
  }
  if (options.groupId === undefined) throw new InvalidParameterError(`messages on a FIFO ${kind} need a groupId`);
  const deduplicationId = options.deduplicationId ?? (contentBased ? contentDeduplicationId(body) : undefined);
  if (deduplicationId === undefined) {
    throw new InvalidParameterError(
      `messages on a FIFO ${kind} need a deduplicationId unless the ${kind} has contentBasedDeduplication`,
    );
  }
  return { groupId: options.groupId, deduplicationId };
}

export function prepareSendEntry(
  id: string,
  body: string,
  options: SendOptions,
  config: QueueConfig,
  maxDelaySeconds: number,
): DriverSendEntry {
  assertBody(body);
  const attributes = normalizeAttributes(injectTraceContext(options.attributes), 'queue');
  const size = utf8Length(body) + attributesSize(attributes);
  if (size > config.maxMessageBytes) {
    throw new MessageTooLongError(
      `message is ${size} bytes (body and attributes); this queue accepts at most ${config.maxMessageBytes}`,
    );
  }
  let delaySeconds = config.delaySeconds;
  if (options.delaySeconds !== undefined) {
    assertIntegerInRange('delaySeconds', options.delaySeconds, 0, LIMITS.delayMaxSeconds);
    if (config.fifo && options.delaySeconds !== 0) {
      throw new InvalidParameterError(
        'FIFO queues do not take a per-message delaySeconds; set the queue delay instead',
      );
    }
    if (options.delaySeconds > maxDelaySeconds) {
      throw new UnsupportedCapabilityError(`this transport delays messages by at most ${maxDelaySeconds} seconds`);
    }
    if (!config.fifo) delaySeconds = options.delaySeconds;
  }
  const identity = resolveIdentity('queue', config.fifo, config.contentBasedDeduplication, body, options);
  const entry: { -readonly [K in keyof DriverSendEntry]: DriverSendEntry[K] } = { id, body, attributes, delaySeconds };
  if (identity.groupId !== undefined) entry.groupId = identity.groupId;
  if (identity.deduplicationId !== undefined) entry.deduplicationId = identity.deduplicationId;
  return entry;
}

export function preparePublishEntry(
  id: string,
  body: string,
  options: PublishOptions,
  config: TopicConfig,
): DriverPublishEntry {
  assertBody(body);
  const attributes = normalizeAttributes(injectTraceContext(options.attributes), 'topic');
  const size = utf8Length(body) + attributesSize(attributes);
  if (size > LIMITS.topicMessageBytesMax) {
    throw new MessageTooLongError(
      `message is ${size} bytes (body and attributes); topics accept at most ${LIMITS.topicMessageBytesMax}`,
    );
  }
  if (options.subject !== undefined) {
    const subject = options.subject;
    if (
      typeof subject !== 'string' ||
      subject.length === 0 ||
      subject.length > LIMITS.subjectMaxLength ||
      hasControlCharacter(subject) ||
      findForbiddenChar(subject) >= 0
    ) {
      throw new InvalidParameterError(
        `subject must be 1 to ${LIMITS.subjectMaxLength} characters without line breaks or control characters`,
      );
    }
  }
  const identity = resolveIdentity('topic', config.fifo, config.contentBasedDeduplication, body, options);
  return { id, body, attributes, ...(options.subject !== undefined ? { subject: options.subject } : {}), ...identity };
}

export function sendEntrySize(entry: {
  readonly body: string;
  readonly attributes: DriverSendEntry['attributes'];
}): number {
  return utf8Length(entry.body) + attributesSize(entry.attributes);
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
