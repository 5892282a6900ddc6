import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

describe('msgport usage errors exit 2 and print usage', () => {
  it.each([
    ['no command', []],
    ['an unknown command', ['frobnicate', 'redis://127.0.0.1']],
    ['an unknown flag', ['stats', 'redis://127.0.0.1', '--bogus']],
    ['a missing required option', ['peek', 'redis://127.0.0.1']],
    ['a bad -n', ['peek', 'redis://127.0.0.1', '--queue', 'q', '-n', '11']],
    ['a bad --attr', ['send', 'redis://127.0.0.1', '--queue', 'q', 'body', '--attr', 'novalue']],
    ['a missing argument', ['move', 'redis://127.0.0.1', '--queue', 'q']],
  ])('%s', async (_title, args) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: msgport');
    expect(result.stdout).toBe('');
  });

  it('--help exits 0 and lists every command', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['stats', 'peek', 'send', 'purge', 'redrive', 'move', 'console']) {
      expect(result.stdout).toContain(`${command} [options]`);
    }
  });

  it('purge without --yes refuses when stdin is not a terminal', async () => {
    const result = await runCli(['purge', 'redis://127.0.0.1:1', '--queue', 'q']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'msgport: refusing to purge without confirmation: stdin is not a terminal; pass --yes',
    );
  });
});

describe('an unreachable broker: one line with the error code, exit 1, no password, no stack', () => {
  const cases = [
    ['redis', 'redis://:hunter2-secret@127.0.0.1:1', 'hunter2-secret'],
    ['rabbitmq', 'amqp://guest:hunter2-secret@127.0.0.1:1?connectTimeoutMs=300', 'hunter2-secret'],
    [
      'sqs',
      'sqs://?region=us-east-1&endpoint=http://127.0.0.1:1&accessKeyId=AKIDTEST&secretAccessKey=hunter2-secret',
      'hunter2-secret',
    ],
  ] as const;

  it.each(cases)('%s', async (_name, url, password) => {
    const result = await runCli(['stats', url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^msgport: Unavailable: /);
    expect(result.stderr).not.toContain(password);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each(cases)('%s with --verbose prints the stack, still without the password', async (_name, url, password) => {
    const result = await runCli(['stats', url, '--verbose']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^msgport: Unavailable: /);
    expect(result.stderr).toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain(password);
  });

  it('a URL of an unknown scheme is InvalidParameter, exit 1', async () => {
    const result = await runCli(['stats', 'ftp://user:pw-secret@host/']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^msgport: InvalidParameter: "ftp:\/\/user:\*\*\*@host\/" is not a broker URL/,
    );
  });
});
