import type { MessageAttributes, MessageAttributeValue } from './message-attributes.js';

/** The JSON notification SNS delivers to an SQS subscription without raw message delivery. */
export interface SnsEnvelope {
  readonly Type: 'Notification';
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Subject?: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly SequenceNumber?: string;
  readonly MessageAttributes?: Readonly<Record<string, { readonly Type: string; readonly Value: string }>>;
}

export interface WrapInput {
  readonly messageId: string;
  readonly topicArn: string;
  readonly body: string;
  readonly attributes: MessageAttributes;
  readonly timestamp: number;
  readonly subject?: string;
  readonly sequenceNumber?: string;
}

export function wrapSnsEnvelope(input: WrapInput): string {
  const names = Object.keys(input.attributes);
  const envelope: SnsEnvelope = {
    Type: 'Notification',
    MessageId: input.messageId,
    TopicArn: input.topicArn,
    ...(input.subject !== undefined ? { Subject: input.subject } : {}),
    Message: input.body,
    Timestamp: new Date(input.timestamp).toISOString(),
    ...(input.sequenceNumber !== undefined ? { SequenceNumber: input.sequenceNumber } : {}),
    ...(names.length > 0
      ? {
          MessageAttributes: Object.fromEntries(
            names.map((name) => [name, toEnvelopeAttribute(input.attributes[name] as MessageAttributeValue)]),
          ),
        }
      : {}),
  };
  return JSON.stringify(envelope);
}

function toEnvelopeAttribute(value: MessageAttributeValue): { Type: string; Value: string } {
  return value.binaryValue
    ? { Type: value.dataType, Value: Buffer.from(value.binaryValue).toString('base64') }
    : { Type: value.dataType, Value: value.stringValue ?? '' };
}

export interface UnwrappedMessage {
  readonly body: string;
  readonly attributes: MessageAttributes;
  readonly envelope: SnsEnvelope;
}

/** Reads an SNS notification envelope; `undefined` when the body is not one. */
export function unwrapSnsEnvelope(body: string): UnwrappedMessage | undefined {
  if (!body.startsWith('{') || !body.includes('"Notification"')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isEnvelope(parsed)) return undefined;
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, { Type, Value }] of Object.entries(parsed.MessageAttributes ?? {})) {
    attributes[name] = Type.startsWith('Binary')
      ? { dataType: Type, binaryValue: new Uint8Array(Buffer.from(Value, 'base64')) }
      : { dataType: Type, stringValue: Value };
  }
  return { body: parsed.Message, attributes, envelope: parsed };
}

function isEnvelope(value: unknown): value is SnsEnvelope {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate.Type === 'Notification' &&
    typeof candidate.Message === 'string' &&
    typeof candidate.MessageId === 'string' &&
    typeof candidate.TopicArn === 'string' &&
    isOptionalString(candidate.Subject) &&
    isOptionalString(candidate.SequenceNumber) &&
    isEnvelopeAttributes(candidate.MessageAttributes)
  );
}

/** Absent, null (what SNS and emulators send for a missing `Subject`) or a string. */
function isOptionalString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

/** Absent, or a map of `{ Type, Value }` strings: another producer's body may look like an envelope and not be one. */
function isEnvelopeAttributes(value: unknown): boolean {
  if (value === undefined) return true;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const attribute of Object.values(value)) {
    if (attribute === null || typeof attribute !== 'object') return false;
    const { Type, Value } = attribute as Record<string, unknown>;
    if (typeof Type !== 'string' || typeof Value !== 'string') return false;
  }
  return true;
}
