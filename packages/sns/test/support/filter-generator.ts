/**
 * Seeded policy/message pairs for the filter differential. Most pairs stay within what SNS documents
 * unambiguously (typed values matched by operators of their type); about a quarter carry one
 * "trigger" that exercises a known emulator deviation (type swaps, String.Array, Binary, empty
 * attribute sets, body arrays, empty body values, nested $or), so those are covered too.
 */
import type { FilterPolicy, FilterPolicyScope, MessageAttributes, MessageAttributeValue } from '@msgport/core';
import { Random } from './prng.js';

export interface FilterPair {
  readonly name: string;
  readonly policy: FilterPolicy;
  readonly scope: FilterPolicyScope;
  readonly attributes: MessageAttributes;
  readonly body?: string;
}

type Kind = 'string' | 'number' | 'boolean';

const STRINGS = ['red', 'green', 'blue', 'redwood', 'bluebird', 'greenish', 'navy', 'teal'];
const PREFIXES = ['re', 'bl', 'gr', 'na', 'x'];
const SUFFIXES = ['ed', 'ue', 'en', 'ish', 'wood', 'bird'];
const NUMBERS = [-5, 0, 1, 2.5, 10, 99, 100, 150, 1000];

const ATTRIBUTE_KEYS: Readonly<Record<string, Kind>> = {
  color: 'string',
  region: 'string',
  size: 'string',
  price: 'number',
  qty: 'number',
};

const BODY_PATHS: Readonly<Record<string, Kind>> = {
  color: 'string',
  price: 'number',
  'detail.kind': 'string',
  'detail.size': 'number',
  'meta.flag': 'boolean',
};

function stringCondition(random: Random): unknown {
  switch (random.int(0, 7)) {
    case 0:
    case 1:
      return random.pick(STRINGS);
    case 2:
      return { prefix: random.pick(PREFIXES) };
    case 3:
      return { suffix: random.pick(SUFFIXES) };
    case 4:
      return { 'anything-but': random.sample(STRINGS, random.int(1, 2)) };
    case 5:
      return { 'anything-but': random.pick(STRINGS) };
    case 6:
      return {
        'anything-but': random.chance(0.5) ? { prefix: random.pick(PREFIXES) } : { suffix: random.pick(SUFFIXES) },
      };
    default:
      return { exists: random.chance(0.5) };
  }
}

function numericCondition(random: Random): unknown {
  const [low, high] = random.sample(NUMBERS, 2).sort((a, b) => a - b) as [number, number];
  switch (random.int(0, 6)) {
    case 0:
      return random.pick(NUMBERS);
    case 1:
      return { numeric: ['=', random.pick(NUMBERS)] };
    case 2:
      return { numeric: [random.pick(['<', '<=', '>', '>=']), random.pick(NUMBERS)] };
    case 3:
      return { numeric: [random.pick(['>', '>=']), low, random.pick(['<', '<=']), high] };
    case 4:
      return { 'anything-but': random.sample(NUMBERS, random.int(1, 2)) };
    case 5:
      return { 'anything-but': random.pick(NUMBERS) };
    default:
      return { exists: random.chance(0.5) };
  }
}

function booleanCondition(random: Random): unknown {
  switch (random.int(0, 2)) {
    case 0:
      return true;
    case 1:
      return false;
    default:
      return { exists: random.chance(0.5) };
  }
}

function conditions(random: Random, kind: Kind): unknown[] {
  const make = kind === 'string' ? stringCondition : kind === 'number' ? numericCondition : booleanCondition;
  const out: unknown[] = [];
  const count = random.int(1, 2);
  while (out.length < count) {
    const condition = make(random);
    if (!out.some((existing) => JSON.stringify(existing) === JSON.stringify(condition))) out.push(condition);
  }
  return out;
}

function stringValue(random: Random): string {
  return random.pick(STRINGS);
}

/** Number attribute text, sometimes in another notation of the same value. */
function numberText(random: Random, value: number): string {
  if (value === 10 && random.chance(0.3)) return random.pick(['1e1', '10.0', '10.00']);
  if (value === 100 && random.chance(0.3)) return random.pick(['1e2', '100.0']);
  return String(value);
}

function typedAttribute(random: Random, kind: Kind): MessageAttributeValue {
  if (kind === 'number') return { dataType: 'Number', stringValue: numberText(random, random.pick(NUMBERS)) };
  return { dataType: 'String', stringValue: stringValue(random) };
}

function attributePair(random: Random, index: number): FilterPair {
  const keys = random.sample(Object.keys(ATTRIBUTE_KEYS), random.int(1, 3));
  const policy: Record<string, unknown> = {};
  const leafKeys: string[] = [];
  if (keys.length >= 2 && random.chance(0.15)) {
    const [a, b, ...rest] = keys as [string, string, ...string[]];
    policy.$or = [a, b].map((key) => ({ [key]: conditions(random, ATTRIBUTE_KEYS[key] as Kind) }));
    for (const key of rest) policy[key] = conditions(random, ATTRIBUTE_KEYS[key] as Kind);
  } else {
    for (const key of keys) policy[key] = conditions(random, ATTRIBUTE_KEYS[key] as Kind);
  }
  leafKeys.push(...keys);

  const attributes: Record<string, MessageAttributeValue> = {};
  for (const key of leafKeys) {
    if (random.chance(0.75)) attributes[key] = typedAttribute(random, ATTRIBUTE_KEYS[key] as Kind);
  }
  if (random.chance(0.3)) attributes.other = { dataType: 'String', stringValue: 'x' };
  let trigger = 'typed';
  if (random.chance(0.25)) {
    const key = random.pick(leafKeys);
    const kind = ATTRIBUTE_KEYS[key] as Kind;
    trigger = random.pick(['swap', 'array', 'binary', 'empty']);
    if (trigger === 'swap') {
      attributes[key] =
        kind === 'number'
          ? { dataType: 'String', stringValue: random.chance(0.5) ? String(random.pick(NUMBERS)) : stringValue(random) }
          : { dataType: 'Number', stringValue: String(random.pick(NUMBERS)) };
    } else if (trigger === 'array') {
      const values = Array.from({ length: random.int(1, 3) }, () =>
        kind === 'number' ? random.pick(NUMBERS) : stringValue(random),
      );
      attributes[key] = { dataType: 'String.Array', stringValue: JSON.stringify(values) };
    } else if (trigger === 'binary') {
      attributes[key] = { dataType: 'Binary', binaryValue: new Uint8Array([random.int(0, 255), 1]) };
    } else {
      for (const name of Object.keys(attributes)) delete attributes[name];
    }
  }
  return { name: `generated #${index} attributes/${trigger}`, policy, scope: 'MessageAttributes', attributes };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const child = node[part];
    if (child === null || typeof child !== 'object' || Array.isArray(child)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1) as string] = value;
}

function bodyValue(random: Random, kind: Kind): unknown {
  if (kind === 'number') return random.pick(NUMBERS);
  if (kind === 'boolean') return random.chance(0.5);
  return stringValue(random);
}

function bodyPair(random: Random, index: number): FilterPair {
  const paths = random.sample(Object.keys(BODY_PATHS), random.int(1, 3));
  const policy: Record<string, unknown> = {};
  let trigger = 'typed';
  if (paths.length >= 2 && random.chance(0.15)) {
    const [a, b, ...rest] = paths as [string, string, ...string[]];
    const branch = (path: string) => {
      const node: Record<string, unknown> = {};
      setPath(node, path, conditions(random, BODY_PATHS[path] as Kind));
      return node;
    };
    const nested = a.startsWith('detail.') && b.startsWith('detail.') && random.chance(0.5);
    if (nested) {
      trigger = 'nested-or';
      const detail: Record<string, unknown> = {
        $or: [a, b].map((path) => ({ [path.slice('detail.'.length)]: conditions(random, BODY_PATHS[path] as Kind) })),
      };
      policy.detail = detail;
    } else {
      policy.$or = [branch(a), branch(b)];
    }
    for (const path of rest) setPath(policy, path, conditions(random, BODY_PATHS[path] as Kind));
  } else {
    for (const path of paths) setPath(policy, path, conditions(random, BODY_PATHS[path] as Kind));
  }

  const body: Record<string, unknown> = {};
  for (const path of paths) {
    if (random.chance(0.75)) setPath(body, path, bodyValue(random, BODY_PATHS[path] as Kind));
  }
  if (random.chance(0.3)) body.other = 'x';
  let text: string | undefined;
  if (trigger === 'typed' && random.chance(0.3)) {
    const path = random.pick(paths);
    const kind = BODY_PATHS[path] as Kind;
    trigger = random.pick(['swap', 'array', 'array-parent', 'empty-value', 'null', 'not-json']);
    if (trigger === 'swap') {
      setPath(
        body,
        path,
        kind === 'string' ? random.pick(NUMBERS) : kind === 'number' ? String(random.pick(NUMBERS)) : 'true',
      );
    } else if (trigger === 'array') {
      setPath(
        body,
        path,
        Array.from({ length: random.int(1, 3) }, () => bodyValue(random, kind)),
      );
    } else if (trigger === 'array-parent' && path.includes('.')) {
      const [parent, child] = path.split('.') as [string, string];
      body[parent] = [{ [child]: bodyValue(random, kind) }, { other: 1 }];
    } else if (trigger === 'empty-value') {
      setPath(body, path, '');
    } else if (trigger === 'null') {
      setPath(body, path, null);
    } else if (trigger === 'not-json') {
      text = random.pick(['not json', '"a string"', '[1,2]', '42']);
    }
  }
  return {
    name: `generated #${index} body/${trigger}`,
    policy,
    scope: 'MessageBody',
    attributes: {},
    body: text ?? JSON.stringify(body),
  };
}

/** `count` pairs from `seed`: half attribute scope, half body scope. */
export function generatePairs(seed: number, count: number): FilterPair[] {
  const random = new Random(seed);
  return Array.from({ length: count }, (_, index) =>
    index % 2 === 0 ? attributePair(random, index) : bodyPair(random, index),
  );
}
