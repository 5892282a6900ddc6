import type { AndNode, Condition, LeafNode, OrNode } from './types.js';

/**
 * Size limits from the SNS guide, "Filter policy constraints": at most five keys and at most 150
 * combinations of values.
 *
 * Keys: every distinct leaf path counts once (`detail.scope` is one key; the parents of nested body
 * policies and the `$or` keyword itself do not count), the page's rule for nested policies. How `$or`
 * branches count is not documented; counting each distinct leaf key once, across all branches, is
 * the reading that never accepts a policy SNS would reject for its key count.
 *
 * Combinations: the product of the array lengths, where a leaf nested at depth d also multiplies by d
 * (the page's example `{"key_a": {"key_b": {"key_c": [4 values]}}, "key_d": {"key_e": [3 values]}}`
 * counts 3 × 4 × 2 × 3 = 72), and an `$or` contributes the sum of its branches (AND/OR logic page:
 * `(source × metricName) + (source × metricType × metricId) + …`). Both rules were checked against
 * real SNS by LocalStack (test_policy_complexity_with_or, test_sub_filter_policy_nested_property_constraints).
 */

export const MAX_KEYS = 5;
export const MAX_COMBINATIONS = 150;

export function leafKeys(node: AndNode, into: Set<string> = new Set()): Set<string> {
  for (const child of node.children) {
    if (child.kind === 'leaf') into.add(child.name);
    else for (const branch of child.branches) leafKeys(branch, into);
  }
  return into;
}

function childCombinations(child: LeafNode | OrNode): number {
  if (child.kind === 'leaf') return child.conditions.length * child.depth;
  return child.branches.reduce((sum, branch) => sum + combinations(branch), 0);
}

export function combinations(node: AndNode): number {
  return node.children.reduce((product, child) => product * childCombinations(child), 1);
}

/**
 * The wildcard complexity limit of the SNS guide ("Filter policy constraints", wildcard matching): a
 * policy's wildcard patterns may add up to 100 points. A pattern with a single `*` counts 1 point, a
 * pattern with several counts 3 per `*`; a key's points are the sum over its wildcard patterns
 * (`wildcard` and `anything-but` `wildcard`) times how many it has; the policy's are the sum over its keys.
 */
export const MAX_WILDCARD_COMPLEXITY = 100;

function wildcardPattern(condition: Condition): string | undefined {
  if (condition.kind === 'wildcard') return condition.value;
  if (condition.kind === 'anything-but' && condition.exclusion.type === 'wildcard') return condition.exclusion.value;
  return undefined;
}

/** Unescaped `*` in a validated pattern (`\*` is a literal star). */
function starCount(pattern: string): number {
  let stars = 0;
  for (let i = 0; i < pattern.length; i += 1) {
    if (pattern[i] === '\\') i += 1;
    else if (pattern[i] === '*') stars += 1;
  }
  return stars;
}

function leafWildcardPoints(leaf: LeafNode): number {
  let sum = 0;
  let patterns = 0;
  for (const condition of leaf.conditions) {
    const pattern = wildcardPattern(condition);
    if (pattern === undefined) continue;
    const stars = starCount(pattern);
    patterns += 1;
    sum += stars <= 1 ? stars : stars * 3;
  }
  return sum * patterns;
}

export function wildcardComplexity(node: AndNode): number {
  let points = 0;
  for (const child of node.children) {
    if (child.kind === 'leaf') points += leafWildcardPoints(child);
    else for (const branch of child.branches) points += wildcardComplexity(branch);
  }
  return points;
}
