/** The shapes and builders of the filter-case tables (filter-cases.ts, filter-cases-localstack.ts). */
import type { FilterPolicy, FilterPolicyScope } from '../../src/filter-policy/index.js';
import type { MessageAttributes, MessageAttributeValue } from '../../src/message-attributes.js';

export type FilterFeature =
  | 'wildcard'
  | 'suffix'
  | 'equals-ignore-case'
  | 'cidr'
  | 'anything-but-suffix'
  | 'anything-but-wildcard';

export interface FilterCase {
  readonly name: string;
  readonly policy: FilterPolicy;
  readonly scope?: FilterPolicyScope;
  readonly attributes?: MessageAttributes;
  readonly body?: string;
  readonly expected: boolean;
  /** Operators that older SNS emulators may not implement. */
  readonly feature?: FilterFeature;
}
export const str = (value: string): MessageAttributeValue => ({ dataType: 'String', stringValue: value });
export const num = (value: string): MessageAttributeValue => ({ dataType: 'Number', stringValue: value });
export const strArray = (values: readonly unknown[]): MessageAttributeValue => ({
  dataType: 'String.Array',
  stringValue: JSON.stringify(values),
});
export const json = (value: unknown): string => JSON.stringify(value);

type Row = readonly [name: string, message: MessageAttributes | string, expected: boolean];

/** Several messages against one policy: a string message is a body (scope MessageBody). */
export function group(
  policy: FilterPolicy,
  rows: readonly Row[],
  extra: { readonly feature?: FilterFeature } = {},
): FilterCase[] {
  return rows.map(([name, message, expected]) => ({
    name,
    policy,
    expected,
    ...extra,
    ...(typeof message === 'string' ? { scope: 'MessageBody' as const, body: message } : { attributes: message }),
  }));
}
