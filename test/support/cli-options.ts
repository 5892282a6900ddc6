/**
 * `--name value` and `--flag` pairs of a fault tool's command line; unknown names are rejected
 * so a typo never runs a different experiment than the one asked for.
 */
export function parseCliOptions(argv: readonly string[], known: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') continue;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1] || !known.includes(match[1])) throw new Error(`unknown argument ${arg}`);
    const next = argv[i + 1];
    if (match[2] !== undefined) options.set(match[1], match[2]);
    else if (next !== undefined && !next.startsWith('--')) {
      options.set(match[1], next);
      i++;
    } else options.set(match[1], 'true');
  }
  return options;
}

export function numberOption(options: Map<string, string>, name: string, fallback: number): number {
  const text = options.get(name);
  if (text === undefined) return fallback;
  const value = Number(text.replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
}

export function choiceOption<T extends string>(options: Map<string, string>, name: string, choices: readonly T[]): T {
  const value = options.get(name);
  if (!value || !(choices as readonly string[]).includes(value)) {
    throw new Error(`--${name} must be one of ${choices.join(', ')}`);
  }
  return value as T;
}
