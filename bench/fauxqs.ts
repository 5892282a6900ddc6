import { SQSClient } from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';

export const REGION = 'us-east-1';

/** fauxqs started in this process on a free loopback port, as packages/sqs tests start it. */
export interface Emulator {
  readonly endpoint: string;
  /** An AWS SDK client for it. */
  readonly client: SQSClient;
  /** The msgport URL for it (`sqs://?endpoint=…`). */
  readonly url: string;
  close(): Promise<void>;
}

export async function startEmulator(): Promise<Emulator> {
  const app = buildApp({ logger: false });
  const endpoint = await app.listen({ port: 0, host: '127.0.0.1' });
  // As many sockets as msgport's SQS client: the SDK's default pool of 50 would queue sends behind 64 long polls.
  const agent = { keepAlive: true, maxSockets: 1_000 };
  const client = new SQSClient({
    region: REGION,
    endpoint,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestHandler: { httpAgent: agent, httpsAgent: agent },
  });
  return {
    endpoint,
    client,
    url: `sqs://?region=${REGION}&endpoint=${encodeURIComponent(endpoint)}&accessKeyId=bench&secretAccessKey=bench`,
    async close() {
      client.destroy();
      await app.close();
    },
  };
}
