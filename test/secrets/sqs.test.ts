import '@msgport/sns';
import { afterAll, inject } from 'vitest';
import { awsDenyingPeer, startPeers } from '../support/peers.js';
import { secretMatrix } from './matrix.js';
import { operationCases } from './operation-cases.js';
import { connectCase, peerCases } from './peer-cases.js';
import { secret } from './secret-case.js';
import { urlCases } from './url-cases.js';

const endpoint = inject('fauxqsEndpoint');
const skip = endpoint === '' ? `fauxqs did not start: ${inject('fauxqsStartError')}` : '';
const server = endpoint === '' ? '127.0.0.1:1' : new URL(endpoint).host;
const peers = await startPeers();
const denying = await awsDenyingPeer();
afterAll(async () => {
  await peers.close();
  await denying.close();
});

const REGION = 'region=us-east-1';

secretMatrix('sqs', skip, () => {
  // The user-info of an sqs:// URL is accessKeyId:secretAccessKey; the host is the endpoint.
  const url = (userinfo: string, hostPort: string) => `sqs://${userinfo}@${hostPort}?${REGION}&tls=false`;
  const closed = `127.0.0.1:${peers.ports.closed}`;
  const httpClosed = encodeURIComponent(`http://${closed}`);
  const own = (title: string, input: (pw: string) => string, knownFailure?: string) =>
    connectCase(`sqs: ${title}`, input, knownFailure);
  // `endpoint` is declared a public parameter, so messages that print the redacted URL show it whole.
  const ENDPOINT_SHOWN = 'packages/sqs/src/url.ts (the rejected endpoint is printed in the redacted URL)';
  const denied = `127.0.0.1:${denying.port}`;
  const pw = secret('key');
  const token = secret('token');
  return [
    ...urlCases({ scheme: 'sqs', host: closed, query: `${REGION}&tls=false` }),
    ...peerCases(
      {
        url,
        tlsUrl: (userinfo, hostPort) => `sqs://${userinfo}@${hostPort}?${REGION}`,
        server,
        own: [
          own('credentials the endpoint refuses (403)', (p) => url(`AKIDEXAMPLE:${p}`, denied)),
          own(
            'session token the endpoint refuses (403)',
            (p) =>
              `sqs://?${REGION}&endpoint=${encodeURIComponent(`http://${denied}`)}&accessKeyId=AKID&secretAccessKey=x&sessionToken=${p}`,
          ),
          own(
            'secretAccessKey parameter',
            (p) => `sqs://?${REGION}&endpoint=${httpClosed}&accessKeyId=AKID&secretAccessKey=${p}`,
          ),
          own(
            'misspelt secretKey parameter',
            (p) => `sqs://?${REGION}&endpoint=${httpClosed}&accessKeyId=AKID&secretKey=${p}`,
          ),
          own(
            'upper-case SecretAccessKey parameter',
            (p) => `sqs://?${REGION}&endpoint=${httpClosed}&accessKeyId=AKID&SecretAccessKey=${p}`,
          ),
          own(
            'percent-encoded %73ecretAccessKey parameter',
            (p) => `sqs://?${REGION}&endpoint=${httpClosed}&accessKeyId=AKID&%73ecretAccessKey=${p}`,
          ),
          own(
            'secret key without an access key id',
            (p) => `sqs://?${REGION}&endpoint=${httpClosed}&secretAccessKey=${p}`,
          ),
          own(
            'credentials inside the endpoint URL',
            (p) => `sqs://?${REGION}&endpoint=${encodeURIComponent(`http://AKID:${p}@${closed}`)}`,
            ENDPOINT_SHOWN,
          ),
          own(
            'a secret in the endpoint query',
            (p) => `sqs://?${REGION}&endpoint=${encodeURIComponent(`http://${closed}/?X-Amz-Security-Token=${p}`)}`,
          ),
          own(
            'unparseable endpoint holding a secret',
            (p) => `sqs://?${REGION}&endpoint=${encodeURIComponent(`http://[${p}`)}`,
            ENDPOINT_SHOWN,
          ),
        ],
      },
      peers.ports,
    ),
    ...operationCases({
      open: (probe) =>
        probe.connect(
          `sqs://?${REGION}&endpoint=${encodeURIComponent(endpoint)}&accessKeyId=AKIDSECRETS&secretAccessKey=${pw}&sessionToken=${token}`,
        ),
      urlSecrets: [pw, token],
      fifo: true,
    }),
  ];
});
