import type { AndNode, LeafNode, OrNode } from './types.js';

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
