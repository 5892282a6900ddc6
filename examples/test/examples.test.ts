import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { consume, ManualClock } from '@msgport/core';
import { createMemoryBroker } from '@msgport/memory';
import { describe, expect, it } from 'vitest';
import { handler } from '../lambda/handler.js';
import { runLimitedDownstream } from '../limited-downstream.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = (script: string) =>
  run('node', ['node_modules/tsx/dist/cli.mjs', '--conditions=source', script], { cwd: root, timeout: 60_000 });

describe('examples on the in-memory broker', () => {
  it('the README demo runs the order pipeline, redrives the DLQ and prints the per-queue table', async () => {
    const { stdout } = await tsx('examples/demo.ts');
    expect(stdout).toContain('After the first pass');
    expect(stdout).toMatch(/moved \d+ messages from orders-dlq to orders/);
    expect(stdout).toMatch(/queue\s+sent\s+received\s+deleted\s+in flight\s+visible\s+DLQ depth/);
    const finalTable = stdout.slice(stdout.indexOf('Final per-queue stats'));
    expect(finalTable).toMatch(/orders\s+400\s+\d+\s+383\s+0\s+0\s+17/);
  }, 60_000);

  it('maximumConcurrency protects a limited downstream', async () => {
    const broker = createMemoryBroker();
    const result = await runLimitedDownstream(broker, { messages: 120, limit: 3 });
    expect(result.calls).toBe(120);
    expect(result.peak).toBeLessThanOrEqual(3);
    expect(result.peak).toBe(3);
    await broker.close();
  });

  it('the Lambda handler runs unchanged under consume() and fails only the bad record', async () => {
    const clock = new ManualClock();
    const broker = createMemoryBroker({ clock });
    const queue = await broker.createQueue('shipments', { visibilityTimeoutSeconds: 10 });
    await queue.send(JSON.stringify({ orderId: 'good', address: 'x' }));
    await queue.send(JSON.stringify({ orderId: 'bad', address: '' }));
    const consumer = await consume(queue, handler, {
      functionResponseTypes: ['ReportBatchItemFailures'],
      clock,
      batchSize: 2,
      logger: false,
    });
    consumer.on('warning', () => {});
    await clock.advance(1);
    await consumer.stop();
    expect(consumer.metrics()).toMatchObject({
      NumberOfMessagesReceived: 2,
      NumberOfMessagesDeleted: 1,
      PartialFailures: 1,
    });
    await clock.advance(11);
    const [left] = await queue.receive({ maxMessages: 10 });
    expect(JSON.parse(left?.rawBody ?? '{}')).toMatchObject({ orderId: 'bad' });
    await broker.close();
  });

  it('lambda/run-local.ts ends with the bad shipment in the DLQ', async () => {
    const { stdout } = await tsx('examples/lambda/run-local.ts');
    expect(stdout).toContain('done: 1 shipped, 1 in shipments-dlq');
  }, 30_000);

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'worker.ts stops quietly on %s and exits by itself',
    async (signal) => {
      const child = spawn('node', ['node_modules/tsx/dist/cli.mjs', '--conditions=source', 'examples/worker.ts'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const deadline = Date.now() + 30_000;
        while (!/handled order-2/.test(stdout) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(stdout).toContain('worker ready on memory');
        child.kill(signal);
        const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
        expect(code).toBe(0);
        expect(stdout).toContain('consumer stopped (brokerClosed)');
        expect(stdout).toContain('closed, exiting');
      } finally {
        child.kill('SIGKILL');
      }
    },
    60_000,
  );

  it('migrate-to-sqs walks dual-write, switch and drain on two memory brokers: nothing lost, nothing twice', async () => {
    const { stdout } = await tsx('examples/migrate-to-sqs/migrate.ts');
    expect(stdout).toContain('1. dual-write: 100 orders acted on memory, 100 copies verified on memory');
    expect(stdout).toContain('mirror counts {"primary":130,"secondary":130,"failed":0}');
    expect(stdout).toContain('3. drain: moved 30 orders and 1 dead letters from memory; redrove 1');
    expect(stdout).toContain('migrated: 231 orders processed, 0 twice, 0 missing, 0 mirror failures, 0 left on memory');
  }, 60_000);
});
