/**
 * Collects what reaches `console.error`/`console.warn` (ioredis prints "[ioredis] Unhandled error
 * event" there when an 'error' event has no listener); `restore()` puts the console back.
 */
export function captureConsole(): { readonly printed: string[]; restore(): void } {
  const printed: string[] = [];
  const original = { error: console.error, warn: console.warn };
  console.error = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  return {
    printed,
    restore: () => {
      console.error = original.error;
      console.warn = original.warn;
    },
  };
}
