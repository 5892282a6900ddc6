import { classifyAwsError, errorCodeOf } from '@msgport/sqs';
import { describe, expect, it } from 'vitest';
import { snsErrorCode } from '../src/index.js';

function sdkError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error('boom'), fields);
}

describe('SNS error classification', () => {
  it.each([
    [{ name: 'NotFoundException', Code: 'NotFound' }, 'TopicDoesNotExist'],
    [{ name: 'InvalidParameterException', Code: 'InvalidParameter' }, 'InvalidParameter'],
    [{ name: 'AuthorizationErrorException' }, 'PermissionDenied'],
    [{ name: 'ThrottledException' }, 'Throttled'],
    [{ name: 'FilterPolicyLimitExceededException' }, 'PermissionDenied'],
    [{ name: 'EmptyBatchRequestException' }, 'EmptyBatchRequest'],
    [{ name: 'InvalidBatchEntryIdException' }, 'InvalidBatchEntryId'],
    // codes both services share keep the SQS meaning
    [{ name: 'AccessDeniedException' }, 'PermissionDenied'],
    [{ code: 'ECONNREFUSED' }, 'Unavailable'],
  ])('%o → %s', (fields, code) => {
    expect(classifyAwsError(sdkError(fields), snsErrorCode)).toBe(code);
  });

  it('maps PublishBatch entry codes', () => {
    expect(errorCodeOf('BatchEntryIdsNotDistinct', snsErrorCode)).toBe('BatchEntryIdsNotDistinct');
    expect(errorCodeOf('NotFound', snsErrorCode)).toBe('TopicDoesNotExist');
    expect(snsErrorCode('QueueDoesNotExist')).toBeUndefined();
  });
});
