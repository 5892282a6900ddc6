import '@msgport/redis';
import { afterAll, inject } from 'vitest';
import { deletePrefix } from '../../packages/redis/test/support/env.js';
import { PrivateRedis } from '../../packages/redis/test/support/redis-server.js';
import { REDIS_URL, runId } from '../support/env.js';
import { startPeers } from '../support/peers.js';
import { secretMatrix } from './matrix.js';
import { operationCases } from './operation-cases.js';
import { connectCase, peerCases } from './peer-cases.js';
import { secret } from './secret-case.js';
import { urlCases } from './url-cases.js';

const skip = inject('redisAvailable') ? '' : 'no Redis at REDIS_URL';
const server = new URL(REDIS_URL).host;
const prefix = `msgport-secrets-${runId()}:`;
const peers = await startPeers();
// A private server with a password, for wrong-password cases (the shared one has none).
const guarded =
  skip === '' && inject('redisBinaries')
    ? await PrivateRedis.start({ args: ['--requirepass', secret('right')] })
    : undefined;
afterAll(async () => {
  await peers.close();
  await guarded?.destroy();
  if (skip === '') await deletePrefix(REDIS_URL, prefix);
});

secretMatrix('redis', skip, () => {
  const url = (userinfo: string, hostPort: string, path = '') => `redis://${userinfo}@${hostPort}${path}`;
  const own = (title: string, input: (pw: string) => string, knownFailure?: string) =>
    connectCase(`redis: ${title}`, input, knownFailure);
  // The shared server has no password: a password alone is accepted (ioredis warns), so operations
  // run on a URL that carries one.
  const pw = secret('pw');
  return [
    ...urlCases({ scheme: 'redis', host: `127.0.0.1:${peers.ports.closed}` }),
    ...peerCases(
      {
        url,
        tlsUrl: (userinfo, hostPort) => `rediss://${userinfo}@${hostPort}`,
        server,
        own: [
          own('unknown user', (p) => url(`nobody-${runId()}:${p}`, server)),
          own('database index out of range', (p) => url(`:${p}`, server, '/99')),
          own('database that is not a number', (p) => url(`:${p}`, server, '/db1')),
          ...(guarded
            ? [
                own('wrong password', (p) => url(`:${p}`, `127.0.0.1:${guarded.port}`)),
                own('wrong password for user default', (p) => url(`default:${p}`, `127.0.0.1:${guarded.port}`)),
                own('no password where one is required', () => `redis://127.0.0.1:${guarded.port}`),
              ]
            : []),
        ],
      },
      peers.ports,
    ),
    ...operationCases({
      open: (probe) => probe.connect(`redis://:${pw}@${server}?prefix=${encodeURIComponent(prefix)}`),
      urlSecrets: [pw],
      fifo: true,
    }),
  ];
});
