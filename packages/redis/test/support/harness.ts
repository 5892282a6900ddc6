import type { ConformanceHarness } from '@msgport/conformance';
import { connect } from '@msgport/core';
import '../../src/index.js';
import { deletePrefix, uniquePrefix } from './env.js';

/** Opens brokers on `url` under a fresh key prefix; `dispose` deletes that prefix's keys. */
export function redisHarness(url: string, label: string): ConformanceHarness {
  const prefix = uniquePrefix(label);
  const separator = url.includes('?') ? '&' : '?';
  return {
    connect: () => connect(`${url}${separator}prefix=${encodeURIComponent(prefix)}`),
    dispose: () => deletePrefix(url, prefix),
  };
}
