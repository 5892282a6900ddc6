/**
 * The `wildcard` operator: `*` stands for any run of characters (possibly empty). The SNS constraints
 * page allows at most three `*` per pattern. Like the Event Ruler grammar SNS shares, two `*` in a
 * row are rejected and a backslash escapes `*` or `\` (any other escape is an error).
 */

export const MAX_WILDCARDS = 3;

export type WildcardParse =
  | { readonly ok: true; readonly segments: readonly string[] }
  | { readonly ok: false; readonly error: string };

/** Splits a pattern into the literal runs between its wildcards: `a*b*` → `['a', 'b', '']`. */
export function parseWildcard(pattern: string): WildcardParse {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i];
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        return { ok: false, error: `wildcard "${pattern}" has consecutive "*" at position ${i}` };
      }
      segments.push(current);
      current = '';
    } else if (char === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') {
        return {
          ok: false,
          error: `wildcard "${pattern}" has an invalid escape at position ${i}; only \\* and \\\\ are allowed`,
        };
      }
      current += next;
      i += 1;
    } else {
      current += char;
    }
  }
  segments.push(current);
  if (segments.length - 1 > MAX_WILDCARDS) {
    return {
      ok: false,
      error: `wildcard "${pattern}" has ${segments.length - 1} "*"; at most ${MAX_WILDCARDS} are allowed`,
    };
  }
  return { ok: true, segments };
}

/** A matcher for parsed segments; greedy left-to-right placement is exact for `*`-only globs. */
export function wildcardMatcher(segments: readonly string[]): (value: string) => boolean {
  const first = segments[0] ?? '';
  if (segments.length === 1) return (value) => value === first;
  const last = segments[segments.length - 1] ?? '';
  const middle = segments.slice(1, -1);
  const minLength = segments.reduce((sum, segment) => sum + segment.length, 0);
  return (value) => {
    if (value.length < minLength || !value.startsWith(first) || !value.endsWith(last)) return false;
    let position = first.length;
    const end = value.length - last.length;
    for (const segment of middle) {
      const found = value.indexOf(segment, position);
      if (found < 0 || found + segment.length > end) return false;
      position = found + segment.length;
    }
    return true;
  };
}
