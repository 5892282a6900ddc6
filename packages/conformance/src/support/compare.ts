import type { MessageAttributes } from '@msgport/core';

export interface PlainAttribute {
  readonly dataType: string;
  readonly stringValue?: string;
  readonly binaryValue?: number[];
}

/** Attributes as plain data (bytes as number arrays), so Buffer and Uint8Array compare equal. */
export function plainAttributes(attributes: MessageAttributes): Record<string, PlainAttribute> {
  const out: Record<string, PlainAttribute> = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] = {
      dataType: value.dataType,
      ...(value.stringValue !== undefined ? { stringValue: value.stringValue } : {}),
      ...(value.binaryValue !== undefined ? { binaryValue: [...value.binaryValue] } : {}),
    };
  }
  return out;
}

/** Sorted copy, for comparing sets of strings. */
export function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

/** The element at `index`, failing loudly instead of returning undefined. */
export function at<T>(items: readonly T[], index: number): T {
  if (index < 0 || index >= items.length) {
    throw new Error(`expected an element at index ${index}, but there are ${items.length}`);
  }
  return items[index] as T;
}

export function bytes(length: number, start = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (start + i) % 256);
}
