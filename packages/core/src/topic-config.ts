import { InvalidParameterError } from './errors.js';
import type { FilterPolicy, FilterPolicyScope } from './filter-policy/index.js';
import { compileFilterPolicy } from './filter-policy/index.js';
import { assertTopicName, isFifoName } from './validation/names.js';
import { describe } from './validation/ranges.js';

export interface CreateTopicOptions {
  readonly fifo?: boolean;
  readonly contentBasedDeduplication?: boolean;
}

export interface TopicConfig {
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
}

export interface SubscribeOptions {
  /** Deliver the published body and attributes as they are, without the SNS JSON envelope. */
  readonly rawMessageDelivery?: boolean;
  readonly filterPolicy?: FilterPolicy;
  readonly filterPolicyScope?: FilterPolicyScope;
}

export interface SubscriptionConfig {
  readonly rawMessageDelivery: boolean;
  readonly filterPolicy?: FilterPolicy;
  readonly filterPolicyScope: FilterPolicyScope;
}

export function resolveTopicConfig(name: string, options: CreateTopicOptions = {}): TopicConfig {
  assertTopicName(name);
  const fifo = isFifoName(name);
  if (options.fifo !== undefined && options.fifo !== fifo) {
    throw new InvalidParameterError(
      `FIFO topic names end in ".fifo" and only they do; got "${name}" with fifo: ${options.fifo}`,
    );
  }
  if (!fifo && options.contentBasedDeduplication !== undefined) {
    throw new InvalidParameterError(
      `contentBasedDeduplication applies to FIFO topics only; "${name}" is a standard topic`,
    );
  }
  return { fifo, contentBasedDeduplication: options.contentBasedDeduplication ?? false };
}

export function sameTopicConfig(a: TopicConfig, b: TopicConfig): boolean {
  return a.fifo === b.fifo && a.contentBasedDeduplication === b.contentBasedDeduplication;
}

export function resolveSubscriptionConfig(options: SubscribeOptions = {}): SubscriptionConfig {
  const scope = options.filterPolicyScope ?? 'MessageAttributes';
  if (scope !== 'MessageAttributes' && scope !== 'MessageBody') {
    throw new InvalidParameterError(
      `filterPolicyScope must be "MessageAttributes" or "MessageBody", got ${describe(scope)}`,
    );
  }
  if (options.filterPolicy !== undefined) compileFilterPolicy(options.filterPolicy, scope);
  // The empty policy {} is no policy: it is how SNS removes one (see filter-policy/validate.ts).
  const filters = options.filterPolicy !== undefined && Object.keys(options.filterPolicy).length > 0;
  return {
    rawMessageDelivery: options.rawMessageDelivery ?? false,
    ...(filters ? { filterPolicy: options.filterPolicy } : {}),
    filterPolicyScope: scope,
  };
}
