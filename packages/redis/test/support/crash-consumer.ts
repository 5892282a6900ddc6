/**
 * Child process for the crash test: receives a batch, reports it on stdout, then waits to be
 * killed with SIGKILL while holding the messages (never deletes them).
 * argv: redis URL (with prefix), queue name, visibility timeout seconds.
 */
import { connect } from '@msgport/core';
import '../../src/index.js';

const [url = '', queue = '', visibility = '3'] = process.argv.slice(2);
const broker = await connect(url);
const messages = await broker
  .queue(queue)
  .receive({ maxMessages: 10, waitTimeSeconds: 5, visibilityTimeoutSeconds: Number(visibility) });
process.stdout.write(`received ${JSON.stringify(messages.map((m) => m.body))}\n`);
setInterval(() => undefined, 60_000);
