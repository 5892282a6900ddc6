import type { FilterPolicy, FilterPolicyScope, FilterPredicate } from '../../filter-policy/index.js';
import { compileFilterPolicy } from '../../filter-policy/index.js';
import type { SubscriptionConfig } from '../../topic-config.js';

type CompiledByScope = Partial<Record<FilterPolicyScope, FilterPredicate>>;

/** Compiled policies by policy object: a transport that keeps its subscriptions hits this one. */
const byObject = new WeakMap<FilterPolicy, CompiledByScope>();
/** Compiled policies by text, for transports that read their subscriptions afresh on every publish. */
const byText = new Map<string, FilterPredicate>();
const BY_TEXT_MAX = 1_000;

/**
 * The compiled filter policy of a subscription, `undefined` when it has none (everything matches).
 * Compiling happens once per policy: later calls find it by object, or by its JSON text.
 */
export function subscriptionFilter(subscription: SubscriptionConfig): FilterPredicate | undefined {
  const policy = subscription.filterPolicy;
  if (policy === undefined) return undefined;
  const scope = subscription.filterPolicyScope;
  let compiled = byObject.get(policy);
  const known = compiled?.[scope];
  if (known) return known;
  const text = `${scope}\n${JSON.stringify(policy)}`;
  let predicate = byText.get(text);
  if (!predicate) {
    predicate = compileFilterPolicy(policy, scope);
    if (byText.size >= BY_TEXT_MAX) byText.delete(byText.keys().next().value as string);
    byText.set(text, predicate);
  }
  compiled ??= {};
  compiled[scope] = predicate;
  byObject.set(policy, compiled);
  return predicate;
}
