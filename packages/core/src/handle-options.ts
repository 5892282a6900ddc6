import { type Codec, textCodec } from './codecs.js';
import { InvalidParameterError } from './errors.js';
import { optionalBoolean } from './validation/options.js';
import { describe } from './validation/ranges.js';

/** A `codec` option: absent (text), or an object with `encode` and `decode` functions. */
export function codecOption<T>(codec: unknown): Codec<T> {
  if (codec === undefined || codec === null) return textCodec as unknown as Codec<T>;
  const candidate = codec as Partial<Codec<T>>;
  if (typeof codec !== 'object' || typeof candidate.encode !== 'function' || typeof candidate.decode !== 'function') {
    throw new InvalidParameterError(`codec must be an object with encode and decode functions, got ${describe(codec)}`);
  }
  return codec as Codec<T>;
}

export interface ResolvedHandleOptions<T> {
  readonly codec: Codec<T>;
  readonly unwrapEnvelopes?: boolean;
}

/** The options of a queue handle (`broker.queue`, `broker.createQueue`), checked. */
export function queueHandleOptions<T>(options: {
  codec?: unknown;
  unwrapEnvelopes?: unknown;
}): ResolvedHandleOptions<T> {
  const unwrapEnvelopes = optionalBoolean('unwrapEnvelopes', options.unwrapEnvelopes);
  return { codec: codecOption<T>(options.codec), ...(unwrapEnvelopes !== undefined ? { unwrapEnvelopes } : {}) };
}
