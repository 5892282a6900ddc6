/**
 * @module @msgport/cli — the `msgport` command line. The program can also run in-process:
 * `await runCli(['node', 'msgport', 'stats', url], { stdout, stderr, stdin })` resolves with the exit code.
 */
export { displayUrl, openBroker, redactorFor } from './broker-url.js';
export { type ConsoleServer, type ConsoleServerOptions, startConsoleServer } from './console/server.js';
export type { CliIo } from './context.js';
export { type MoveQueueOptions, type MoveQueueResult, moveQueue } from './move/move-queue.js';
export { runCli } from './program.js';
export { type QueueRow, queueOverview } from './queue-overview.js';
