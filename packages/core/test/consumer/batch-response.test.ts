import { describe, expect, it } from 'vitest';
import { extendFailuresToGroupTail, interpretBatchResponse } from '../../src/consumer/batch-response.js';

const ids = ['a', 'b', 'c'];

describe('Lambda partial batch response rules', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['empty object', {}],
    ['null list', { batchItemFailures: null }],
    ['empty list', { batchItemFailures: [] }],
  ])('%s is a complete success', (_name, response) => {
    expect(interpretBatchResponse(response, ids, true)).toEqual({ kind: 'success' });
  });

  it.each([
    ['a string', 'oops'],
    ['an array', []],
    ['a non-list', { batchItemFailures: 'a' }],
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a misspelled key', { batchItemFailures: [{ itemIdentifer: 'a' }] }],
    ['an unknown id', { batchItemFailures: [{ itemIdentifier: 'zzz' }] }],
    ['a null entry', { batchItemFailures: [null] }],
  ])('%s is a complete failure', (_name, response) => {
    expect(interpretBatchResponse(response, ids, true).kind).toBe('failure');
  });

  it('lists the failed ids', () => {
    const outcome = interpretBatchResponse({ batchItemFailures: [{ itemIdentifier: 'b' }] }, ids, true);
    expect(outcome).toEqual({ kind: 'partial', failedIds: new Set(['b']) });
  });

  it('ignores the response without ReportBatchItemFailures', () => {
    expect(interpretBatchResponse({ batchItemFailures: [{ itemIdentifier: 'b' }] }, ids, false)).toEqual({
      kind: 'success',
    });
    expect(interpretBatchResponse('garbage', ids, false)).toEqual({ kind: 'success' });
  });

  it('FIFO: a failure returns the rest of its group', () => {
    const messages = [
      { messageId: '1', groupId: 'g1' },
      { messageId: '2', groupId: 'g2' },
      { messageId: '3', groupId: 'g1' },
      { messageId: '4', groupId: 'g2' },
      { messageId: '5', groupId: 'g1' },
    ];
    expect([...extendFailuresToGroupTail(new Set(['3']), messages)]).toEqual(['3', '5']);
  });
});
