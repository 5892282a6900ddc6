import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
// The test files import the transport (`@msgport/sqs` registers sqs://, `@msgport/sns` adds topics).

/** The endpoint of this project's fauxqs, or '' when it did not start (outside CI only). */
export const fauxqsEndpoint: string = inject('fauxqsEndpoint');

/** True when the emulator is missing: suites use `describe.skipIf(noFauxqs)` so the skip is visible. */
export const noFauxqs = fauxqsEndpoint === '';

export const REGION = 'us-east-1';

/** `sqs://` URL of the emulator, with the dummy credentials fauxqs accepts. */
export function fauxqsUrl(): string {
  const params = new URLSearchParams({
    region: REGION,
    endpoint: fauxqsEndpoint,
    accessKeyId: 'test',
    secretAccessKey: 'test',
  });
  return `sqs://?${params}`;
}

/** A resource name unique to this test run (queues and topics are shared by all files of a project). */
export function uniqueName(prefix: string, fifo = false): string {
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  return fifo ? `${name}.fifo` : name;
}
