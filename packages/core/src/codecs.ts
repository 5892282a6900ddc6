import { InvalidMessageContentsError } from './errors.js';

/** Turns payloads into SQS-safe message bodies and back. */
export interface Codec<T> {
  readonly name: string;
  encode(value: T): string;
  decode(body: string): T;
}

export const textCodec: Codec<string> = {
  name: 'text',
  encode: (value) => value,
  decode: (body) => body,
};

export const jsonCodec: Codec<unknown> = {
  name: 'json',
  encode(value) {
    const body = JSON.stringify(value);
    if (body === undefined)
      throw new InvalidMessageContentsError('the JSON codec cannot encode undefined or a function');
    return body;
  },
  decode(body) {
    try {
      return JSON.parse(body) as unknown;
    } catch (cause) {
      throw new InvalidMessageContentsError('message body is not valid JSON', { cause });
    }
  },
};

/** A JSON codec typed for one payload shape (no runtime check: validate in your handler). */
export function json<T>(): Codec<T> {
  return jsonCodec as Codec<T>;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Arbitrary bytes as base64, since SQS bodies must be XML characters. */
export const binaryCodec: Codec<Uint8Array> = {
  name: 'binary',
  encode: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
  decode(body) {
    if (body.length % 4 !== 0 || !BASE64.test(body)) {
      throw new InvalidMessageContentsError('message body is not base64, so the binary codec cannot decode it');
    }
    return new Uint8Array(Buffer.from(body, 'base64'));
  },
};
