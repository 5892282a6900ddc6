import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decideService,
  inCi,
  provideService,
  type ServiceProbes,
  type ServiceRequest,
  tcpAnswers,
} from '../src/index.js';

const request = (ci: boolean): ServiceRequest => ({
  name: 'Redis',
  url: 'redis://127.0.0.1:6379',
  displayUrl: '127.0.0.1:6379',
  hint: 'run .ci/ensure-redis.sh',
  ci,
});

/** Probes that answer as told and record what was asked. */
function probes(answers: { reachable: boolean; containerRuntime: boolean; startFails?: boolean }) {
  const asked: string[] = [];
  const value: ServiceProbes = {
    reachable: async (url) => {
      asked.push(`reachable ${url}`);
      return answers.reachable;
    },
    containerRuntime: async () => {
      asked.push('containerRuntime');
      return answers.containerRuntime;
    },
    startContainer: async () => {
      asked.push('startContainer');
      if (answers.startFails) throw new Error('image pull failed');
      return {
        url: 'redis://localhost:32768',
        stop: async () => {
          asked.push('stop');
        },
      };
    },
  };
  return { asked, probes: value };
}

describe('decideService', () => {
  it.each([
    [true, true, false, 'use-configured'],
    [true, false, false, 'use-configured'],
    [true, false, true, 'use-configured'],
    [false, true, false, 'start-container'],
    [false, true, true, 'start-container'],
    [false, false, false, 'skip'],
    [false, false, true, 'fail'],
  ] as const)('reachable %s, container runtime %s, CI %s → %s', (reachable, containerRuntime, ci, expected) => {
    expect(decideService({ reachable, containerRuntime, ci })).toBe(expected);
  });
});

describe('provideService', () => {
  it('uses a reachable server and never asks for Docker', async () => {
    const { asked, probes: given } = probes({ reachable: true, containerRuntime: true });
    const notices: string[] = [];
    const service = await provideService(request(true), given, (m) => notices.push(m));
    expect(service).toMatchObject({ source: 'configured', url: 'redis://127.0.0.1:6379' });
    expect(asked).toEqual(['reachable redis://127.0.0.1:6379']);
    expect(notices).toEqual([]);
  });

  it('starts a container when the server is unreachable and Docker answers, and stops it', async () => {
    const { asked, probes: given } = probes({ reachable: false, containerRuntime: true });
    const notices: string[] = [];
    const service = await provideService(request(false), given, (m) => notices.push(m));
    expect(service).toMatchObject({ source: 'container', url: 'redis://localhost:32768' });
    expect(notices.join('')).toContain('no Redis answers at 127.0.0.1:6379: starting one with testcontainers');
    await service.stop();
    expect(asked).toEqual(['reachable redis://127.0.0.1:6379', 'containerRuntime', 'startContainer', 'stop']);
  });

  it('fails when Docker answered but the container does not start, even outside CI', async () => {
    const { probes: given } = probes({ reachable: false, containerRuntime: true, startFails: true });
    await expect(provideService(request(false), given, () => {})).rejects.toThrow('image pull failed');
  });

  it('skips with a notice naming the address and the way out when neither answers', async () => {
    const { probes: given } = probes({ reachable: false, containerRuntime: false });
    const notices: string[] = [];
    const service = await provideService(request(false), given, (m) => notices.push(m));
    expect(service.source).toBe('none');
    expect(service).toMatchObject({
      reason: 'no Redis answers at 127.0.0.1:6379 and no container runtime (run .ci/ensure-redis.sh)',
    });
    expect(notices.join('')).toContain('SKIPPED (CI=true makes this fail)');
  });

  it('fails the run under CI when neither answers', async () => {
    const { probes: given } = probes({ reachable: false, containerRuntime: false });
    await expect(provideService(request(true), given, () => {})).rejects.toThrow(
      'CI=true but no Redis answers at 127.0.0.1:6379 and no container runtime answers; run .ci/ensure-redis.sh',
    );
  });
});

describe('inCi', () => {
  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    [undefined, false],
  ])('CI=%s → %s', (value, expected) => {
    expect(inCi(value === undefined ? {} : { CI: value })).toBe(expected);
  });
});

describe('tcpAnswers', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  const listen = () =>
    new Promise<number>((resolve) => {
      server = createServer((socket) => socket.end());
      server.listen(0, '127.0.0.1', () => {
        const address = server?.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });

  it('is true for a listening port', async () => {
    expect(await tcpAnswers('127.0.0.1', await listen())).toBe(true);
  });

  it('is false for a closed port', async () => {
    const port = await listen();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    expect(await tcpAnswers('127.0.0.1', port)).toBe(false);
  });
});
