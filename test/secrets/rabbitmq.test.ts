import '@msgport/rabbitmq';
import { afterAll, inject } from 'vitest';
import { AMQP_URL, runId } from '../support/env.js';
import { startPeers } from '../support/peers.js';
import { RabbitNamespaces } from '../support/rabbit-namespaces.js';
import { secretMatrix } from './matrix.js';
import { operationCases } from './operation-cases.js';
import { connectCase, peerCases } from './peer-cases.js';
import { urlCases } from './url-cases.js';

const skip = inject('rabbitmqUnavailable');
const shared = new URL(AMQP_URL);
const server = shared.host;
// The shared broker only knows guest/guest (adding a user would reconfigure it), so operations run
// with that password and check that the user-info is never shown whole.
const guestInfo = `${decodeURIComponent(shared.username)}:${decodeURIComponent(shared.password)}`;
const peers = await startPeers();
const namespaces = new RabbitNamespaces();
afterAll(() => Promise.all([peers.close(), namespaces.removeAll()]));

secretMatrix('rabbitmq', skip, () => {
  const url = (userinfo: string, hostPort: string, path = '') => `amqp://${userinfo}@${hostPort}${path}`;
  const own = (title: string, input: (pw: string) => string) => connectCase(`rabbitmq: ${title}`, input);
  return [
    ...urlCases({ scheme: 'amqp', host: `127.0.0.1:${peers.ports.closed}` }),
    ...peerCases(
      {
        url,
        tlsUrl: (userinfo, hostPort) => `amqps://${userinfo}@${hostPort}`,
        server,
        own: [
          own('wrong password', (p) => url(`${shared.username}:${p}`, server)),
          own('unknown user', (p) => url(`nobody-${runId()}:${p}`, server)),
          {
            name: 'rabbitmq: virtual host that does not exist',
            secrets: [guestInfo, `:${shared.password}@`],
            run: (probe) => probe.connectAndList(url(guestInfo, server, `/no-such-vhost-${runId()}`)),
          },
          own('two hosts, both refused', (p) =>
            url(`u:${p}`, `127.0.0.1:${peers.ports.closed},127.0.0.1:${peers.ports.closed}`),
          ),
        ],
      },
      peers.ports,
    ),
    ...operationCases({
      open: (probe) => probe.connect(namespaces.url(`amqp://${guestInfo}@${server}`, 'sec')),
      urlSecrets: [guestInfo, `:${shared.password}@`],
      fifo: true,
      knownFailures: {
        'changeVisibility with a forged receipt handle':
          'packages/rabbitmq/src/delivery-tracker.ts (ReceiptHandleIsInvalid quotes the handle)',
      },
    }),
  ];
});
