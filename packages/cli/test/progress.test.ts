import { PassThrough } from 'node:stream';
import { connect } from '@msgport/core';
import '@msgport/memory';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/context.js';
import { runCli } from '../src/program.js';

/** Runs the program in-process with stderr posing as a terminal, so progress bars are drawn. */
async function runWithTerminal(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const io: CliIo = { stdout, stderr, stdin };
  const code = await runCli(['node', 'msgport', ...args], io);
  return { code, stdout: out, stderr: err };
}

// `memory://name` shares one store per name within a process, so the in-process CLI sees these queues.
describe('progress bars on a terminal (in-process, memory://)', () => {
  it('move draws a bar with the rate and ETA, and ends with the count line on stdout', async () => {
    const source = await connect('memory://progress-from');
    const queue = await source.createQueue('jobs');
    await queue.sendBatch(Array.from({ length: 40 }, (_, i) => ({ id: `m${i}`, body: `job ${i}` })));
    const result = await runWithTerminal(['move', 'memory://progress-from', 'memory://progress-to', '--queue', 'jobs']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/move .*\d+% \| \d+\/40 \| \d+\/s \| ETA/);
    expect(result.stdout).toBe(
      'moved 40 messages from "jobs" on memory://progress-from to "jobs" on memory://progress-to\n',
    );
    expect((await (await connect('memory://progress-to')).queue('jobs').getAttributes()).visible).toBe(40);
  });

  it('redrive draws a bar too', async () => {
    const broker = await connect('memory://progress-redrive');
    await broker.createQueue('dlq');
    await broker.createQueue('work', { deadLetter: { queue: 'dlq', maxReceiveCount: 2 } });
    await broker.queue('dlq').sendBatch(Array.from({ length: 15 }, (_, i) => ({ id: `d${i}`, body: `dead ${i}` })));
    const result = await runWithTerminal(['redrive', 'memory://progress-redrive', '--queue', 'dlq']);
    expect(result.stderr).toMatch(/redrive .*100% \| 15\/15/);
    expect(result.stdout).toBe('redrove 15 messages from "dlq" to "work"\n');
  });
});
