/**
 * Message attributes as SQS and SNS define them: a data type (`String`, `Number`, `Binary`, on
 * topics also `String.Array`, each optionally followed by `.label`) and a string or binary value.
 * `Number` and `String.Array` values travel as strings, exactly as on AWS.
 */
export interface MessageAttributeValue {
  readonly dataType: string;
  readonly stringValue?: string;
  readonly binaryValue?: Uint8Array;
}

export type MessageAttributes = Readonly<Record<string, MessageAttributeValue>>;

/** What a sender may write: shorthands are turned into typed values by core. */
export type MessageAttributeInput = string | number | Uint8Array | readonly string[] | MessageAttributeValue;

export type MessageAttributesInput = Readonly<Record<string, MessageAttributeInput>>;
