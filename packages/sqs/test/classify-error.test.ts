import { connect, isMsgportError } from '@msgport/core';
import { describe, expect, it } from 'vitest';
import { classifyAwsError, errorCodeOf } from '../src/index.js';
import { connectFauxqs, noFauxqs, uniqueName } from './support/fauxqs.js';

function sdkError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error('boom'), fields);
}

describe('error classification', () => {
  it.each([
    // JSON protocol: the modeled name, and __type
    [{ name: 'QueueDoesNotExist' }, 'QueueDoesNotExist'],
    [{ name: 'Error', __type: 'com.amazonaws.sqs#QueueDoesNotExist' }, 'QueueDoesNotExist'],
    [{ name: 'QueueNameExists' }, 'QueueAlreadyExists'],
    [{ name: 'PurgeQueueInProgress' }, 'PurgeInProgress'],
    [{ name: 'MessageNotInflight' }, 'MessageNotInflight'],
    [{ name: 'ReceiptHandleIsInvalid' }, 'ReceiptHandleIsInvalid'],
    [{ name: 'InvalidIdFormat' }, 'ReceiptHandleIsInvalid'],
    [{ name: 'InvalidMessageContents' }, 'InvalidMessageContents'],
    [{ name: 'BatchEntryIdsNotDistinct' }, 'BatchEntryIdsNotDistinct'],
    [{ name: 'BatchRequestTooLong' }, 'MessageTooLong'],
    [{ name: 'InvalidParameterValue' }, 'InvalidParameter'],
    [{ name: 'EmptyBatchRequest' }, 'EmptyBatchRequest'],
    [{ name: 'InvalidBatchEntryId' }, 'InvalidBatchEntryId'],
    [{ name: 'InvalidAttributeName' }, 'InvalidAttributeName'],
    [{ name: 'RequestThrottled' }, 'Throttled'],
    [{ name: 'ThrottlingException' }, 'Throttled'],
    [{ name: 'OverLimit' }, 'Throttled'],
    [{ name: 'AccessDeniedException' }, 'PermissionDenied'],
    [{ name: 'InvalidClientTokenId' }, 'PermissionDenied'],
    [{ name: 'KMS.AccessDeniedException' }, 'PermissionDenied'],
    [{ name: 'AbortError' }, 'Aborted'],
    // legacy query codes: x-amzn-query-error as the SDK exposes it (Code / Error.Code), or raw
    [{ name: 'Unknown', Code: 'AWS.SimpleQueueService.NonExistentQueue' }, 'QueueDoesNotExist'],
    [{ name: 'Unknown', Error: { Code: 'AWS.SimpleQueueService.NonExistentQueue' } }, 'QueueDoesNotExist'],
    [{ name: 'Unknown', Code: 'AWS.SimpleQueueService.NonExistentQueue;Sender' }, 'QueueDoesNotExist'],
    [{ name: 'AWS.SimpleQueueService.QueueNameExists' }, 'QueueAlreadyExists'],
    [{ name: 'Unknown', Code: 'QueueAlreadyExists' }, 'QueueAlreadyExists'],
    [{ name: 'Unknown', Code: 'AWS.SimpleQueueService.PurgeQueueInProgress' }, 'PurgeInProgress'],
    [{ name: 'Unknown', Code: 'AWS.SimpleQueueService.QueueDeletedRecently' }, 'Unavailable'],
    // transport failures and HTTP status fallbacks
    [{ code: 'ECONNREFUSED' }, 'Unavailable'],
    // the SDK's own request and connection timeouts (requestHandler requestTimeout / connectionTimeout)
    [{ name: 'TimeoutError' }, 'Timeout'],
    // a peer that answers garbage (Node's HTTP parser), TLS spoken to a plain-text port
    [{ name: 'Error', code: 'HPE_INVALID_CONSTANT' }, 'Unavailable'],
    [{ name: 'Error', code: 'EPROTO' }, 'Unavailable'],
    [{ name: 'Error', code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'Unavailable'],
    [{ name: 'Weird', $metadata: { httpStatusCode: 503 } }, 'Unavailable'],
    [{ name: 'Weird', $metadata: { httpStatusCode: 429 } }, 'Throttled'],
    [{ name: 'Weird', $metadata: { httpStatusCode: 403 } }, 'PermissionDenied'],
    [{ name: 'Weird', cause: { code: 'ECONNRESET' } }, 'Unavailable'],
  ])('%o → %s', (fields, code) => {
    expect(classifyAwsError(sdkError(fields))).toBe(code);
  });

  it('leaves unknown errors to core (Internal)', () => {
    expect(classifyAwsError(new Error('what'))).toBeUndefined();
    expect(classifyAwsError('text')).toBeUndefined();
    // SNS codes belong to @msgport/sns, which passes them as the second argument
    expect(classifyAwsError(sdkError({ name: 'NotFoundException', Code: 'NotFound' }))).toBeUndefined();
  });

  it('maps batch entry codes in both spellings', () => {
    expect(errorCodeOf('AWS.SimpleQueueService.MessageNotInflight')).toBe('MessageNotInflight');
    expect(errorCodeOf('ReceiptHandleIsInvalid')).toBe('ReceiptHandleIsInvalid');
    expect(errorCodeOf('InvalidParameterValue')).toBe('InvalidParameter');
    expect(errorCodeOf('Something.New')).toBe('Internal');
  });
});

describe.skipIf(noFauxqs)('error classification against the emulator', () => {
  it('reads both the JSON name and the x-amzn-query-error code of a real SDK error', async () => {
    const broker = await connectFauxqs();
    try {
      const error = await broker
        .queue(uniqueName('missing'))
        .send('x')
        .catch((e: unknown) => e);
      expect(isMsgportError(error, 'QueueDoesNotExist')).toBe(true);
      // core's summary of the SDK error keeps both spellings: the JSON `name` and, as `code`, the
      // legacy code of x-amzn-query-error
      const cause = (error as { cause?: { name?: string; code?: string } }).cause;
      expect(cause?.name).toBe('QueueDoesNotExist');
      expect(cause?.code).toBe('AWS.SimpleQueueService.NonExistentQueue');
      expect(classifyAwsError({ name: 'Unknown', Code: cause?.code })).toBe('QueueDoesNotExist');
    } finally {
      await broker.close();
    }
  });

  it('reports an unreachable endpoint as Unavailable (retryable), without hanging', async () => {
    const broker = await connect(
      'sqs://?region=us-east-1&endpoint=http://127.0.0.1:9&accessKeyId=a&secretAccessKey=b',
      { retry: { attempts: 1 } },
    );
    try {
      const error = await broker.listQueues().catch((e: unknown) => e);
      expect(isMsgportError(error, 'Unavailable')).toBe(true);
      expect((error as { retryable: boolean }).retryable).toBe(true);
    } finally {
      await broker.close();
    }
  });
});
