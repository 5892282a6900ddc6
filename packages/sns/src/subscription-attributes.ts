import type { SubscriptionConfig } from '@msgport/core/driver';

type FilterPolicy = NonNullable<SubscriptionConfig['filterPolicy']>;
type FilterPolicyScope = SubscriptionConfig['filterPolicyScope'];

/**
 * Subscribe attributes for a msgport subscription. The same config always yields the same set, so a
 * repeated subscribe is idempotent on SNS. `FilterPolicyScope` goes only with a `FilterPolicy`.
 */
export function toSubscriptionAttributes(config: SubscriptionConfig): Record<string, string> {
  const attributes: Record<string, string> = { RawMessageDelivery: String(config.rawMessageDelivery) };
  if (config.filterPolicy !== undefined) {
    attributes.FilterPolicy = JSON.stringify(config.filterPolicy);
    attributes.FilterPolicyScope = config.filterPolicyScope;
  }
  return attributes;
}

function parsePolicy(text: string | undefined): FilterPolicy | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as FilterPolicy)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The msgport view of GetSubscriptionAttributes. */
export function fromSubscriptionAttributes(attributes: Record<string, string>): SubscriptionConfig {
  const filterPolicy = parsePolicy(attributes.FilterPolicy);
  const scope: FilterPolicyScope = attributes.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes';
  return {
    rawMessageDelivery: attributes.RawMessageDelivery === 'true',
    ...(filterPolicy !== undefined ? { filterPolicy } : {}),
    filterPolicyScope: scope,
  };
}
