/**
 * Amazon SNS subscription filter policies: validation and evaluation, for transports that filter
 * messages themselves. Sources: the SNS developer guide pages "String value matching", "Numeric value
 * matching", "Key matching", "AND/OR logic" and "Filter policy constraints".
 */
import { compilePolicyTree } from './compile.js';
import type { FilterInput, FilterPolicy, FilterPolicyScope, FilterPredicate } from './types.js';
import { parseFilterPolicy } from './validate.js';

export type { FilterInput, FilterPolicy, FilterPolicyScope, FilterPredicate } from './types.js';
export { validateFilterPolicy } from './validate.js';

/** Validates (throws InvalidParameterError with an actionable message naming the offending key/operator) and compiles once. */
export function compileFilterPolicy(
  policy: FilterPolicy,
  scope: FilterPolicyScope = 'MessageAttributes',
): FilterPredicate {
  return compilePolicyTree(parseFilterPolicy(policy, scope), scope);
}

export function matchesFilterPolicy(
  policy: FilterPolicy,
  input: FilterInput,
  scope: FilterPolicyScope = 'MessageAttributes',
): boolean {
  return compileFilterPolicy(policy, scope)(input);
}
