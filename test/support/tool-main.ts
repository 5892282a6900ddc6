import { Cleanup } from './cleanup.js';
import { parseCliOptions } from './cli-options.js';

export interface ToolResult {
  readonly details: readonly string[];
  /** The summary line: always the last line printed. */
  readonly line: string;
  readonly passed: boolean;
}

/**
 * The command-line shell of a fault tool: parses the options, runs, prints the detail lines, cleans
 * up (also on Ctrl-C and uncaught errors), prints the summary line last and exits 0 (passed),
 * 1 (a target missed) or 2 (the run could not be made).
 */
export async function toolMain(
  name: string,
  known: readonly string[],
  run: (options: Map<string, string>, cleanup: Cleanup) => Promise<ToolResult>,
): Promise<never> {
  const cleanup = new Cleanup();
  cleanup.exitOnSignals();
  let code: number;
  try {
    const result = await run(parseCliOptions(process.argv.slice(2), known), cleanup);
    for (const line of result.details) console.log(line);
    await cleanup.run();
    console.log(result.line);
    code = result.passed ? 0 : 1;
  } catch (error) {
    await cleanup.run();
    console.error(`${name} failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    code = 2;
  }
  process.exit(code);
}
