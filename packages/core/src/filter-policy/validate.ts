import { InvalidParameterError } from '../errors.js';
import {
  combinations,
  leafKeys,
  MAX_COMBINATIONS,
  MAX_KEYS,
  MAX_WILDCARD_COMPLEXITY,
  wildcardComplexity,
} from './limits.js';
import { isPlainObject, OPERATORS, parseCondition } from './operators.js';
import type { AndNode, Condition, FilterPolicy, FilterPolicyScope, LeafNode, OrNode } from './types.js';

/** The SNS limit on a filter policy's JSON text ("Filter policy constraints": 256 KB). */
export const MAX_POLICY_BYTES = 256 * 1024;

const OR_KEY = '$or';

/**
 * Field names that stop `$or` from being an OR: the operators and the numeric comparison signs
 * (AND/OR logic page: "None of the objects in the "$or" array have field names that are reserved
 * keywords"; the list is the one of the Event Ruler compiler whose messages SNS returns).
 */
const RESERVED = new Set([...OPERATORS, 'exactly', '=', '<', '<=', '>', '>=']);

export function policyError(message: string, key?: string): InvalidParameterError {
  const where = key === undefined ? '' : `key "${key}": `;
  return new InvalidParameterError(`Invalid filter policy: ${where}${message}`);
}

function usesReservedName(value: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(value).some(([name, child]) => {
    if (name === OR_KEY && Array.isArray(child))
      return child.some((item) => isPlainObject(item) && usesReservedName(item));
    if (RESERVED.has(name)) return true;
    return isPlainObject(child) && usesReservedName(child);
  });
}

/**
 * `$or` is an OR only when its value is an array of at least two objects that use no reserved
 * names; otherwise it is an ordinary key named "$or" (AND/OR logic page, "OR operator").
 */
export function isOrRelationship(value: unknown): value is ReadonlyArray<Readonly<Record<string, unknown>>> {
  return (
    Array.isArray(value) && value.length >= 2 && value.every((item) => isPlainObject(item) && !usesReservedName(item))
  );
}

interface Walk {
  readonly scope: FilterPolicyScope;
}

function parseLeaf(name: string, depth: number, elements: readonly unknown[]): LeafNode {
  if (elements.length === 0) throw policyError('empty arrays are not allowed; list at least one value', name);
  const conditions: Condition[] = [];
  for (const element of elements) {
    const parsed = parseCondition(element);
    if (!parsed.ok) throw policyError(parsed.error, name);
    conditions.push(parsed.condition);
  }
  return { kind: 'leaf', name, depth, conditions };
}

function parseObject(
  object: Readonly<Record<string, unknown>>,
  path: readonly string[],
  depth: number,
  walk: Walk,
  children: Array<LeafNode | OrNode>,
): void {
  const keys = Object.keys(object);
  // The empty policy {} at the top is allowed and filters nothing (see parseFilterPolicy).
  if (keys.length === 0 && path.length > 0) throw policyError('empty objects are not allowed', path.join('.'));
  for (const key of keys) {
    const value = object[key];
    const name = [...path, key].join('.');
    if (key === OR_KEY && isOrRelationship(value)) {
      const branches = value.map((branch): AndNode => {
        if (Object.keys(branch).length === 0) throw policyError('$or branches must not be empty objects', name);
        const branchChildren: Array<LeafNode | OrNode> = [];
        parseObject(branch, path, depth, walk, branchChildren);
        return { kind: 'and', children: branchChildren };
      });
      children.push({ kind: 'or', branches });
    } else if (Array.isArray(value)) {
      children.push(parseLeaf(name, depth, value));
    } else if (isPlainObject(value)) {
      if (walk.scope === 'MessageAttributes') {
        throw policyError(
          'nested objects are only allowed with filter policy scope MessageBody; attribute policies map names to arrays',
          name,
        );
      }
      parseObject(value, [...path, key], depth + 1, walk, children);
    } else {
      throw policyError(`must be an object or an array of values, got ${value === null ? 'null' : typeof value}`, name);
    }
  }
}

function checkSize(policy: Readonly<Record<string, unknown>>): void {
  let text: string;
  try {
    text = JSON.stringify(policy);
  } catch (cause) {
    throw new InvalidParameterError('Invalid filter policy: the policy is not JSON-serializable', { cause });
  }
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_POLICY_BYTES) {
    throw policyError(`the policy is ${bytes} bytes of JSON; at most ${MAX_POLICY_BYTES} (256 KB) are allowed`);
  }
}

function checkScope(scope: unknown): asserts scope is FilterPolicyScope {
  if (scope !== 'MessageAttributes' && scope !== 'MessageBody') {
    throw new InvalidParameterError(
      `Invalid filter policy scope ${JSON.stringify(scope)}: use "MessageAttributes" or "MessageBody"`,
    );
  }
}

/**
 * Validates `policy` for `scope` and returns its tree; throws InvalidParameterError naming the problem.
 * The empty policy `{}` is valid and has no keys: it is how SNS removes a filter policy ("remove the
 * subscription's filter policy by overwriting it with an empty JSON body. After you remove the policy,
 * the subscription accepts every message", https://docs.aws.amazon.com/sns/latest/dg/message-filtering-policy-remove.html).
 */
export function parseFilterPolicy(policy: unknown, scope: FilterPolicyScope = 'MessageAttributes'): AndNode {
  checkScope(scope);
  if (!isPlainObject(policy)) {
    const got = policy === null ? 'null' : Array.isArray(policy) ? 'an array' : typeof policy;
    throw policyError(`the policy must be a JSON object, got ${got}`);
  }
  checkSize(policy);
  const children: Array<LeafNode | OrNode> = [];
  parseObject(policy, [], 1, { scope }, children);
  const root: AndNode = { kind: 'and', children };

  const keys = leafKeys(root);
  if (keys.size > MAX_KEYS) {
    throw policyError(`the policy has ${keys.size} keys (${[...keys].join(', ')}); at most ${MAX_KEYS} are allowed`);
  }
  const total = combinations(root);
  if (total > MAX_COMBINATIONS) {
    throw policyError(
      `the policy is too complex: ${total} combinations of values; at most ${MAX_COMBINATIONS} are allowed (multiply the array lengths, nested leaves also by their depth, $or branches add up)`,
    );
  }
  const points = wildcardComplexity(root);
  if (points > MAX_WILDCARD_COMPLEXITY) {
    throw policyError(
      `the policy's wildcards are too complex: ${points} points; at most ${MAX_WILDCARD_COMPLEXITY} are allowed (a pattern with one "*" counts 1, otherwise 3 per "*"; each key multiplies its sum by its number of wildcard patterns)`,
    );
  }
  return root;
}

/** Validation only. */
export function validateFilterPolicy(policy: unknown, scope?: FilterPolicyScope): asserts policy is FilterPolicy {
  parseFilterPolicy(policy, scope);
}
