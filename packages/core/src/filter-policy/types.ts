import type { MessageAttributes } from '../message-attributes.js';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** A parsed filter policy, exactly as the JSON text an SNS subscription would carry. */
export type FilterPolicy = Readonly<Record<string, unknown>>;

export interface FilterInput {
  readonly attributes: MessageAttributes;
  readonly body: string;
}

export type FilterPredicate = (input: FilterInput) => boolean;

/** A value a message can hold for one policy key: JSON scalars only (objects are walked, arrays spread). */
export type Scalar = string | number | boolean | null;

/** What an `anything-but` excludes. */
export type Exclusion =
  | { readonly type: 'strings'; readonly values: readonly string[] }
  | { readonly type: 'numbers'; readonly values: readonly number[] }
  | { readonly type: 'prefix' | 'suffix' | 'wildcard'; readonly value: string };

export interface NumericBound {
  readonly value: number;
  readonly inclusive: boolean;
}

/** One element of a leaf array, validated. */
export type Condition =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'literal'; readonly value: boolean | null }
  | { readonly kind: 'prefix' | 'suffix' | 'equals-ignore-case' | 'wildcard'; readonly value: string }
  | { readonly kind: 'anything-but'; readonly exclusion: Exclusion }
  | { readonly kind: 'numeric'; readonly lower?: NumericBound; readonly upper?: NumericBound }
  | { readonly kind: 'exists'; readonly value: boolean }
  | { readonly kind: 'cidr'; readonly value: string };

/** A policy key whose value is an array: `name` is the dotted path (`detail.scope`), as SNS flattens it. */
export interface LeafNode {
  readonly kind: 'leaf';
  readonly name: string;
  readonly depth: number;
  readonly conditions: readonly Condition[];
}

export interface OrNode {
  readonly kind: 'or';
  readonly branches: readonly AndNode[];
}

/** Every child must match. Nested objects are flattened into their parent's AND node. */
export interface AndNode {
  readonly kind: 'and';
  readonly children: ReadonlyArray<LeafNode | OrNode>;
}
